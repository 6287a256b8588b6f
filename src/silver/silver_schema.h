// Silver tables: typed, cleaned, validated and de-duplicated order lines, and views of them.
//   silver_cleaned       one row per accepted order line, every field typed
//   silver_order_items   the order-line facts (ids, item, quantity, money, channel)
//   silver_pizza_catalog one row per pizza_name_id, as first seen (with category)
//   silver_timestamp     when each line was ordered (date, time, timestamp, hour, minute)
//   quarantine           rejected records: raw fields + the rule broken
//   duplicates           records whose order-line id was already accepted
#pragma once

#include <arrow/type.h>

#include <memory>

#include "lake/lakehouse.h"

namespace pizzastream::silver {

std::shared_ptr<arrow::Schema> CleanedSchema();
std::shared_ptr<arrow::Schema> OrderItemsSchema();  // a projection of CleanedSchema
std::shared_ptr<arrow::Schema> PizzaCatalogSchema();
std::shared_ptr<arrow::Schema> TimestampSchema();
std::shared_ptr<arrow::Schema> RejectedSchema();  // quarantine and duplicates

// How to write the order-line tables (cleaned, order items, timestamp): ids, offsets and
// timestamps hardly repeat; the pizza's name and ingredients are descriptions nobody filters
// by range (and mostly too long for Delta stats): no min/max for them, which spares comparing
// every line's ~90 bytes of text.
const lake::ParquetHints& OrderLineParquetHints();

// Column positions in CleanedSchema.
enum CleanedColumn {
  kOrderItemId,
  kOrderId,
  kPizzaNameId,
  kQuantity,
  kOrderDate,
  kOrderTime,
  kUnitPrice,
  kTotalPrice,
  kPizzaSize,
  kPizzaCategory,
  kPizzaIngredients,
  kPizzaName,
  kOrderChannel,
  kSourcePartition,
  kSourceOffset,
  kIngestTime,
  kCleanedColumns
};

}  // namespace pizzastream::silver
