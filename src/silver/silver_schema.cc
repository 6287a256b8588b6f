#include "silver/silver_schema.h"

#include "core/money.h"
#include "sources/order_source.h"

namespace pizzastream::silver {

using arrow::field;

std::shared_ptr<arrow::Schema> CleanedSchema() {
  static const auto schema = arrow::schema(
      {field("order_item_id", arrow::int64(), false), field("order_id", arrow::int64(), false),
       field("pizza_name_id", arrow::utf8(), false), field("quantity", arrow::int32(), false),
       field("order_date", arrow::date32(), false),
       field("order_time", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), false),
       field("unit_price", money::UnitPriceType(), false),
       field("total_price", money::TotalPriceType(), false),
       field("pizza_size", arrow::utf8(), false), field("pizza_category", arrow::utf8(), false),
       field("pizza_ingredients", arrow::utf8(), false), field("pizza_name", arrow::utf8(), false),
       field("order_channel", arrow::utf8(), false),
       field("source_partition", arrow::int32(), false),
       field("source_offset", arrow::int64(), false),
       field("ingest_time", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), false)});
  return schema;
}

std::shared_ptr<arrow::Schema> OrderItemsSchema() {
  static const auto schema = [] {
    const auto c = CleanedSchema();
    return arrow::schema({c->field(kOrderItemId), c->field(kOrderId), c->field(kPizzaNameId),
                          c->field(kQuantity), c->field(kUnitPrice), c->field(kTotalPrice),
                          c->field(kOrderChannel)});
  }();
  return schema;
}

std::shared_ptr<arrow::Schema> PizzaCatalogSchema() {
  static const auto schema = arrow::schema(
      {field("pizza_name_id", arrow::utf8(), false), field("pizza_name", arrow::utf8(), false),
       field("pizza_category", arrow::utf8(), false), field("pizza_size", arrow::utf8(), false),
       field("unit_price", money::UnitPriceType(), false),
       field("pizza_ingredients", arrow::utf8(), false)});
  return schema;
}

std::shared_ptr<arrow::Schema> TimestampSchema() {
  static const auto schema = arrow::schema(
      {field("order_item_id", arrow::int64(), false), field("order_id", arrow::int64(), false),
       field("order_date", arrow::date32(), false), field("order_time", arrow::utf8(), false),
       field("order_timestamp", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), false),
       field("hour", arrow::int32(), false), field("minute", arrow::int32(), false)});
  return schema;
}

std::shared_ptr<arrow::Schema> RejectedSchema() {
  static const auto schema = [] {
    arrow::FieldVector fields = sources::SourceSchema()->fields();
    fields.push_back(field("rule", arrow::utf8(), false));
    fields.push_back(field("source_partition", arrow::int32(), false));
    fields.push_back(field("source_offset", arrow::int64(), false));
    return arrow::schema(fields);
  }();
  return schema;
}

const lake::ParquetHints& OrderLineParquetHints() {
  static const lake::ParquetHints hints = {
      {"order_item_id", "order_id", "source_offset", "order_time", "order_timestamp"},
      {"pizza_ingredients", "pizza_name", "pizza_name_id", "pizza_size", "pizza_category",
       "order_channel"}};
  return hints;
}

const lake::ParquetHints& TimestampParquetHints() {
  static const lake::ParquetHints hints = {
      {"order_item_id", "order_id", "order_time", "order_timestamp"}, {"order_time"}};
  return hints;
}

}  // namespace pizzastream::silver
