#include "silver/silver_stage.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "bronze/bronze_schema.h"
#include "bronze/order_line_rows.h"
#include "lake/text_column.h"
#include "silver/rules.h"
#include "silver/silver_schema.h"
#include "sources/generator.h"
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

// A step larger than silver's output chunk writes each order-line table as one file whose rows
// and stats are the whole step's; a table a crashed step already committed gets no new file.
TEST(SilverStage, AStepWrittenInChunksIsOneFilePerTableWithTheWholeStepsStats) {
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  std::vector<std::string> ids;
  for (int i = 1; i <= 70000; ++i) ids.push_back(std::to_string(i));
  AppendBronze(*lake, ids);
  // A crashed step had committed order_items for this range (and only that table).
  {
    auto log = lake->Log(lake::tables::kSilverOrderItems);
    ASSERT_TRUE(log->CreateIfMissing(OrderItemsSchema()).ok());
    lake::Commit c;
    c.txns[kSilverAppId] = 1;
    ASSERT_TRUE(log->CommitAppend(c, {}).ok());
  }
  auto stage = SilverStage::Open(lake, {}).ValueOrDie();
  EXPECT_EQ(stage->Step().ValueOrDie().rows_out, 70000);
  namespace t = lake::tables;
  for (const char* table : {t::kSilverCleaned, t::kSilverTimestamp}) {
    auto log = lake->Log(table);
    const lake::Snapshot* snapshot = log->Update().ValueOrDie();
    ASSERT_EQ(snapshot->files.size(), 1u) << table;
    const lake::AddFile& f = snapshot->files.begin()->second;
    EXPECT_EQ(f.num_records, 70000) << table;
    const auto stats = nlohmann::json::parse(f.stats);
    EXPECT_EQ(stats["numRecords"], 70000) << table;
    EXPECT_EQ(stats["minValues"]["order_item_id"], 1) << f.stats;
    EXPECT_EQ(stats["maxValues"]["order_item_id"], 70000) << f.stats;
    EXPECT_EQ(stats["nullCount"]["order_item_id"], 0) << f.stats;
    // Min/max where a file holds a range (ids, dates, times), none for text every file spans.
    EXPECT_TRUE(stats["minValues"].contains("order_date")) << f.stats;
    for (const char* spanned : {"pizza_name_id", "pizza_size", "pizza_category", "order_channel",
                                "pizza_name", "pizza_ingredients"}) {
      EXPECT_FALSE(stats["minValues"].contains(spanned)) << spanned << " " << f.stats;
    }
  }
  {
    auto log = lake->Log(t::kSilverTimestamp);
    const auto stats =
        nlohmann::json::parse(log->Update().ValueOrDie()->files.begin()->second.stats);
    EXPECT_TRUE(stats["minValues"].contains("order_timestamp")) << stats;
    EXPECT_FALSE(stats["minValues"].contains("order_time")) << stats;  // "HH:MM:SS" text
  }
  EXPECT_EQ(Rows(*lake, t::kSilverOrderItems), 0);
  int parquet_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "silver/silver_order_items")) {
    parquet_files += entry.path().extension() == ".parquet";
  }
  EXPECT_EQ(parquet_files, 0);  // not written to be left unreferenced
}

// One bronze line: its fields (nullopt: absent) and where it came from.
struct BronzeLine {
  std::array<std::optional<std::string>, bronze::OrderLineRows::kFields> fields;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t ingest = 0;
};

// Appends `lines` to bronze as one commit (one data file), its columns written as `hints` say.
void AppendLines(const lake::Lakehouse& lake, const std::vector<BronzeLine>& lines,
                 const lake::ParquetHints& hints = bronze::OrderLinesParquetHints()) {
  bronze::OrderLineRows rows;
  for (const BronzeLine& line : lines) {
    std::array<std::string_view, bronze::OrderLineRows::kFields> fields;
    std::array<bool, bronze::OrderLineRows::kFields> present;
    for (size_t c = 0; c < fields.size(); ++c) {
      present[c] = line.fields[c].has_value();
      if (present[c]) fields[c] = *line.fields[c];
    }
    ASSERT_TRUE(rows.Add(fields, present, line.ingest, "t", line.partition, line.offset).ok());
  }
  auto schema = bronze::OrderLinesSchema();
  auto log = lake.Log(lake::tables::kBronzeOrderLines);
  ASSERT_TRUE(log->CreateIfMissing(schema).ok());
  lake::Commit c;
  c.adds.push_back(lake.WriteParquet(lake::tables::kBronzeOrderLines, schema,
                                     {rows.Finish().ValueOrDie()}, hints)
                       .ValueOrDie());
  ASSERT_TRUE(log->CommitAppend(c, {}).ok());
}

