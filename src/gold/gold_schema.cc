#include "gold/gold_schema.h"

#include "core/money.h"

namespace pizzastream::gold {

using arrow::field;

std::shared_ptr<arrow::Schema> DimDateSchema() {
  static const auto schema = arrow::schema(
      {field("date_id", arrow::int32(), false), field("order_date", arrow::date32(), false),
       field("day", arrow::int32(), false), field("month", arrow::int32(), false),
       field("year", arrow::int32(), false), field("quarter", arrow::int32(), false),
       field("week_of_year", arrow::int32(), false), field("weekday_num", arrow::int32(), false),
       field("weekday_name", arrow::utf8(), false)});
  return schema;
}

std::shared_ptr<arrow::Schema> DimTimeSchema() {
  static const auto schema = arrow::schema(
      {field("time_id", arrow::int32(), false), field("hour", arrow::int32(), false),
       field("minute", arrow::int32(), false), field("timeslot", arrow::utf8(), false)});
  return schema;
}

std::shared_ptr<arrow::Schema> DimPizzaSchema() {
  static const auto schema = arrow::schema(
      {field("pizza_sk", arrow::int64(), false), field("pizza_name_id", arrow::utf8(), false),
       field("pizza_base_id", arrow::utf8(), false), field("pizza_size", arrow::utf8(), false),
       field("unit_price", money::UnitPriceType(), false),
       field("pizza_ingredients", arrow::utf8()), field("pizza_name", arrow::utf8()),
       field("pizza_category", arrow::utf8())});
  return schema;
}

std::shared_ptr<arrow::Schema> FactOrderItemSchema() {
  static const auto schema = arrow::schema(
      {field("order_item_id", arrow::int64(), false), field("order_id", arrow::int64(), false),
       field("order_date", arrow::date32(), false), field("date_id", arrow::int32(), false),
       field("time_id", arrow::int32(), false), field("pizza_sk", arrow::int64(), false),
       field("quantity", arrow::int32(), false), field("unit_price", money::UnitPriceType(), false),
       field("total_price", money::TotalPriceType(), false),
       field("order_channel", arrow::utf8(), false)});
  return schema;
}

const lake::ParquetHints& FactParquetHints() {
  static const lake::ParquetHints hints = {{"order_item_id", "order_id"}, {"order_channel"}};
  return hints;
}

}  // namespace pizzastream::gold
