#include "bronze/bronze_schema.h"

#include <fmt/format.h>

#include "sources/order_source.h"

namespace pizzastream::bronze {

namespace {
arrow::FieldVector PositionFields() {
  return {arrow::field("ingest_time", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), false),
          arrow::field("source_topic", arrow::utf8(), false),
          arrow::field("source_partition", arrow::int32(), false),
          arrow::field("source_offset", arrow::int64(), false)};
}
}  // namespace

std::shared_ptr<arrow::Schema> OrderLinesSchema() {
  static const auto schema = [] {
    arrow::FieldVector fields = sources::SourceSchema()->fields();
    for (auto& f : PositionFields()) fields.push_back(f);
    return arrow::schema(fields);
  }();
  return schema;
}

std::shared_ptr<arrow::Schema> QuarantineSchema() {
  static const auto schema = [] {
    arrow::FieldVector fields = {arrow::field("raw_payload", arrow::utf8(), false),
                                 arrow::field("reason", arrow::utf8(), false)};
    for (auto& f : PositionFields()) fields.push_back(f);
    return arrow::schema(fields);
  }();
  return schema;
}

const lake::ParquetHints& OrderLinesParquetHints() {
  static const lake::ParquetHints hints = [] {
    lake::ParquetHints h;
    h.unique_values = {sources::kSourceColumns[sources::field::kPizzaId],
                       sources::kSourceColumns[sources::field::kOrderId],
                       sources::kSourceColumns[sources::field::kOrderTime], "source_offset"};
    for (const char* column : sources::kSourceColumns) h.no_statistics.emplace_back(column);
    return h;
  }();
  return hints;
}

std::string PositionAppId(const std::string& topic, int32_t partition) {
  return fmt::format("pizzastream.bronze.{}.{}", topic, partition);
}

}  // namespace pizzastream::bronze
