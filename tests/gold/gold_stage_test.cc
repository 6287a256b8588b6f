// Gold's pizza keys end to end through the lake: ids keep the keys dim_pizza already gives
// them (lakes made with the former crc32 keys keep working), new ids get their wide key, and
// an id whose key another id already holds stops gold with an error instead of merging them.
#include "gold/gold_stage.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "core/money.h"
#include "gold/dimensions.h"
#include "gold/gold_schema.h"
#include "silver/silver_schema.h"
#include "support/process.h"

namespace pizzastream::gold {
namespace {

using testing::TempDir;

// Commits `batch` (all of `schema`) to `table`, creating the table if needed.
void Append(const lake::Lakehouse& lake, const char* table,
            const std::shared_ptr<arrow::Schema>& schema,
            const std::shared_ptr<arrow::RecordBatch>& batch) {
  auto log = lake.Log(table);
  ASSERT_TRUE(log->CreateIfMissing(schema).ok());
  lake::Commit c;
  c.adds.push_back(lake.WriteParquet(table, schema, {batch}).ValueOrDie());
  ASSERT_TRUE(log->CommitAppend(c, {}).ok());
}

std::shared_ptr<arrow::Array> Strings(const std::vector<std::string>& values) {
  arrow::StringBuilder b;
  for (const auto& v : values) EXPECT_TRUE(b.Append(v).ok());
  return b.Finish().ValueOrDie();
}

template <typename Builder, typename T>
std::shared_ptr<arrow::Array> Column(Builder b, size_t n, T value) {
  for (size_t i = 0; i < n; ++i) EXPECT_TRUE(b.Append(value).ok());
  return b.Finish().ValueOrDie();
}

// One accepted order line per pizza_name_id, ids from `first_id` on, 10.00 each.
void AppendSilver(const lake::Lakehouse& lake, const std::vector<std::string>& pizza_ids,
                  int64_t first_id) {
  const auto schema = silver::CleanedSchema();
  const size_t n = pizza_ids.size();
  arrow::Int64Builder ids;
  for (size_t i = 0; i < n; ++i) ASSERT_TRUE(ids.Append(first_id + static_cast<int64_t>(i)).ok());
  auto item_ids = ids.Finish().ValueOrDie();
  const arrow::Decimal128 price(1000);
  arrow::ArrayVector cols = {
      item_ids,
      item_ids,
      Strings(pizza_ids),
      Column(arrow::Int32Builder(), n, 1),
      Column(arrow::Date32Builder(), n, 16436),  // 2015-01-01
      Column(arrow::TimestampBuilder(schema->field(silver::kOrderTime)->type(),
                                     arrow::default_memory_pool()),
             n, TimestampMicros(16436, 11 * 3600 + 38 * 60 + 36)),
      Column(arrow::Decimal128Builder(money::UnitPriceType()), n, price),
      Column(arrow::Decimal128Builder(money::TotalPriceType()), n, price),
      Column(arrow::StringBuilder(), n, "M"),
      Column(arrow::StringBuilder(), n, "Classic"),
      Column(arrow::StringBuilder(), n, "x"),
      Strings(pizza_ids),  // pizza_name
      Column(arrow::StringBuilder(), n, "web"),
      Column(arrow::Int32Builder(), n, 0),
      item_ids,
      Column(arrow::TimestampBuilder(schema->field(silver::kIngestTime)->type(),
                                     arrow::default_memory_pool()),
             n, int64_t{0})};
  Append(lake, lake::tables::kSilverCleaned, schema,
         arrow::RecordBatch::Make(schema, static_cast<int64_t>(n), cols));
}

// A dim_pizza commit with these (pizza_sk, pizza_name_id) rows, as an earlier gold wrote them.
void AppendDimPizza(const lake::Lakehouse& lake,
                    const std::vector<std::pair<int64_t, std::string>>& rows) {
  const auto schema = DimPizzaSchema();
  arrow::Int64Builder sks;
  std::vector<std::string> ids;
  for (const auto& [sk, id] : rows) {
    ASSERT_TRUE(sks.Append(sk).ok());
    ids.push_back(id);
  }
  const size_t n = rows.size();
  arrow::ArrayVector cols = {
      sks.Finish().ValueOrDie(),
      Strings(ids),
      Strings(ids),
      Column(arrow::StringBuilder(), n, "M"),
      Column(arrow::Decimal128Builder(money::UnitPriceType()), n, arrow::Decimal128(1000)),
      Column(arrow::StringBuilder(), n, "x"),
      Strings(ids),
      Column(arrow::StringBuilder(), n, "Classic")};
  Append(lake, lake::tables::kGoldDimPizza, schema,
         arrow::RecordBatch::Make(schema, static_cast<int64_t>(n), cols));
}

// pizza_name_id -> pizza_sk of every dim_pizza row (a repeated id fails the test).
std::map<std::string, int64_t> DimPizzaKeys(const lake::Lakehouse& lake) {
  std::map<std::string, int64_t> out;
  auto log = lake.Log(lake::tables::kGoldDimPizza);  // outlives the snapshot it returns
  const auto schema = DimPizzaSchema();
  const auto key_schema = arrow::schema({schema->field(0), schema->field(1)});
  for (const auto& [path, f] : log->Update().ValueOrDie()->files) {
    auto batch = lake.ReadParquet(lake::tables::kGoldDimPizza, f, key_schema)
                     .ValueOrDie()
                     ->CombineChunksToBatch()
                     .ValueOrDie();
    const auto& sks = static_cast<const arrow::Int64Array&>(*batch->column(0));
    const auto& ids = static_cast<const arrow::StringArray&>(*batch->column(1));
    for (int64_t i = 0; i < batch->num_rows(); ++i) {
      EXPECT_TRUE(out.emplace(std::string(ids.GetView(i)), sks.Value(i)).second) << ids.GetView(i);
    }
  }
  return out;
}

TEST(GoldStage, KeepsTheKeysOfAnOlderLakeAndNeverMergesCrc32Twins) {
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  // A lake whose gold ran with crc32 keys: hawaiian_m has crc32("hawaiian_m").
  const int64_t old_key = 0x3d5a4b1e;
  AppendDimPizza(*lake, {{old_key, "hawaiian_m"}});
  AppendSilver(*lake, {"hawaiian_m", "plumless", "buckeroo", "plumless"}, 1);
  auto stage = GoldStage::Open(lake, {}).ValueOrDie();
  ASSERT_EQ(stage->Step().ValueOrDie().rows_out, 4);
  const std::map<std::string, int64_t> expected = {{"hawaiian_m", old_key},
                                                   {"plumless", PizzaSurrogateKey("plumless")},
                                                   {"buckeroo", PizzaSurrogateKey("buckeroo")}};
  EXPECT_EQ(DimPizzaKeys(*lake), expected);
  // A restarted gold reads the keys back: the same keys, no second dim_pizza row.
  AppendSilver(*lake, {"buckeroo", "hawaiian_m"}, 5);
  auto again = GoldStage::Open(lake, {}).ValueOrDie();
  ASSERT_EQ(again->Step().ValueOrDie().rows_out, 2);
  EXPECT_EQ(DimPizzaKeys(*lake), expected);
}

TEST(GoldStage, AKeyAlreadyHeldByAnotherIdStopsGoldWithAClearError) {
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  AppendDimPizza(*lake, {{PizzaSurrogateKey("buckeroo"), "plumless"}});
  AppendSilver(*lake, {"buckeroo"}, 1);
  auto stage = GoldStage::Open(lake, {}).ValueOrDie();
  auto step = stage->Step();
  ASSERT_FALSE(step.ok());
  EXPECT_NE(step.status().message().find("collision"), std::string::npos) << step.status();
  EXPECT_EQ(lake->Log(lake::tables::kGoldFact)->Update().ValueOrDie()->num_records, 0);
}

// A step over more silver rows than gold reads at a time, from files (no hand-off: the lake is
// fresh): its facts are one file, every row once, with the whole step's stats, and the load in
// this process is handed them when they fit its budget.
TEST(GoldStage, AStepReadInBatchesIsOneFactFileWithTheWholeStepsStats) {
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  constexpr int64_t kPerCommit = 20000;  // more than one read batch (16k)
  for (int64_t c = 0; c < 3; ++c) {
    AppendSilver(*lake, std::vector<std::string>(kPerCommit, "hawaiian_m"), 1 + c * kPerCommit);
  }
  lake->written().Expect(lake::tables::kGoldFact);
  auto stage = GoldStage::Open(lake, {}).ValueOrDie();
  ASSERT_EQ(stage->Step().ValueOrDie().rows_out, 3 * kPerCommit);
  auto log = lake->Log(lake::tables::kGoldFact);
  const auto snapshot = log->Update().ValueOrDie();
  ASSERT_EQ(snapshot->files.size(), 1u);
  const lake::AddFile& f = snapshot->files.begin()->second;
  const auto stats = nlohmann::json::parse(f.stats);
  EXPECT_EQ(stats["numRecords"], 3 * kPerCommit) << f.stats;
  EXPECT_EQ(stats["minValues"]["order_item_id"], 1) << f.stats;
  EXPECT_EQ(stats["maxValues"]["order_item_id"], 3 * kPerCommit) << f.stats;
  const auto read = lake->ReadParquet(lake::tables::kGoldFact, f, FactOrderItemSchema())
                        .ValueOrDie()
                        ->CombineChunksToBatch()
                        .ValueOrDie();
  ASSERT_EQ(read->num_rows(), 3 * kPerCommit);
  const auto& ids = static_cast<const arrow::Int64Array&>(*read->column(0));
  for (int64_t i = 0; i < read->num_rows(); ++i) ASSERT_EQ(ids.Value(i), i + 1);
  // The facts fit the default hand-off budget: the load takes them from memory.
  const auto handed = lake->written().Take(lake::tables::kGoldFact, f.path);
  ASSERT_TRUE(handed.has_value());
  int64_t rows = 0;
  for (const auto& b : *handed) rows += b->num_rows();
  EXPECT_EQ(rows, 3 * kPerCommit);
}

}  // namespace
}  // namespace pizzastream::gold
