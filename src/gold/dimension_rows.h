// Builders of the gold dimension tables' rows, exactly as gold writes them (one row per key;
// the attributes come from gold/dimensions.h). Gold uses them for the rows it adds; tests and
// benchmarks use them to make dimension tables that match gold's. Not thread-safe; each
// builder is reusable after Finish.
#pragma once

#include <arrow/builder.h>
#include <arrow/record_batch.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/calendar.h"
#include "core/money.h"
#include "core/status.h"

namespace pizzastream::gold {

// dim_date rows (gold/gold_schema.h: DimDateSchema).
class DimDateRows {
 public:
  Status Add(EpochDay day);
  Result<std::shared_ptr<arrow::RecordBatch>> Finish();

 private:
  arrow::Int32Builder id_, day_, month_, year_, quarter_, week_, weekday_;
  arrow::Date32Builder date_;
  arrow::StringBuilder name_;
};

// dim_time rows (DimTimeSchema) of HHmm time ids.
class DimTimeRows {
 public:
  Status Add(int32_t time_id);
  Result<std::shared_ptr<arrow::RecordBatch>> Finish();

 private:
  arrow::Int32Builder id_, hour_, minute_;
  arrow::StringBuilder slot_;
};

// dim_pizza rows (DimPizzaSchema).
struct DimPizzaRow {
  int64_t pizza_sk = 0;
  std::string_view pizza_name_id, pizza_size, pizza_ingredients, pizza_name, pizza_category;
  arrow::Decimal128 unit_price;  // decimal(8,2), in cents
};
class DimPizzaRows {
 public:
  Status Add(const DimPizzaRow& row);
  Result<std::shared_ptr<arrow::RecordBatch>> Finish();

 private:
  arrow::Int64Builder sk_;
  arrow::StringBuilder id_, base_, size_, ingredients_, name_, category_;
  arrow::Decimal128Builder price_{money::UnitPriceType()};
};

}  // namespace pizzastream::gold
