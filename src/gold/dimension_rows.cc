#include "gold/dimension_rows.h"

#include "gold/dimensions.h"
#include "gold/gold_schema.h"

namespace pizzastream::gold {

namespace {

Result<std::shared_ptr<arrow::RecordBatch>> Finish(
    const std::shared_ptr<arrow::Schema>& schema,
    std::initializer_list<arrow::ArrayBuilder*> builders) {
  arrow::ArrayVector cols;
  for (auto* b : builders) {
    ARROW_ASSIGN_OR_RAISE(auto a, b->Finish());
    cols.push_back(a);
  }
  return arrow::RecordBatch::Make(schema, cols[0]->length(), cols);
}

}  // namespace

Status DimDateRows::Add(EpochDay day) {
  const DateAttributes d = DeriveDate(day);
  ARROW_RETURN_NOT_OK(id_.Append(d.date_id));
  ARROW_RETURN_NOT_OK(date_.Append(day));
  ARROW_RETURN_NOT_OK(day_.Append(d.day));
  ARROW_RETURN_NOT_OK(month_.Append(d.month));
  ARROW_RETURN_NOT_OK(year_.Append(d.year));
  ARROW_RETURN_NOT_OK(quarter_.Append(d.quarter));
  ARROW_RETURN_NOT_OK(week_.Append(d.week_of_year));
  ARROW_RETURN_NOT_OK(weekday_.Append(d.weekday_num));
  return name_.Append(d.weekday_name);
}

Result<std::shared_ptr<arrow::RecordBatch>> DimDateRows::Finish() {
  return gold::Finish(DimDateSchema(),
                      {&id_, &date_, &day_, &month_, &year_, &quarter_, &week_, &weekday_, &name_});
}

Status DimTimeRows::Add(int32_t time_id) {
  ARROW_RETURN_NOT_OK(id_.Append(time_id));
  ARROW_RETURN_NOT_OK(hour_.Append(time_id / 100));
  ARROW_RETURN_NOT_OK(minute_.Append(time_id % 100));
  return slot_.Append(Timeslot(time_id / 100));
}

Result<std::shared_ptr<arrow::RecordBatch>> DimTimeRows::Finish() {
  return gold::Finish(DimTimeSchema(), {&id_, &hour_, &minute_, &slot_});
}

Status DimPizzaRows::Add(const DimPizzaRow& row) {
  ARROW_RETURN_NOT_OK(sk_.Append(row.pizza_sk));
  ARROW_RETURN_NOT_OK(id_.Append(row.pizza_name_id));
  ARROW_RETURN_NOT_OK(base_.Append(PizzaBaseId(row.pizza_name_id, row.pizza_size)));
  ARROW_RETURN_NOT_OK(size_.Append(row.pizza_size));
  ARROW_RETURN_NOT_OK(price_.Append(row.unit_price));
  ARROW_RETURN_NOT_OK(ingredients_.Append(row.pizza_ingredients));
  ARROW_RETURN_NOT_OK(name_.Append(row.pizza_name));
  return category_.Append(row.pizza_category);
}

Result<std::shared_ptr<arrow::RecordBatch>> DimPizzaRows::Finish() {
  return gold::Finish(DimPizzaSchema(),
                      {&sk_, &id_, &base_, &size_, &price_, &ingredients_, &name_, &category_});
}

}  // namespace pizzastream::gold
