// Compaction (automatic and manual), vacuum and per-file statistics.
#include "lake/compaction.h"

#include <gtest/gtest.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>

#include "lake/incremental_input.h"
#include "lake/vacuum.h"
#include "support/delta_fixture.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

using namespace pizzastream::testing;
namespace fs = std::filesystem;

TEST(Compaction, AutomaticCompactionBoundsFilesAndKeepsEveryRowOnce) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = lake->Log("t");
  ASSERT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  size_t most_files = 0;
  for (int i = 0; i < 300; ++i) {
    AppendTestRows(*lake, *log, "t", i * 5, 5);
    ASSERT_TRUE(AutoCompact(*lake, *log, "t").ok());
    most_files = std::max(most_files, log->Update().ValueOrDie()->files.size());
  }
  const Snapshot* s = log->Update().ValueOrDie();
  EXPECT_EQ(s->num_records, 1500);
  EXPECT_LT(most_files, 50u * 2);   // at most fanout-1 files per tier: two tiers in use here
  EXPECT_LT(s->files.size(), 50u);  // 300 files merged six times
  // Every row exactly once in the snapshot...
  std::vector<AddFile> live;
  for (const auto& [path, f] : s->files) live.push_back(f);
  auto ids = TestIds(*lake, "t", live);
  std::sort(ids.begin(), ids.end());
  ASSERT_EQ(ids.size(), 1500u);
  for (int64_t i = 0; i < 1500; ++i) ASSERT_EQ(ids[i], i);
  // ...and once for an incremental reader starting from scratch.
  auto reader = lake->Log("t");
  auto range = NextRange(*reader, 0, INT64_MAX, -1).ValueOrDie();
  EXPECT_EQ(range.records, 1500);
  EXPECT_EQ(range.to_version, s->version);
}

TEST(Compaction, AutomaticCompactionCanBeTurnedOff) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = lake->Log("t");
  ASSERT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  auto meta = log->Update().ValueOrDie()->metadata;
  meta.configuration["delta.autoOptimize.autoCompact"] = "false";
  WriteFile(CommitPath(dir.path(), "t", 1), MetadataLine(meta));
  for (int i = 0; i < 20; ++i) AppendTestRows(*lake, *log, "t", i, 1);
  ASSERT_TRUE(AutoCompact(*lake, *log, "t").ok());
  EXPECT_EQ(log->Update().ValueOrDie()->files.size(), 20u);
}

TEST(Compaction, ALostRaceIsAConflictAndWritesNothing) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto a = lake->Log("t");
  ASSERT_TRUE(a->CreateIfMissing(DeltaTestSchema()).ok());
  for (int i = 0; i < 3; ++i) AppendTestRows(*lake, *a, "t", i, 1);
  auto b = lake->Log("t");
  const Snapshot* seen = b->Update().ValueOrDie();
  // a compacts first; b's compaction of the same files must fail.
  ASSERT_EQ(CompactSmallFiles(*lake, *a, "t", 1 << 20).ValueOrDie().files_removed, 3);
  Commit stale;
  for (const auto& [path, f] : seen->files) stale.removes.push_back({path, 1, false, f.size});
  auto st = b->CommitAppend(stale, {});
  EXPECT_TRUE(st.status().IsCancelled()) << st.status().ToString();
  EXPECT_EQ(b->Update().ValueOrDie()->num_records, 3);
}

// A compaction states its file's stats from that file's Parquet footer (it streams the rows and
// never holds them all): they are what the rows give, whatever the merged files stated.
TEST(Compaction, AMergedFileStatesTheStatsOfItsRows) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = lake->Log("t");
  ASSERT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  std::vector<std::shared_ptr<arrow::RecordBatch>> all;
  for (int i = 0; i < 4; ++i) {
    all.push_back(DeltaTestRows(40 - i * 10, 3));
    Commit c;
    c.adds.push_back(lake->WriteParquet("t", DeltaTestSchema(), {all.back()}).ValueOrDie());
    ASSERT_TRUE(log->CommitAppend(c, {}).ok());
  }
  ASSERT_EQ(CompactSmallFiles(*lake, *log, "t", 1 << 20).ValueOrDie().files_removed, 4);
  const Snapshot* s = log->Update().ValueOrDie();
  ASSERT_EQ(s->files.size(), 1u);
  const auto merged = nlohmann::json::parse(s->files.begin()->second.stats);
  // The same rows written at once (not committed) state the same.
  const auto direct =
      nlohmann::json::parse(lake->WriteParquet("t", DeltaTestSchema(), all).ValueOrDie().stats);
  EXPECT_EQ(merged, direct) << merged.dump() << " vs " << direct.dump();
  EXPECT_EQ(merged["minValues"]["id"], 10);
  EXPECT_EQ(merged["maxValues"]["id"], 42);
  EXPECT_EQ(TestIds(*lake, "t", {s->files.begin()->second}).size(), 12u);

  // An input without a min/max for a column (another writer's file, or statistics disabled):
  // the merged file, written with statistics, states the bounds of all its rows.
  ParquetHints hints;
  hints.no_statistics = {"name"};
  Commit c;
  c.adds.push_back(
      lake->WriteParquet("t", DeltaTestSchema(), {DeltaTestRows(0, 2)}, hints).ValueOrDie());
  ASSERT_FALSE(nlohmann::json::parse(c.adds.back().stats)["minValues"].contains("name"));
  ASSERT_TRUE(log->CommitAppend(c, {}).ok());
  ASSERT_EQ(CompactSmallFiles(*lake, *log, "t", 1 << 20).ValueOrDie().files_removed, 2);
  const auto again = nlohmann::json::parse(log->Update().ValueOrDie()->files.begin()->second.stats);
  EXPECT_EQ(again["numRecords"], 14);
  EXPECT_EQ(again["minValues"]["id"], 0);
  EXPECT_EQ(again["minValues"]["name"], "pizza 0");
  EXPECT_EQ(again["maxValues"]["name"], "pizza 42");
  EXPECT_EQ(again["nullCount"]["name"], 0);
}