// Every row of `table`, as one chunk per column.
std::shared_ptr<arrow::Table> ReadAll(const lake::Lakehouse& lake, const char* table,
                                      const std::shared_ptr<arrow::Schema>& schema) {
  std::vector<std::shared_ptr<arrow::Table>> parts;
  auto log = lake.Log(table);
  const auto snapshot = log->Update().ValueOrDie();
  for (const auto& [path, f] : snapshot->files) {
    parts.push_back(lake.ReadParquet(table, f, schema).ValueOrDie());
  }
  if (parts.empty()) return arrow::Table::MakeEmpty(schema).ValueOrDie();
  return arrow::ConcatenateTables(parts).ValueOrDie()->CombineChunks().ValueOrDie();
}

template <typename ArrayType>
const ArrayType& Column(const arrow::Table& table, int i) {
  return static_cast<const ArrayType&>(*table.column(i)->chunk(0));
}

TEST(SilverStage, EachOutputRowIsItsBronzeLineAsTheRulesTypeIt) {
  // A generated stream with broken and re-sent lines, and copies of its lines (new ids) whose
  // text fields carry blanks and odd case; in three bronze commits, so one step reads three
  // batches. The middle file is written as another tool might, every column plain (no
  // dictionary pages): silver reads the others' text columns as dictionaries.
  sources::GeneratorOptions options;
  options.seed = 11;
  options.limit = 3000;
  options.dirty_rate = 0.05;
  options.duplicate_rate = 0.03;
  auto generator = sources::OrderGenerator::Make(options).ValueOrDie();
  std::vector<BronzeLine> lines;
  sources::SourceBatch batch;
  while (generator->Next(&batch).ValueOrDie()) {
    for (int64_t i = 0; i < batch.records->num_rows(); ++i) {
      BronzeLine line;
      for (size_t c = 0; c < line.fields.size(); ++c) {
        const auto text = lake::TextColumn::Of(*batch.records->column(static_cast<int>(c)));
        ASSERT_TRUE(text.ok()) << text.status().ToString();
        if (const auto value = text->Get(i)) line.fields[c] = std::string(*value);
      }
      lines.push_back(std::move(line));
    }
  }
  namespace f = sources::field;
  for (size_t i = 0; i < 300; ++i) {
    BronzeLine padded = lines[i];
    if (padded.fields[f::kPizzaId])
      padded.fields[f::kPizzaId] = "1000" + *padded.fields[f::kPizzaId];
    for (int c : {f::kPizzaNameId, f::kPizzaCategory, f::kPizzaIngredients, f::kPizzaName,
                  f::kOrderDate, f::kOrderTime, f::kUnitPrice}) {
      if (padded.fields[c]) padded.fields[c] = " \t" + *padded.fields[c] + "\r ";
    }
    if (padded.fields[f::kPizzaSize])
      padded.fields[f::kPizzaSize] = " x" + *padded.fields[f::kPizzaSize];
    if (padded.fields[f::kOrderChannel]) padded.fields[f::kOrderChannel] = " WEB";
    lines.push_back(std::move(padded));
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    lines[i].partition = static_cast<int32_t>(i % 3);
    lines[i].offset = static_cast<int64_t>(i);
    lines[i].ingest = 1'700'000'000'000'000 + static_cast<int64_t>(i) * 7;
  }
  TempDir dir;
  auto lake = lake::Lakehouse::Open(dir.path()).ValueOrDie();
  const size_t third = lines.size() / 3;
  AppendLines(*lake, {lines.begin(), lines.begin() + third});
  lake::ParquetHints plain;
  for (const char* column : sources::kSourceColumns) plain.unique_values.emplace_back(column);
  AppendLines(*lake, {lines.begin() + third, lines.begin() + 2 * third}, plain);
  AppendLines(*lake, {lines.begin() + 2 * third, lines.end()});
  auto stage = SilverStage::Open(lake, {}).ValueOrDie();
  const StepResult step = stage->Step().ValueOrDie();
  ASSERT_EQ(step.rows_in, static_cast<int64_t>(lines.size()));

  namespace t = lake::tables;
  const auto cleaned = ReadAll(*lake, t::kSilverCleaned, CleanedSchema());
  const auto items = ReadAll(*lake, t::kSilverOrderItems, OrderItemsSchema());
  const auto times = ReadAll(*lake, t::kSilverTimestamp, TimestampSchema());
  const auto quarantined = ReadAll(*lake, t::kSilverQuarantine, RejectedSchema());
  const auto duplicates = ReadAll(*lake, t::kSilverDuplicates, RejectedSchema());
  ASSERT_TRUE(items->Equals(*cleaned
                                 ->SelectColumns({kOrderItemId, kOrderId, kPizzaNameId, kQuantity,
                                                  kUnitPrice, kTotalPrice, kOrderChannel})
                                 .ValueOrDie()
                                 ->ReplaceSchemaMetadata(nullptr),
                            /*check_metadata=*/false));
  std::set<int64_t> accepted_ids;
  int64_t accepted = 0, rejected = 0, duplicated = 0, padded_accepted = 0;
  for (const BronzeLine& line : lines) {
    RawFields raw;
    for (size_t c = 0; c < raw.size(); ++c) {
      if (line.fields[c]) raw[c] = *line.fields[c];
    }
    CleanLine clean;
    const Rule rule = Validate(raw, DateOrder::kDayFirst, &clean);
    const bool duplicate = rule == Rule::kOk && !accepted_ids.insert(clean.order_item_id).second;
    if (rule != Rule::kOk || duplicate) {
      const auto& out = duplicate ? *duplicates : *quarantined;
      const int64_t row = duplicate ? duplicated++ : rejected++;
      ASSERT_LT(row, out.num_rows());
      EXPECT_EQ(Column<arrow::StringArray>(out, f::kOrderChannel + 1).GetView(row),
                duplicate ? "duplicate_order_item" : RuleName(rule));
      EXPECT_EQ(Column<arrow::Int64Array>(out, f::kOrderChannel + 3).Value(row), line.offset);
      for (size_t c = 0; c < raw.size(); ++c) {
        const auto& field = Column<arrow::StringArray>(out, static_cast<int>(c));
        ASSERT_EQ(field.IsNull(row), !raw[c].has_value()) << c;
        if (raw[c]) {
          EXPECT_EQ(field.GetView(row), *raw[c]) << c;
        }
      }
      continue;
    }
    const int64_t row = accepted++;
    ASSERT_LT(row, cleaned->num_rows());
    if (clean.order_item_id > 1000000) ++padded_accepted;
    const arrow::Table& c = *cleaned;
    EXPECT_EQ(Column<arrow::Int64Array>(c, kOrderItemId).Value(row), clean.order_item_id);
    EXPECT_EQ(Column<arrow::Int64Array>(c, kOrderId).Value(row), clean.order_id);
    EXPECT_EQ(Column<arrow::StringArray>(c, kPizzaNameId).GetView(row), clean.pizza_name_id);
    EXPECT_EQ(Column<arrow::Int32Array>(c, kQuantity).Value(row), clean.quantity);
    EXPECT_EQ(Column<arrow::Date32Array>(c, kOrderDate).Value(row), clean.order_date);
    const int64_t moment = TimestampMicros(clean.order_date, clean.order_seconds);
    EXPECT_EQ(Column<arrow::TimestampArray>(c, kOrderTime).Value(row), moment);
    EXPECT_EQ(arrow::Decimal128(Column<arrow::Decimal128Array>(c, kUnitPrice).GetValue(row)),
              arrow::Decimal128(clean.unit_cents));
    EXPECT_EQ(arrow::Decimal128(Column<arrow::Decimal128Array>(c, kTotalPrice).GetValue(row)),
              arrow::Decimal128(clean.total_cents));
    EXPECT_EQ(Column<arrow::StringArray>(c, kPizzaSize).GetView(row), clean.pizza_size);
    EXPECT_EQ(Column<arrow::StringArray>(c, kPizzaCategory).GetView(row), clean.pizza_category);
    EXPECT_EQ(Column<arrow::StringArray>(c, kPizzaIngredients).GetView(row),
              clean.pizza_ingredients);
    EXPECT_EQ(Column<arrow::StringArray>(c, kPizzaName).GetView(row), clean.pizza_name);
    EXPECT_EQ(Column<arrow::StringArray>(c, kOrderChannel).GetView(row), clean.order_channel);
    EXPECT_EQ(Column<arrow::Int32Array>(c, kSourcePartition).Value(row), line.partition);
    EXPECT_EQ(Column<arrow::Int64Array>(c, kSourceOffset).Value(row), line.offset);
    EXPECT_EQ(Column<arrow::TimestampArray>(c, kIngestTime).Value(row), line.ingest);
    const arrow::Table& ts = *times;
    EXPECT_EQ(Column<arrow::Int64Array>(ts, 0).Value(row), clean.order_item_id);
    EXPECT_EQ(Column<arrow::Int64Array>(ts, 1).Value(row), clean.order_id);
    EXPECT_EQ(Column<arrow::Date32Array>(ts, 2).Value(row), clean.order_date);
    char text[8];
    EXPECT_EQ(Column<arrow::StringArray>(ts, 3).GetView(row),
              FormatTimeOfDay(clean.order_seconds, text));
    EXPECT_EQ(Column<arrow::TimestampArray>(ts, 4).Value(row), moment);
    EXPECT_EQ(Column<arrow::Int32Array>(ts, 5).Value(row), clean.order_seconds / 3600);
    EXPECT_EQ(Column<arrow::Int32Array>(ts, 6).Value(row), clean.order_seconds / 60 % 60);
  }
  EXPECT_EQ(accepted, cleaned->num_rows());
  EXPECT_EQ(accepted, times->num_rows());
  EXPECT_EQ(rejected, quarantined->num_rows());
  EXPECT_EQ(duplicated, duplicates->num_rows());
  // The stream exercised every path.
  EXPECT_GT(rejected, 0);
  EXPECT_GT(duplicated, 0);
  EXPECT_GT(padded_accepted, 0);
}

}  // namespace
}  // namespace pizzastream::silver
