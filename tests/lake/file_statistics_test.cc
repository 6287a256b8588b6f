// Per-file Delta statistics read from a Parquet footer: timestamps in ISO 8601 UTC truncated down
// to milliseconds as the Delta protocol states (the same text delta-rs writes), bounds merged
// over row groups, nulls counted, never a min/max for a column whose values are all null, whose
// statistics were not written, or whose strings are too long to state exactly.
#include "lake/file_statistics.h"

#include <arrow/api.h>
#include <arrow/io/memory.h>
#include <gtest/gtest.h>
#include <parquet/arrow/writer.h>
#include <parquet/file_reader.h>

#include <nlohmann/json.hpp>

namespace pizzastream::lake {
namespace {

// `batch` written to Parquet in row groups of `group_rows`, with `props`; its stats JSON from
// the footer.
nlohmann::json Stats(
    const std::shared_ptr<arrow::RecordBatch>& batch, int64_t group_rows = 1024,
    std::shared_ptr<parquet::WriterProperties> props = parquet::default_writer_properties()) {
  auto out = arrow::io::BufferOutputStream::Create().ValueOrDie();
  auto table = arrow::Table::FromRecordBatches({batch}).ValueOrDie();
  EXPECT_TRUE(
      parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), out, group_rows, props)
          .ok());
  auto reader = parquet::ParquetFileReader::Open(
      std::make_shared<arrow::io::BufferReader>(out->Finish().ValueOrDie()));
  std::vector<int64_t> nulls;
  for (const auto& column : batch->columns()) nulls.push_back(column->null_count());
  auto json = FileStatisticsJson(*batch->schema(), *reader->metadata(), nulls);
  EXPECT_TRUE(json.ok()) << json.status().ToString();
  return nlohmann::json::parse(json.ValueOr("{}"));
}

std::shared_ptr<arrow::RecordBatch> Times(const std::shared_ptr<arrow::DataType>& type,
                                          const std::vector<std::optional<int64_t>>& values) {
  arrow::TimestampBuilder b(type, arrow::default_memory_pool());
  for (const auto& v : values) EXPECT_TRUE((v ? b.Append(*v) : b.AppendNull()).ok());
  return arrow::RecordBatch::Make(arrow::schema({arrow::field("ts", type)}),
                                  static_cast<int64_t>(values.size()), {b.Finish().ValueOrDie()});
}