// OPTIMIZE writes the merged file's columns as the table's writer does: a column the hints
// call unique is written without a dictionary (an integer one delta-encoded, a text one plain),
// the others keep theirs; the rows read back the same.
TEST(Compaction, ManualCompactionWritesColumnsAsTheHintsSay) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = lake->Log("t");
  ASSERT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  for (int i = 0; i < 3; ++i) AppendTestRows(*lake, *log, "t", i * 100, 100);
  ParquetHints hints;
  hints.unique_values = {"id", "name"};
  ASSERT_EQ(CompactSmallFiles(*lake, *log, "t", 1 << 20, hints).ValueOrDie().files_removed, 3);
  const Snapshot* s = log->Update().ValueOrDie();
  ASSERT_EQ(s->files.size(), 1u);
  auto reader = parquet::ParquetFileReader::OpenFile(dir.path() + "/t/" + s->files.begin()->first);
  auto row_group = reader->metadata()->RowGroup(0);
  const auto schema = reader->metadata()->schema();
  for (int c = 0; c < schema->num_columns(); ++c) {
    const std::string name = schema->Column(c)->name();
    const auto chunk = row_group->ColumnChunk(c);
    const auto& encodings = chunk->encodings();
    const bool delta = std::ranges::count(encodings, parquet::Encoding::DELTA_BINARY_PACKED) > 0;
    EXPECT_EQ(chunk->has_dictionary_page(), name != "id" && name != "name") << name;
    EXPECT_EQ(delta, name == "id") << name;
  }
  std::vector<int64_t> expected(300);
  std::iota(expected.begin(), expected.end(), 0);
  std::vector<AddFile> files;
  for (const auto& [path, add] : s->files) files.push_back(add);
  EXPECT_EQ(TestIds(*lake, "t", files), expected);
}

TEST(Vacuum, DeletesOnlyWhatNoSnapshotInTheRetentionNeeds) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = lake->Log("t");
  ASSERT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  for (int i = 0; i < 4; ++i) AppendTestRows(*lake, *log, "t", i, 1);
  ASSERT_EQ(CompactSmallFiles(*lake, *log, "t", 1 << 20).ValueOrDie().files_removed, 4);
  fs::create_directories(dir.path() + "/t/_pizzastream");
  WriteFile(dir.path() + "/t/_pizzastream/state.json", "{}");
  // Within the default retention nothing goes.
  auto kept = Vacuum(*lake, *log, "t", kDefaultVacuumRetentionMs, false).ValueOrDie();
  EXPECT_TRUE(kept.deleted.empty());
  EXPECT_EQ(kept.kept_live, 1);
  // With no retention the four compacted-away files go, the live one and hidden dirs stay.
  auto gone = Vacuum(*lake, *log, "t", 0, false).ValueOrDie();
  EXPECT_EQ(gone.deleted.size(), 4u);
  EXPECT_TRUE(fs::exists(dir.path() + "/t/_pizzastream/state.json"));
  const Snapshot* s = log->Update().ValueOrDie();
  for (const auto& [path, f] : s->files) EXPECT_TRUE(fs::exists(dir.path() + "/t/" + path));
  EXPECT_EQ(TestIds(*lake, "t", {s->files.begin()->second}).size(), 4u);
}

TEST(FileStatistics, AddsCarryMinMaxAndNullCounts) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  ASSERT_TRUE(lake->Log("t")->CreateIfMissing(DeltaTestSchema()).ok());
  auto add = lake->WriteParquet("t", DeltaTestSchema(), {DeltaTestRows(3, 4)}).ValueOrDie();
  const auto stats = nlohmann::json::parse(add.stats);
  EXPECT_EQ(stats["numRecords"], 4);
  EXPECT_EQ(stats["minValues"]["id"], 3);
  EXPECT_EQ(stats["maxValues"]["id"], 6);
  EXPECT_DOUBLE_EQ(stats["minValues"]["price"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(stats["maxValues"]["price"].get<double>(), 1.50);
  EXPECT_EQ(stats["minValues"]["day"], "2015-01-01");
  EXPECT_EQ(stats["minValues"]["name"], "pizza 3");
  EXPECT_EQ(stats["maxValues"]["name"], "pizza 6");
  EXPECT_EQ(stats["nullCount"]["name"], 0);
  ParquetHints hints;
  hints.no_statistics = {"name"};
  auto plain =
      lake->WriteParquet("t", DeltaTestSchema(), {DeltaTestRows(3, 4)}, hints).ValueOrDie();
  EXPECT_FALSE(nlohmann::json::parse(plain.stats)["minValues"].contains("name"));
}

}  // namespace
}  // namespace pizzastream::lake
