// Fault injection at the lake's commit seam (src/lake/log_store.h): a LogStore decorator makes
// the put of a Delta commit fail before anything is written (a full disk) or after the file is
// in place (e.g. the directory fsync failed: the caller cannot know the commit landed). Either
// way the writer gets a clear error, and retrying the same commit never lands it twice: the
// table holds the commit's rows and position exactly once.
#include <arrow/api.h>
#include <gtest/gtest.h>

#include <atomic>

#include "lake/delta_log.h"
#include "lake/lakehouse.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

using testing::TempDir;

class FaultyLogStore final : public LogStore {
 public:
  enum class Fault { kNone, kDiskFull, kLostAnswer };
  explicit FaultyLogStore(std::shared_ptr<LogStore> inner) : inner_(std::move(inner)) {}

  Result<bool> PutIfAbsent(const std::string& path, const std::string& body) override {
    switch (fault.exchange(Fault::kNone)) {  // each fault strikes once
      case Fault::kDiskFull:
        return Status::IOError("cannot write ", path, ": No space left on device");
      case Fault::kLostAnswer: {
        ARROW_RETURN_NOT_OK(inner_->PutIfAbsent(path, body).status());
        return Status::IOError("cannot fsync the directory of ", path, ": Input/output error");
      }
      case Fault::kNone:
        break;
    }
    return inner_->PutIfAbsent(path, body);
  }
  Status AtomicReplace(const std::string& path, const std::string& body) override {
    return inner_->AtomicReplace(path, body);
  }

  std::atomic<Fault> fault{Fault::kNone};

 private:
  std::shared_ptr<LogStore> inner_;
};

std::shared_ptr<arrow::Schema> TestSchema() {
  return arrow::schema({arrow::field("id", arrow::int64(), false)});
}

class LogStoreFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lake_ = Lakehouse::Open(dir_.path()).ValueOrDie();
    store_ = std::make_shared<FaultyLogStore>(LocalLogStore());
    log_ = std::make_unique<DeltaLog>(lake_->fs(), store_, lake_->TablePath("t"));
    ASSERT_TRUE(log_->CreateIfMissing(TestSchema()).ok());
  }
  // A commit of `rows` ids that moves appId "src" from `from` to `from + rows`.
  Commit Next(int64_t from, int64_t rows) {
    arrow::Int64Builder ids;
    for (int64_t i = from; i < from + rows; ++i) EXPECT_TRUE(ids.Append(i).ok());
    auto batch = arrow::RecordBatch::Make(TestSchema(), rows, {ids.Finish().ValueOrDie()});
    Commit commit;
    commit.adds.push_back(lake_->WriteParquet("t", TestSchema(), {batch}).ValueOrDie());
    commit.txns["src"] = from + rows;
    return commit;
  }
  // What a fresh reader sees: rows and the position of "src".
  std::pair<int64_t, int64_t> Table() {
    auto reader = lake_->Log("t");
    const Snapshot* s = reader->Update().ValueOrDie();
    return {s->num_records, s->txns.count("src") ? s->txns.at("src") : -1};
  }

  TempDir dir_;
  std::shared_ptr<Lakehouse> lake_;
  std::shared_ptr<FaultyLogStore> store_;
  std::unique_ptr<DeltaLog> log_;
};

TEST_F(LogStoreFaultTest, DiskFullMidCommitIsAClearErrorAndTheRetryCommitsOnce) {
  ASSERT_TRUE(log_->CommitAppend(Next(0, 10), {}).ok());
  const Commit commit = Next(10, 5);
  store_->fault = FaultyLogStore::Fault::kDiskFull;
  auto failed = log_->CommitAppend(commit, {{"src", 10}});
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("No space left on device"), std::string::npos)
      << failed.status().ToString();
  EXPECT_EQ(Table(), std::make_pair(int64_t{10}, int64_t{10}));  // nothing of it landed
  ASSERT_TRUE(log_->CommitAppend(commit, {{"src", 10}}).ok());
  EXPECT_EQ(Table(), std::make_pair(int64_t{15}, int64_t{15}));
}

TEST_F(LogStoreFaultTest, ACommitWhoseAnswerWasLostIsNeverAppliedTwice) {
  ASSERT_TRUE(log_->CommitAppend(Next(0, 10), {}).ok());
  const Commit commit = Next(10, 5);
  store_->fault = FaultyLogStore::Fault::kLostAnswer;
  auto failed = log_->CommitAppend(commit, {{"src", 10}});
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("fsync"), std::string::npos);
  // The retry finds its own position moved: a conflict, the caller re-reads its position
  // (15) and goes on from there. The rows are in the table once.
  auto retried = log_->CommitAppend(commit, {{"src", 10}});
  EXPECT_TRUE(retried.status().IsCancelled()) << retried.status().ToString();
  EXPECT_EQ(Table(), std::make_pair(int64_t{15}, int64_t{15}));
}

}  // namespace
}  // namespace pizzastream::lake
