// silver_cleaned's upgrade path: a lake whose silver wrote order_time as text (the first
// layout) keeps working. Gold reads such files as they are; silver, when it opens the table,
// rewrites it with order_time typed and changes its schema in one commit that gold does not
// take for new rows, so a gold that was behind still reads every row once, with the same
// figures as from a lake of the current layout.
#include "silver/cleaned_layout_upgrade.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/money.h"
#include "gold/gold_schema.h"
#include "gold/gold_stage.h"
#include "silver/silver_schema.h"
#include "silver/silver_stage.h"
#include "support/process.h"

namespace pizzastream::silver {
namespace {

using testing::TempDir;

// CleanedSchema as the first version wrote it: order_time as "HH:MM:SS" text.
std::shared_ptr<arrow::Schema> FirstLayoutSchema() {
  return CleanedSchema()
      ->SetField(kOrderTime, arrow::field("order_time", arrow::utf8(), false))
      .ValueOrDie();
}

struct OldLine {
  int64_t id;
  EpochDay day;
  std::string time;  // as the first layout stored it
};

template <typename Builder, typename T>
std::shared_ptr<arrow::Array> Repeat(Builder b, size_t n, T value) {
  for (size_t i = 0; i < n; ++i) EXPECT_TRUE(b.Append(value).ok());
  return b.Finish().ValueOrDie();
}

// Commits `lines` to silver_cleaned in the first layout (creating the table in it).
void AppendFirstLayout(const lake::Lakehouse& lake, const std::vector<OldLine>& lines) {
  const auto schema = FirstLayoutSchema();
  const size_t n = lines.size();
  arrow::Int64Builder ids;
  arrow::Date32Builder days;
  arrow::StringBuilder times;
  for (const auto& l : lines) {
    ASSERT_TRUE(ids.Append(l.id).ok());
    ASSERT_TRUE(days.Append(l.day).ok());
    ASSERT_TRUE(times.Append(l.time).ok());
  }
  auto item_ids = ids.Finish().ValueOrDie();
  const arrow::Decimal128 price(1000);
  arrow::ArrayVector cols = {item_ids,
                             item_ids,
                             Repeat(arrow::StringBuilder(), n, "hawaiian_m"),
                             Repeat(arrow::Int32Builder(), n, 1),
                             days.Finish().ValueOrDie(),
                             times.Finish().ValueOrDie(),
                             Repeat(arrow::Decimal128Builder(money::UnitPriceType()), n, price),
                             Repeat(arrow::Decimal128Builder(money::TotalPriceType()), n, price),
                             Repeat(arrow::StringBuilder(), n, "M"),
                             Repeat(arrow::StringBuilder(), n, "Classic"),
                             Repeat(arrow::StringBuilder(), n, "x"),
                             Repeat(arrow::StringBuilder(), n, "The Hawaiian Pizza"),
                             Repeat(arrow::StringBuilder(), n, "web"),
                             Repeat(arrow::Int32Builder(), n, 0),
                             item_ids,
                             Repeat(arrow::TimestampBuilder(schema->field(kIngestTime)->type(),
                                                            arrow::default_memory_pool()),
                                    n, int64_t{0})};
  auto log = lake.Log(lake::tables::kSilverCleaned);
  ASSERT_TRUE(log->CreateIfMissing(schema).ok());
  lake::Commit c;
  c.adds.push_back(
      lake.WriteParquet(lake::tables::kSilverCleaned, schema,
                        {arrow::RecordBatch::Make(schema, static_cast<int64_t>(n), cols)})
          .ValueOrDie());
  ASSERT_TRUE(log->CommitAppend(c, {}).ok());
}

// order_item_id -> time_id of every fact row gold committed (a repeated id fails the test).
std::map<int64_t, int32_t> FactTimeIds(const lake::Lakehouse& lake) {
  std::map<int64_t, int32_t> out;
  auto log = lake.Log(lake::tables::kGoldFact);
  const auto schema = gold::FactOrderItemSchema();
  const auto columns = arrow::schema({schema->field(0), schema->field(4)});
  for (const auto& [path, f] : log->Update().ValueOrDie()->files) {
    auto batch = lake.ReadParquet(lake::tables::kGoldFact, f, columns)
                     .ValueOrDie()
                     ->CombineChunksToBatch()
                     .ValueOrDie();
    const auto& ids = static_cast<const arrow::Int64Array&>(*batch->column(0));
    const auto& times = static_cast<const arrow::Int32Array&>(*batch->column(1));
    for (int64_t i = 0; i < batch->num_rows(); ++i) {
      EXPECT_TRUE(out.emplace(ids.Value(i), times.Value(i)).second) << ids.Value(i);
    }
  }
  return out;
}

const EpochDay kDay = ToEpochDay({2015, 1, 1});

TEST(CleanedLayoutUpgrade, GoldReadsAFileOfTheFirstLayout) {
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  AppendFirstLayout(*lake, {{1, kDay, "11:38:36"}, {2, kDay + 1, "23:05:59"}});
  auto gold = gold::GoldStage::Open(lake, {}).ValueOrDie();
  ASSERT_EQ(gold->Step().ValueOrDie().rows_out, 2);
  EXPECT_EQ(FactTimeIds(*lake), (std::map<int64_t, int32_t>{{1, 1138}, {2, 2305}}));
}

TEST(CleanedLayoutUpgrade, AFileUpgradeTurnsTheTextIntoTheOrdersTimestamp) {
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  AppendFirstLayout(*lake, {{1, kDay, "9:05:07"}});
  auto log = lake->Log(lake::tables::kSilverCleaned);
  const auto& file = log->Update().ValueOrDie()->files.begin()->second;
  // Without the upgrade the old file does not fit the current schema...
  EXPECT_FALSE(lake->ReadParquet(lake::tables::kSilverCleaned, file, CleanedSchema()).ok());
  // ...with it, it reads as the current layout.
  auto table =
      lake->ReadParquet(lake::tables::kSilverCleaned, file, CleanedSchema(), CleanedFileUpgrade())
          .ValueOrDie();
  const auto& stamps =
      static_cast<const arrow::TimestampArray&>(*table->column(kOrderTime)->chunk(0));
  EXPECT_EQ(stamps.Value(0), TimestampMicros(kDay, 9 * 3600 + 5 * 60 + 7));
}

TEST(CleanedLayoutUpgrade, AnUnreadableOldTimeIsAnErrorNamingTheFile) {
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  AppendFirstLayout(*lake, {{1, kDay, "25:99"}});
  auto log = lake->Log(lake::tables::kSilverCleaned);
  const auto& file = log->Update().ValueOrDie()->files.begin()->second;
  const Status st =
      lake->ReadParquet(lake::tables::kSilverCleaned, file, CleanedSchema(), CleanedFileUpgrade())
          .status();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(file.path), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("25:99"), std::string::npos) << st.message();
}

TEST(CleanedLayoutUpgrade, SilverUpgradesTheTableAndAGoldBehindItCountsEveryRowOnce) {
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  AppendFirstLayout(*lake, {{1, kDay, "11:38:36"}, {2, kDay, "12:00:00"}});
  AppendFirstLayout(*lake, {{3, kDay + 1, "23:05:59"}});
  // Gold of the old version had processed the first commit only.
  auto gold = gold::GoldStage::Open(lake, {.max_records = 1}).ValueOrDie();
  ASSERT_EQ(gold->Step().ValueOrDie().rows_in, 2);

  // Silver opens the lake: the table is rewritten with order_time typed, in one commit.
  ASSERT_TRUE(SilverStage::Open(lake, {}).ok());
  auto log = lake->Log(lake::tables::kSilverCleaned);
  const lake::Snapshot* snapshot = log->Update().ValueOrDie();
  EXPECT_TRUE(snapshot->schema->Equals(*CleanedSchema())) << snapshot->schema->ToString();
  EXPECT_EQ(snapshot->num_records, 3);
  for (const auto& [path, f] : snapshot->files) {
    EXPECT_TRUE(lake->ReadParquet(lake::tables::kSilverCleaned, f, CleanedSchema()).ok()) << path;
  }
  EXPECT_EQ(log->History(1).ValueOrDie()[0].operation, "CHANGE COLUMN");
  // Opening it again changes nothing.
  const int64_t upgraded_version = snapshot->version;
  ASSERT_TRUE(SilverStage::Open(lake, {}).ok());
  EXPECT_EQ(log->Update().ValueOrDie()->version, upgraded_version);

  // Gold, behind the rewrite, reads the old file it had not processed, and no row twice.
  int64_t rows = 0;
  for (int i = 0; i < 5; ++i) rows += gold->Step().ValueOrDie().rows_in;
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(FactTimeIds(*lake), (std::map<int64_t, int32_t>{{1, 1138}, {2, 1200}, {3, 2305}}));
}

}  // namespace
}  // namespace pizzastream::silver
