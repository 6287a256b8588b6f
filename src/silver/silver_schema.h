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

// How to write the order-line tables (cleaned, order items): ids, offsets and timestamps
// hardly repeat. The pizza's and the channel's text gets no min/max: every file holds lines of
// most of the menu and every channel, so its min/max could skip no file (the ids, dates and
// times, which a file holds a range of, keep theirs), and computing them compared every line's
// text (~9% of silver's instructions).
const lake::ParquetHints& OrderLineParquetHints();
// The timestamp table: its order_time text ("HH:MM:SS") spans the shop's day in every file, so
// it gets no min/max either; order_timestamp keeps them.
const lake::ParquetHints& TimestampParquetHints();

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
