// Fault injection under the embedded log's writer (embedded_log_env.h): short writes, a full
// disk in the middle of an Append, a failed fsync, a failed repair. Each must give a clear
// error naming the file, leave the log recoverable, and a producer replaying its source must
// then end with every record exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "transport/embedded_log.h"
#include "transport/embedded_log_env.h"
#include "transport/embedded_log_test_util.h"

namespace pizzastream::transport::testing {
namespace {

// The POSIX calls, with failures on demand.
class FaultyEnv : public embedded_log::LogEnv {
 public:
  std::atomic<int64_t> write_budget{-1};   // bytes until writes fail with ENOSPC; -1: no limit
  std::atomic<size_t> max_write{0};        // > 0: no write(2) takes more bytes than this
  std::atomic<bool> fail_sync{false};      // fdatasync fails with EIO
  std::atomic<bool> fail_truncate{false};  // ftruncate fails with EIO
  std::atomic<int> short_writes{0};

  ssize_t Write(int fd, const char* data, size_t n) override {
    size_t take = n;
    if (max_write.load() > 0) take = std::min(take, max_write.load());
    const int64_t budget = write_budget.load();
    if (budget == 0) {
      errno = ENOSPC;
      return -1;
    }
    if (budget > 0) {
      take = std::min<size_t>(take, static_cast<size_t>(budget));
      write_budget.fetch_sub(static_cast<int64_t>(take));
    }
    if (take < n) short_writes.fetch_add(1);
    return LogEnv::Write(fd, data, take);
  }
  int SyncData(int fd) override {
    if (fail_sync.load()) {
      errno = EIO;
      return -1;
    }
    return LogEnv::SyncData(fd);
  }
  int Truncate(int fd, off_t size) override {
    if (fail_truncate.load()) {
      errno = EIO;
      return -1;
    }
    return LogEnv::Truncate(fd, size);
  }
};

class EmbeddedLogFaultTest : public EmbeddedLogTest {
 protected:
  EmbeddedLogOptions Faulty() {
    EmbeddedLogOptions options;
    options.env = &env_;
    return options;
  }
  // A healthy writer replays every record from the first sequence; the reader must then see
  // each record once, at contiguous offsets per partition.
  void ExpectExactAfterReplay(const OwnedRecords& all) {
    {
      auto writer = Writer("p");
      ASSERT_NE(writer, nullptr);
      ASSERT_TRUE(writer->Append(all.records).ok());
      ASSERT_TRUE(writer->Flush().ok());
    }
    auto reader = Reader();
    ASSERT_NE(reader, nullptr);
    std::set<int64_t> seen;
    std::map<int32_t, int64_t> next_offset;
    for (const Received& r : ReadAvailable(*reader)) {
      EXPECT_TRUE(seen.insert(SequenceOf(r.value)).second) << "twice: " << r.value;
      EXPECT_EQ(r.offset, next_offset[r.partition]++) << "partition " << r.partition;
    }
    EXPECT_EQ(seen.size(), all.records.size());
    EXPECT_EQ(*seen.begin(), 0);
    EXPECT_EQ(*seen.rbegin(), static_cast<int64_t>(all.records.size()) - 1);
  }
  std::string SnapshotText(int partition) const {
    std::ifstream in(PartitionDir(partition) + "/producers.snapshot", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  FaultyEnv env_;
};

TEST_F(EmbeddedLogFaultTest, ShortWritesStillWriteWholeBatches) {
  env_.max_write = 7;
  OwnedRecords all = OwnedRecords::Make(0, 300);
  {
    auto writer = OpenEmbeddedWriter(config_, "p", Faulty());
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (size_t i = 0; i < 300; i += 50) {
      ASSERT_TRUE((*writer)->Append({all.records.data() + i, 50}).ok());
    }
    ASSERT_TRUE((*writer)->Flush().ok());
  }
  EXPECT_GT(env_.short_writes.load(), 0);
  ExpectExactAfterReplay(all);
}

TEST_F(EmbeddedLogFaultTest, DiskFullMidAppendIsAClearErrorAndTheRerunIsExact) {
  OwnedRecords all = OwnedRecords::Make(0, 400);
  {
    auto writer = OpenEmbeddedWriter(config_, "p", Faulty());
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Append({all.records.data(), 100}).ok());
    env_.write_budget = 5000;  // the first partition's batch fits, the next one is cut
    Status full = (*writer)->Append({all.records.data() + 100, 200});
    ASSERT_TRUE(full.IsIOError()) << full.ToString();
    EXPECT_NE(full.message().find("No space left on device"), std::string::npos) << full.message();
    EXPECT_NE(full.message().find(config_.log_dir), std::string::npos) << full.message();
    // The partial batch was taken back: readers see whole batches only, no error.
    auto reader = Reader();
    ASSERT_NE(reader, nullptr);
    EXPECT_LT(ReadAvailable(*reader).size(), 300u);
    env_.write_budget = -1;  // space again: the same writer goes on
    ASSERT_TRUE((*writer)->Append({all.records.data() + 100, 200}).ok());
    ASSERT_TRUE((*writer)->Flush().ok());
  }
  ExpectExactAfterReplay(all);
}

TEST_F(EmbeddedLogFaultTest, FailedFsyncStopsTheWriterAndTheNextOneReplaysExactly) {
  OwnedRecords all = OwnedRecords::Make(0, 300);
  ASSERT_TRUE(Writer("p")->Append({all.records.data(), 100}).ok());  // closed: snapshots saved
  std::vector<std::string> snapshots;
  for (int p = 0; p < config_.partitions; ++p) snapshots.push_back(SnapshotText(p));
  ASSERT_FALSE(snapshots[0].empty());
  {
    auto writer = OpenEmbeddedWriter(config_, "p", Faulty());
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Append({all.records.data() + 100, 100}).ok());
    env_.fail_sync = true;
    Status synced = (*writer)->Flush();
    ASSERT_TRUE(synced.IsIOError()) << synced.ToString();
    EXPECT_NE(synced.message().find("cannot fsync"), std::string::npos) << synced.message();
    EXPECT_NE(synced.message().find(config_.log_dir), std::string::npos) << synced.message();
    // A retry must not pretend: the kernel may have dropped the pages it could not write.
    env_.fail_sync = false;
    EXPECT_FALSE((*writer)->Flush().ok());
    EXPECT_FALSE((*writer)->Append({all.records.data() + 200, 100}).ok());
  }
  // The failed writer left the recovery state as it was (no snapshot claiming durability).
  for (int p = 0; p < config_.partitions; ++p) EXPECT_EQ(SnapshotText(p), snapshots[p]) << p;
  ExpectExactAfterReplay(all);
}

TEST_F(EmbeddedLogFaultTest, AWriteThatCannotBeTakenBackLeavesATornTailTheNextOpenRepairs) {
  config_.partitions = 1;
  OwnedRecords all = OwnedRecords::Make(0, 200);
  std::string segment;
  {
    auto writer = OpenEmbeddedWriter(config_, "p", Faulty());
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Append({all.records.data(), 100}).ok());
    env_.write_budget = 100;  // a header and a little of the next batch
    env_.fail_truncate = true;
    EXPECT_TRUE((*writer)->Append({all.records.data() + 100, 100}).IsIOError());
    // The writer cannot vouch for its segment any more.
    env_.write_budget = -1;
    env_.fail_truncate = false;
    Status refused = (*writer)->Append({all.records.data() + 100, 100});
    EXPECT_NE(refused.message().find("cannot truncate"), std::string::npos) << refused.ToString();
    segment = Segments(0).back();
  }
  const auto torn = std::filesystem::file_size(segment);
  ExpectExactAfterReplay(all);
  EXPECT_GT(std::filesystem::file_size(segment), torn);  // cut, then appended after
}

}  // namespace
}  // namespace pizzastream::transport::testing