TEST(FileStatistics, TimestampsAreIsoUtcTruncatedDownToMilliseconds) {
  const auto us = arrow::timestamp(arrow::TimeUnit::MICRO, "UTC");
  // 2023-11-14T22:13:20.123456Z, .987654Z and a null.
  const auto s = Stats(Times(us, {1'700'000'000'987'654, std::nullopt, 1'700'000'000'123'456}));
  EXPECT_EQ(s["minValues"]["ts"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(s["maxValues"]["ts"], "2023-11-14T22:13:20.987Z");
  EXPECT_EQ(s["nullCount"]["ts"], 1);
  // Before 1970 the truncation goes towards the past too; nanoseconds convert.
  EXPECT_EQ(Stats(Times(us, {-1}))["minValues"]["ts"], "1969-12-31T23:59:59.999Z");
  const auto ns = arrow::timestamp(arrow::TimeUnit::NANO, "UTC");
  EXPECT_EQ(Stats(Times(ns, {1'500'000'000})), Stats(Times(us, {1'500'000})));
  // Without a time zone (timestamp_ntz): no "Z".
  const auto ntz = arrow::timestamp(arrow::TimeUnit::MICRO);
  EXPECT_EQ(Stats(Times(ntz, {0}))["minValues"]["ts"], "1970-01-01T00:00:00.000");
  // All null: nullCount only.
  const auto nulls = Stats(Times(us, {std::nullopt, std::nullopt}));
  EXPECT_FALSE(nulls["minValues"].contains("ts"));
  EXPECT_EQ(nulls["nullCount"]["ts"], 2);
}

// Rows of (id, price, day, name) in a file of several row groups: the bounds are those of all
// the rows, whichever row group holds them.
TEST(FileStatistics, BoundsSpanEveryRowGroupAndSkipOnlyNullOnes) {
  const auto schema = arrow::schema(
      {arrow::field("id", arrow::int64()), arrow::field("price", arrow::decimal128(8, 2)),
       arrow::field("day", arrow::date32()), arrow::field("name", arrow::utf8()),
       arrow::field("note", arrow::utf8()), arrow::field("size", arrow::int32())});
  arrow::Int64Builder id;
  arrow::Decimal128Builder price(arrow::decimal128(8, 2));
  arrow::Date32Builder day;
  arrow::StringBuilder name, note;
  arrow::Int32Builder size;
  // Row groups of 4 rows: the first holds the largest values, the last only nulls in `size`.
  const std::vector<int64_t> ids = {50, 70, 60, 55, 7, 9, 8, 3, 20, 21, 22, 23};
  for (size_t i = 0; i < ids.size(); ++i) {
    ASSERT_TRUE(id.Append(ids[i]).ok());
    ASSERT_TRUE(price.Append(arrow::Decimal128(ids[i] * 25 - 1000)).ok());  // -7.25 .. 7.50
    ASSERT_TRUE(day.Append(16436 + static_cast<int32_t>(ids[i])).ok());
    ASSERT_TRUE(name.Append("pizza " + std::to_string(ids[i])).ok());
    // One value in the middle row group is longer than a stat may be.
    ASSERT_TRUE(note.Append(i == 5 ? std::string(40, 'x') : "short").ok());
    ASSERT_TRUE((i >= 8 ? size.AppendNull() : size.Append(static_cast<int32_t>(i))).ok());
  }
  const auto batch = arrow::RecordBatch::Make(
      schema, static_cast<int64_t>(ids.size()),
      {id.Finish().ValueOrDie(), price.Finish().ValueOrDie(), day.Finish().ValueOrDie(),
       name.Finish().ValueOrDie(), note.Finish().ValueOrDie(), size.Finish().ValueOrDie()});
  const auto s = Stats(batch, /*group_rows=*/4);
  EXPECT_EQ(s["numRecords"], 12);
  EXPECT_EQ(s["minValues"]["id"], 3);
  EXPECT_EQ(s["maxValues"]["id"], 70);
  EXPECT_DOUBLE_EQ(s["minValues"]["price"].get<double>(), -9.25);
  EXPECT_DOUBLE_EQ(s["maxValues"]["price"].get<double>(), 7.50);
  EXPECT_EQ(s["minValues"]["day"], "2015-01-04");
  EXPECT_EQ(s["maxValues"]["day"], "2015-03-12");
  EXPECT_EQ(s["minValues"]["name"], "pizza 20");  // byte-wise, as Delta compares strings
  EXPECT_EQ(s["maxValues"]["name"], "pizza 9");
  EXPECT_FALSE(s["minValues"].contains("note"));  // a row group's max is too long to state
  EXPECT_EQ(s["minValues"]["size"], 0);
  EXPECT_EQ(s["maxValues"]["size"], 7);
  EXPECT_EQ(s["nullCount"]["size"], 4);
  EXPECT_EQ(s["nullCount"]["id"], 0);

  // Decimals stored as integers (as the lake writes them) state the same bounds.
  const auto as_integer = Stats(
      batch, 4, parquet::WriterProperties::Builder().enable_store_decimal_as_integer()->build());
  EXPECT_DOUBLE_EQ(as_integer["minValues"]["price"].get<double>(), -9.25);
  EXPECT_DOUBLE_EQ(as_integer["maxValues"]["price"].get<double>(), 7.50);

  // Statistics disabled for a column: no bounds, but its nulls are still counted.
  const auto props = parquet::WriterProperties::Builder().disable_statistics("size")->build();
  const auto plain = Stats(batch, 4, props);
  EXPECT_FALSE(plain["minValues"].contains("size"));
  EXPECT_EQ(plain["nullCount"]["size"], 4);
  EXPECT_EQ(plain["minValues"]["id"], 3);
}

TEST(FileStatistics, NullCountsMustMatchTheColumns) {
  const auto batch = Times(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), {1});
  auto out = arrow::io::BufferOutputStream::Create().ValueOrDie();
  ASSERT_TRUE(parquet::arrow::WriteTable(*arrow::Table::FromRecordBatches({batch}).ValueOrDie(),
                                         arrow::default_memory_pool(), out, 1024)
                  .ok());
  auto reader = parquet::ParquetFileReader::Open(
      std::make_shared<arrow::io::BufferReader>(out->Finish().ValueOrDie()));
  EXPECT_FALSE(FileStatisticsJson(*batch->schema(), *reader->metadata(), {}).ok());
}

}  // namespace
}  // namespace pizzastream::lake
