#include "silver/silver_stage.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include "bronze/bronze_schema.h"
#include "bronze/order_line_rows.h"
#include "silver/silver_schema.h"
#include "support/process.h"

namespace pizzastream::silver {
namespace {

using testing::TempDir;

// Appends one bronze commit of lines "id,order_id" (quantity 1, 10.00 each; id "x" is invalid).
void AppendBronze(const lake::Lakehouse& lake, const std::vector<std::string>& ids) {
  auto schema = bronze::OrderLinesSchema();
  bronze::OrderLineRows rows;
  static int64_t next_offset = 0;
  std::array<bool, bronze::OrderLineRows::kFields> present;
  present.fill(true);
  for (const auto& id : ids) {
    const std::array<std::string_view, bronze::OrderLineRows::kFields> fields = {
        id,      "1", "hawaiian_m", "1",   "1/1/2015",           "11:00:00", "10.00",
        "10.00", "M", "Classic",    "Ham", "The Hawaiian Pizza", "web"};
    ASSERT_TRUE(rows.Add(fields, present, 0, "t", 0, next_offset++).ok());
  }
  auto batch = rows.Finish().ValueOrDie();
  auto log = lake.Log(lake::tables::kBronzeOrderLines);
  ASSERT_TRUE(log->CreateIfMissing(schema).ok());
  lake::Commit c;
  c.adds.push_back(
      lake.WriteParquet(lake::tables::kBronzeOrderLines, schema, {batch}).ValueOrDie());
  ASSERT_TRUE(log->CommitAppend(c, {}).ok());
}

int64_t Rows(const lake::Lakehouse& lake, const char* table) {
  return lake.Log(table)->Update().ValueOrDie()->num_records;
}

TEST(SilverStage, FirstAcceptedLineWinsAcrossStepsAndRestarts) {
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  AppendBronze(*lake, {"1", "2", "2", "x"});
  {
    auto stage = SilverStage::Open(lake, {}).ValueOrDie();
    auto r = stage->Step().ValueOrDie();
    EXPECT_EQ(r.rows_out, 2);
    EXPECT_EQ(r.duplicates, 1);
    EXPECT_EQ(r.rejected, 1);
    EXPECT_EQ(stage->Step().ValueOrDie().rows_in, 0);  // nothing new
  }
  AppendBronze(*lake, {"2", "3"});
  auto restarted = SilverStage::Open(lake, {}).ValueOrDie();  // rebuilds its state from silver
  auto r = restarted->Step().ValueOrDie();
  EXPECT_EQ(r.rows_out, 1);
  EXPECT_EQ(r.duplicates, 1);
  namespace t = lake::tables;
  EXPECT_EQ(Rows(*lake, t::kSilverCleaned), 3);
  EXPECT_EQ(Rows(*lake, t::kSilverOrderItems), 3);
  EXPECT_EQ(Rows(*lake, t::kSilverTimestamp), 3);
  EXPECT_EQ(Rows(*lake, t::kSilverDuplicates), 2);
  EXPECT_EQ(Rows(*lake, t::kSilverQuarantine), 1);
  EXPECT_EQ(Rows(*lake, t::kSilverPizzaCatalog), 1);
}

TEST(SilverStage, AStepCutShortAfterSomeTablesIsRedoneWithoutDoubles) {
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  AppendBronze(*lake, {"1", "x"});
  AppendBronze(*lake, {"2", "y"});
  // A crashed step: quarantine got the step covering bronze up to version 2, nothing else did.
  {
    auto log = lake->Log(lake::tables::kSilverQuarantine);
    ASSERT_TRUE(log->CreateIfMissing(RejectedSchema()).ok());
    lake::Commit c;
    c.txns[kSilverAppId] = 2;
    ASSERT_TRUE(log->CommitAppend(c, {}).ok());
  }
  SilverOptions options;
  options.max_records = 1;  // would otherwise take one bronze commit per step
  auto stage = SilverStage::Open(lake, options).ValueOrDie();
  auto r = stage->Step().ValueOrDie();
  EXPECT_EQ(r.rows_in, 4);  // the whole cut-short range, not one commit
  namespace t = lake::tables;
  EXPECT_EQ(Rows(*lake, t::kSilverCleaned), 2);
  EXPECT_EQ(Rows(*lake, t::kSilverQuarantine), 0);  // that table had already covered the range
}

}  // namespace
}  // namespace pizzastream::silver
