// Per-file statistics of timestamp columns: ISO 8601 in UTC, truncated down to milliseconds as
// the Delta protocol states (the same text delta-rs writes), nulls counted, never a min/max for
// a column whose values are all null.
#include "lake/file_statistics.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace pizzastream::lake {
namespace {

std::shared_ptr<arrow::RecordBatch> Times(const std::shared_ptr<arrow::DataType>& type,
                                          const std::vector<std::optional<int64_t>>& values) {
  arrow::TimestampBuilder b(type, arrow::default_memory_pool());
  for (const auto& v : values) EXPECT_TRUE((v ? b.Append(*v) : b.AppendNull()).ok());
  return arrow::RecordBatch::Make(arrow::schema({arrow::field("ts", type)}),
                                  static_cast<int64_t>(values.size()), {b.Finish().ValueOrDie()});
}

nlohmann::json Stats(const std::shared_ptr<arrow::RecordBatch>& batch) {
  return nlohmann::json::parse(FileStatisticsJson(*batch->schema(), {batch}, {}).ValueOrDie());
}

TEST(FileStatistics, TimestampsAreIsoUtcTruncatedDownToMilliseconds) {
  const auto us = arrow::timestamp(arrow::TimeUnit::MICRO, "UTC");
  // 2023-11-14T22:13:20.123456Z, .987654Z and a null.
  const auto s = Stats(Times(us, {1'700'000'000'987'654, std::nullopt, 1'700'000'000'123'456}));
  EXPECT_EQ(s["minValues"]["ts"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(s["maxValues"]["ts"], "2023-11-14T22:13:20.987Z");
  EXPECT_EQ(s["nullCount"]["ts"], 1);
  // Before 1970 the truncation goes towards the past too; seconds and nanoseconds convert.
  EXPECT_EQ(Stats(Times(us, {-1}))["minValues"]["ts"], "1969-12-31T23:59:59.999Z");
  const auto ns = arrow::timestamp(arrow::TimeUnit::NANO, "UTC");
  EXPECT_EQ(Stats(Times(ns, {1'500'000'000})), Stats(Times(us, {1'500'000})));
  const auto sec = arrow::timestamp(arrow::TimeUnit::SECOND, "UTC");
  EXPECT_EQ(Stats(Times(sec, {86'400}))["maxValues"]["ts"], "1970-01-02T00:00:00.000Z");
  // Without a time zone (timestamp_ntz): no "Z".
  const auto ntz = arrow::timestamp(arrow::TimeUnit::MICRO);
  EXPECT_EQ(Stats(Times(ntz, {0}))["minValues"]["ts"], "1970-01-01T00:00:00.000");
  // All null: nullCount only.
  const auto nulls = Stats(Times(us, {std::nullopt, std::nullopt}));
  EXPECT_FALSE(nulls["minValues"].contains("ts"));
  EXPECT_EQ(nulls["nullCount"]["ts"], 2);
}

}  // namespace
}  // namespace pizzastream::lake
