// Checkpoints: written every N commits, read as a snapshot's start (single- and multi-part),
// logs whose older commits were cleaned up, V2 checkpoints refused (start-up cost at thousands
// of commits: delta_log_cleanup_test.cc).
#include "lake/delta_checkpoint.h"

#include <arrow/io/file.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "lake/delta_log.h"
#include "support/delta_fixture.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

using namespace pizzastream::testing;
namespace fs = std::filesystem;

std::string LogFile(const TempDir& dir, const std::string& name) {
  return dir.path() + "/t/_delta_log/" + name;
}

std::unique_ptr<DeltaLog> MakeTable(const Lakehouse& lake, int commits) {
  return MakeAppendedTable(lake, "t", commits);
}

void DeleteCommitsUpTo(const TempDir& dir, int64_t last) {
  for (int64_t v = 0; v <= last; ++v) fs::remove(CommitPath(dir.path(), "t", v));
}

TEST(DeltaCheckpoint, WrittenEveryTenCommitsWithLastCheckpoint) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  MakeTable(*lake, 25);
  EXPECT_TRUE(fs::exists(LogFile(dir, "00000000000000000010.checkpoint.parquet")));
  EXPECT_TRUE(fs::exists(LogFile(dir, "00000000000000000020.checkpoint.parquet")));
  EXPECT_FALSE(fs::exists(LogFile(dir, "00000000000000000015.checkpoint.parquet")));
  const auto hint = nlohmann::json::parse(ReadText(LogFile(dir, "_last_checkpoint")));
  EXPECT_EQ(hint["version"], 20);
}

TEST(DeltaCheckpoint, AReaderStartsFromTheCheckpointAndSeesTheSameTable) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto writer = MakeTable(*lake, 25);
  const Snapshot expected = *writer->Update().ValueOrDie();
  auto reader = lake->Log("t");
  const Snapshot* s = reader->Update().ValueOrDie();
  EXPECT_EQ(reader->log_files_read(), 1 + 5);  // checkpoint 20 + commits 21..25
  EXPECT_EQ(s->version, 25);
  EXPECT_EQ(s->checkpoint_version, 20);
  EXPECT_EQ(s->num_records, 50);
  EXPECT_EQ(s->txns, expected.txns);
  EXPECT_EQ(s->metadata.id, expected.metadata.id);
  EXPECT_TRUE(s->schema->Equals(*expected.schema));
  ASSERT_EQ(s->files.size(), expected.files.size());
  for (const auto& [path, f] : expected.files) {
    ASSERT_EQ(s->files.count(path), 1u) << path;
    EXPECT_EQ(s->files.at(path).num_records, f.num_records);
    EXPECT_EQ(s->files.at(path).size, f.size);
  }
}

TEST(DeltaCheckpoint, AReaderBehindTheCheckpointTakingOneCommitAtATimeMissesNone) {
  // A stage restarted behind the newest checkpoint (version 20) reads commit by commit, as a
  // crash-recovery step pinned to one version does: every append must come out exactly once.
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  MakeTable(*lake, 25);  // appends are versions 1..25
  auto reader = lake->Log("t");
  ASSERT_TRUE(reader->Update().ok());
  int64_t records = 0;
  for (int64_t after = 16; after < 25; ++after) {
    auto files = reader->DataAddedIn(after, after + 1).ValueOrDie();
    ASSERT_EQ(files.size(), 1u) << "version " << after + 1;
    EXPECT_EQ(files[0].version, after + 1);
    records += files[0].num_records;
  }
  EXPECT_EQ(records, 9 * 2);
}

TEST(DeltaCheckpoint, ALogCleanedUpBelowTheCheckpointIsReadNeverReplaced) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto writer = MakeTable(*lake, 25);
  const std::string id = writer->Update().ValueOrDie()->metadata.id;
  DeleteCommitsUpTo(dir, 19);  // Delta's log retention removes the oldest commits

  auto reader = lake->Log("t");
  ASSERT_TRUE(reader->CreateIfMissing(DeltaTestSchema()).ok());  // reads, never creates
  EXPECT_FALSE(fs::exists(CommitPath(dir.path(), "t", 0)));
  const Snapshot* s = reader->Update().ValueOrDie();
  EXPECT_EQ(s->version, 25);
  EXPECT_EQ(s->metadata.id, id);
  EXPECT_EQ(s->txns.at("app"), 24);
  // Changes after the checkpoint come from its JSON commits; older ones are gone: a clear error.
  EXPECT_EQ(reader->DataAddedIn(19, 25).ValueOrDie().size(), 6u);
  auto gone = reader->DataAddedIn(5, 25);
  ASSERT_FALSE(gone.ok());
  EXPECT_NE(gone.status().message().find("no longer in the log"), std::string::npos)
      << gone.status().ToString();
  // A reader that has read nothing starts from the checkpoint's files: every row once.
  int64_t rows = 0;
  for (const auto& f : reader->DataAddedIn(-1, 25).ValueOrDie()) rows += f.num_records;
  EXPECT_EQ(rows, 50);
  // And it can still be written.
  EXPECT_EQ(AppendTestRows(*lake, *reader, "t", 1000, 1), 26);
}

TEST(DeltaCheckpoint, AMultiPartCheckpointIsRead) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  MakeTable(*lake, 12);  // checkpoint at 10
  // Split checkpoint 10 into two parts, as Spark writes large ones.
  const std::string single = LogFile(dir, "00000000000000000010.checkpoint.parquet");
  auto in = arrow::io::ReadableFile::Open(single).ValueOrDie();
  auto reader = parquet::arrow::OpenFile(in, arrow::default_memory_pool()).ValueOrDie();
  std::shared_ptr<arrow::Table> table = reader->ReadTable().ValueOrDie();
  const int64_t half = table->num_rows() / 2;
  for (int part = 1; part <= 2; ++part) {
    auto slice = part == 1 ? table->Slice(0, half) : table->Slice(half);
    auto out =
        arrow::io::FileOutputStream::Open(
            LogFile(dir, fmt::format("00000000000000000010.checkpoint.{:010d}.{:010d}.parquet",
                                     part, 2)))
            .ValueOrDie();
    ASSERT_TRUE(parquet::arrow::WriteTable(*slice, arrow::default_memory_pool(), out).ok());
    ASSERT_TRUE(out->Close().ok());
  }
  fs::remove(single);
  DeleteCommitsUpTo(dir, 10);
  auto log = lake->Log("t");
  const Snapshot* s = log->Update().ValueOrDie();
  EXPECT_EQ(s->version, 12);
  EXPECT_EQ(s->checkpoint_version, 10);
  EXPECT_EQ(s->num_records, 24);
  EXPECT_EQ(log->log_files_read(), 2 + 2);
  // One part missing: that checkpoint is incomplete, and without the JSON it replaces the
  // table cannot be read.
  fs::remove(LogFile(dir, "00000000000000000010.checkpoint.0000000002.0000000002.parquet"));
  auto broken = lake->Log("t")->Update();
  EXPECT_FALSE(broken.ok());
}

TEST(DeltaCheckpoint, AV2CheckpointIsRefusedClearly) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  MakeTable(*lake, 3);
  WriteFile(
      LogFile(dir, "00000000000000000003.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json"),
      "{\"checkpointMetadata\":{\"version\":3}}\n");
  DeleteCommitsUpTo(dir, 3);
  auto st = lake->Log("t")->Update();
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.status().IsNotImplemented()) << st.status().ToString();
  EXPECT_NE(st.status().message().find("V2 checkpoint"), std::string::npos);
}

}  // namespace
}  // namespace pizzastream::lake
