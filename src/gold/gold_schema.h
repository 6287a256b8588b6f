// Arrow schemas of the gold star schema (the gold contract of docs/data-model.md).
// The warehouses create their tables with the same names and columns.
//
//   dim_date(date_id int32 PK yyyymmdd, order_date date32, day, month, year, quarter,
//            week_of_year (ISO), weekday_num (Mon=1..Sun=7) int32, weekday_name utf8)
//   dim_time(time_id int32 PK HHmm, hour int32, minute int32, timeslot utf8)
//   dim_pizza(pizza_sk int64 PK (gold/dimensions.h: PizzaKeys), pizza_name_id, pizza_base_id,
//   pizza_size,
//             unit_price decimal(8,2), pizza_ingredients, pizza_name, pizza_category: utf8)
//   fact_order_item(order_item_id int64 PK, order_id int64, order_date date32, date_id int32,
//                   time_id int32, pizza_sk int64, quantity int32, unit_price decimal(8,2),
//                   total_price decimal(10,2), order_channel utf8)
#pragma once

#include <arrow/type.h>

#include <memory>

#include "lake/lakehouse.h"

namespace pizzastream::gold {

std::shared_ptr<arrow::Schema> DimDateSchema();
std::shared_ptr<arrow::Schema> DimTimeSchema();
std::shared_ptr<arrow::Schema> DimPizzaSchema();
std::shared_ptr<arrow::Schema> FactOrderItemSchema();
// How to write fact_order_item: its ids hardly repeat; order_channel gets no min/max (every
// file holds every channel).
const lake::ParquetHints& FactParquetHints();

}  // namespace pizzastream::gold
