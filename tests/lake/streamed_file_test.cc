// A step's data file written a batch at a time: finished, it holds every batch with the whole
// file's stats; abandoned (the step failed part way), it leaves nothing in the table.
#include "lake/streamed_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/delta_fixture.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

using namespace pizzastream::testing;
namespace fs = std::filesystem;

int DataFiles(const fs::path& table) {
  int n = 0;
  if (!fs::exists(table)) return 0;
  for (const auto& e : fs::directory_iterator(table)) n += e.path().extension() == ".parquet";
  return n;
}

TEST(StreamedFile, FinishedItHoldsEveryBatchWithTheWholeFilesStats) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  ASSERT_TRUE(lake->Log("t")->CreateIfMissing(DeltaTestSchema()).ok());
  StreamedFile file(*lake, "t", DeltaTestSchema());
  ASSERT_TRUE(file.Write(DeltaTestRows(10, 5)).ok());
  ASSERT_TRUE(file.Write(DeltaTestRows(0, 5)).ok());
  const auto add = file.Finish().ValueOrDie();
  ASSERT_TRUE(add.has_value());
  EXPECT_EQ(add->num_records, 10);
  const auto stats = nlohmann::json::parse(add->stats);
  EXPECT_EQ(stats["numRecords"], 10) << add->stats;
  const auto read = lake->ReadParquet("t", *add, DeltaTestSchema()).ValueOrDie();
  EXPECT_EQ(read->num_rows(), 10);
  EXPECT_EQ(DataFiles(dir / "t"), 1);
}

TEST(StreamedFile, AbandonedPartWayItLeavesNoFileBehind) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  ASSERT_TRUE(lake->Log("t")->CreateIfMissing(DeltaTestSchema()).ok());
  for (int attempt = 0; attempt < 3; ++attempt) {  // a step retried after failing part way
    StreamedFile file(*lake, "t", DeltaTestSchema());
    ASSERT_TRUE(file.Write(DeltaTestRows(0, 100)).ok());
    ASSERT_TRUE(file.Write(DeltaTestRows(100, 100)).ok());
  }
  EXPECT_EQ(DataFiles(dir / "t"), 0);
  StreamedFile empty(*lake, "t", DeltaTestSchema());  // no row: no file at all
  EXPECT_FALSE(empty.Finish().ValueOrDie().has_value());
  EXPECT_EQ(DataFiles(dir / "t"), 0);
}

}  // namespace
}  // namespace pizzastream::lake
