// What incremental readers see: data changes only (dataChange adds outside commits that change
// existing rows), removes honoured in snapshots.
#include <gtest/gtest.h>

#include "lake/delta_log.h"
#include "lake/incremental_input.h"
#include "support/delta_fixture.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

using namespace pizzastream::testing;

TEST(DeltaChanges, RemoveTakesAFileOutOfTheSnapshot) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = lake->Log("t");
  ASSERT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  AppendTestRows(*lake, *log, "t", 0, 10);
  AppendTestRows(*lake, *log, "t", 10, 5);
  const Snapshot* s = log->Update().ValueOrDie();
  ASSERT_EQ(s->files.size(), 2u);
  const AddFile first = s->files.begin()->second;
  Commit del;
  del.removes.push_back({first.path, 1, /*data_change=*/true, first.size});
  del.operation = "DELETE";
  ASSERT_TRUE(log->CommitAppend(del, {}).ok());

  auto reader = lake->Log("t");  // a fresh reader replays the remove too
  s = reader->Update().ValueOrDie();
  EXPECT_EQ(s->files.size(), 1u);
  EXPECT_EQ(s->files.count(first.path), 0u);
  EXPECT_EQ(s->num_records, 15 - first.num_records);
  EXPECT_EQ(s->tombstones.count(first.path), 1u);
}

TEST(DeltaChanges, ACompactionIsNotNewData) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto writer = lake->Log("t");
  ASSERT_TRUE(writer->CreateIfMissing(DeltaTestSchema()).ok());
  AppendTestRows(*lake, *writer, "t", 0, 3);
  AppendTestRows(*lake, *writer, "t", 3, 3);
  // Compact both files into one: remove + add, dataChange=false.
  const Snapshot* s = writer->Update().ValueOrDie();
  Commit compact;
  compact.operation = "OPTIMIZE";
  for (const auto& [path, f] : s->files) compact.removes.push_back({path, 1, false, f.size});
  auto add = lake->WriteParquet("t", DeltaTestSchema(), {DeltaTestRows(0, 6)}).ValueOrDie();
  add.data_change = false;
  compact.adds.push_back(add);
  const int64_t compacted = writer->CommitAppend(compact, {}).ValueOrDie();
  AppendTestRows(*lake, *writer, "t", 6, 2);

  auto reader = lake->Log("t");
  // A reader that had read nothing gets the two original files and the new one: 8 rows once.
  auto range = NextRange(*reader, 0, 1000, -1).ValueOrDie();
  EXPECT_EQ(TestIds(*lake, "t", range.files), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(range.to_version, compacted + 1);
  // A reader that had read up to the compaction sees only the later append.
  auto after = lake->Log("t");
  range = NextRange(*after, compacted - 1, 1000, -1).ValueOrDie();
  EXPECT_EQ(TestIds(*lake, "t", range.files), (std::vector<int64_t>{6, 7}));
  EXPECT_EQ(RecordsAfter(*after, compacted).ValueOrDie(), 2);
  // The snapshot holds the compacted file and the last append: 8 rows, no double.
  EXPECT_EQ(reader->Update().ValueOrDie()->num_records, 8);
  EXPECT_EQ(reader->Update().ValueOrDie()->files.size(), 2u);
}

TEST(DeltaChanges, ACommitThatRewritesExistingRowsBringsNoNewRows) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = lake->Log("t");
  ASSERT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  AppendTestRows(*lake, *log, "t", 0, 4);
  // A delete as delta-rs writes it: the file removed and its surviving rows re-added, all
  // dataChange=true.
  const AddFile old = log->Update().ValueOrDie()->files.begin()->second;
  Commit del;
  del.operation = "DELETE";
  del.removes.push_back({old.path, 1, true, old.size});
  del.adds.push_back(
      lake->WriteParquet("t", DeltaTestSchema(), {DeltaTestRows(0, 3)}).ValueOrDie());
  const int64_t deleted = log->CommitAppend(del, {}).ValueOrDie();
  AppendTestRows(*lake, *log, "t", 100, 1);

  // A reader that had read the first append gets only the later one...
  auto reader = lake->Log("t");
  auto range = NextRange(*reader, 1, 1000, -1).ValueOrDie();
  EXPECT_EQ(TestIds(*lake, "t", range.files), (std::vector<int64_t>{100}));
  EXPECT_EQ(range.to_version, deleted + 1);
  // ...and one that had read nothing gets every appended row once.
  auto fresh = lake->Log("t");
  range = NextRange(*fresh, 0, 1000, -1).ValueOrDie();
  EXPECT_EQ(TestIds(*lake, "t", range.files), (std::vector<int64_t>{0, 1, 2, 3, 100}));
}

TEST(DeltaChanges, BudgetSplitsBetweenCommitsNeverInside) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = lake->Log("t");
  ASSERT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  for (int i = 0; i < 4; ++i) AppendTestRows(*lake, *log, "t", i * 10, 10);
  auto reader = lake->Log("t");
  auto range = NextRange(*reader, 0, 15, -1).ValueOrDie();
  EXPECT_EQ(range.records, 10);
  EXPECT_EQ(range.to_version, 1);
  range = NextRange(*reader, 1, 25, -1).ValueOrDie();
  EXPECT_EQ(range.records, 20);
  EXPECT_EQ(range.to_version, 3);
  range = NextRange(*reader, 3, 25, /*forced_end=*/4).ValueOrDie();
  EXPECT_EQ(range.to_version, 4);
  EXPECT_TRUE(NextRange(*reader, 4, 25, -1).ValueOrDie().empty());
}

}  // namespace
}  // namespace pizzastream::lake
