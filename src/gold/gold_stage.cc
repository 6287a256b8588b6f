#include "gold/gold_stage.h"

#include <arrow/builder.h>
#include <arrow/table.h>

#include "core/money.h"
#include "gold/dimensions.h"
#include "gold/gold_schema.h"
#include "silver/field_parsers.h"
#include "silver/silver_schema.h"

namespace pizzastream::gold {

namespace {

// The keys (first column of `schema`, an int32 or int64) of every live file of a dimension.
template <typename Set>
Status CollectKeys(const lake::Lakehouse& lake, lake::DeltaLog& log, const std::string& table,
                   const std::shared_ptr<arrow::Schema>& schema, Set* keys) {
  const auto key_schema = arrow::schema({schema->field(0)});
  ARROW_ASSIGN_OR_RAISE(auto snapshot, log.Update());
  for (const auto& [path, f] : snapshot->files) {
    ARROW_ASSIGN_OR_RAISE(auto t, lake.ReadParquet(table, f, key_schema));
    for (const auto& chunk : t->column(0)->chunks()) {
      if (chunk->type_id() == arrow::Type::INT32) {
        const auto& values = static_cast<const arrow::Int32Array&>(*chunk);
        for (int64_t i = 0; i < values.length(); ++i) keys->insert(values.Value(i));
      } else {
        const auto& values = static_cast<const arrow::Int64Array&>(*chunk);
        for (int64_t i = 0; i < values.length(); ++i) keys->insert(values.Value(i));
      }
    }
  }
  return Status::OK();
}

// Records the (pizza_sk, pizza_name_id) of every dim_pizza row in `keys`.
Status CollectPizzaKeys(const lake::Lakehouse& lake, lake::DeltaLog& log, PizzaKeys* keys) {
  const auto schema = DimPizzaSchema();
  const auto key_schema = arrow::schema({schema->field(0), schema->field(1)});
  ARROW_ASSIGN_OR_RAISE(auto snapshot, log.Update());
  for (const auto& [path, f] : snapshot->files) {
    // Conformed to pizza_sk int64, pizza_name_id string (or an error naming the file).
    ARROW_ASSIGN_OR_RAISE(auto t, lake.ReadParquet(lake::tables::kGoldDimPizza, f, key_schema));
    ARROW_ASSIGN_OR_RAISE(auto batch, t->CombineChunksToBatch());
    const auto& sks = static_cast<const arrow::Int64Array&>(*batch->column(0));
    const auto& ids = static_cast<const arrow::StringArray&>(*batch->column(1));
    for (int64_t i = 0; i < batch->num_rows(); ++i) {
      ARROW_RETURN_NOT_OK(keys->Add(sks.Value(i), ids.GetView(i)));
    }
  }
  return Status::OK();
}

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

GoldStage::GoldStage(std::shared_ptr<lake::Lakehouse> lake, GoldOptions options)
    : lake_(std::move(lake)), options_(options) {
  namespace t = lake::tables;
  silver_ = lake_->Log(t::kSilverCleaned);
  dim_date_ = lake_->Log(t::kGoldDimDate);
  dim_time_ = lake_->Log(t::kGoldDimTime);
  dim_pizza_ = lake_->Log(t::kGoldDimPizza);
  fact_ = lake_->Log(t::kGoldFact);
}

Result<std::unique_ptr<GoldStage>> GoldStage::Open(std::shared_ptr<lake::Lakehouse> lake,
                                                   GoldOptions options) {
  std::unique_ptr<GoldStage> g(new GoldStage(std::move(lake), options));
  ARROW_RETURN_NOT_OK(g->silver_->CreateIfMissing(silver::CleanedSchema()));
  ARROW_RETURN_NOT_OK(g->dim_date_->CreateIfMissing(DimDateSchema()));
  ARROW_RETURN_NOT_OK(g->dim_time_->CreateIfMissing(DimTimeSchema()));
  ARROW_RETURN_NOT_OK(g->dim_pizza_->CreateIfMissing(DimPizzaSchema()));
  ARROW_RETURN_NOT_OK(g->fact_->CreateIfMissing(FactOrderItemSchema()));
  return g;
}

Status GoldStage::LoadKeys() {
  date_keys_.clear();
  time_keys_.clear();
  pizza_keys_.Clear();
  namespace t = lake::tables;
  ARROW_RETURN_NOT_OK(
      CollectKeys(*lake_, *dim_date_, t::kGoldDimDate, DimDateSchema(), &date_keys_));
  ARROW_RETURN_NOT_OK(
      CollectKeys(*lake_, *dim_time_, t::kGoldDimTime, DimTimeSchema(), &time_keys_));
  ARROW_RETURN_NOT_OK(CollectPizzaKeys(*lake_, *dim_pizza_, &pizza_keys_));
  keys_valid_ = true;
  return Status::OK();
}

Result<int64_t> GoldStage::Lag() {
  ARROW_ASSIGN_OR_RAISE(int64_t done, lake::TxnVersion(*fact_, kGoldAppId));
  return lake::RecordsAfter(*silver_, done);
}

Result<StepResult> GoldStage::Step() {
  auto result = DoStep();
  if (!result.ok()) keys_valid_ = false;
  return result;
}

Result<StepResult> GoldStage::DoStep() {
  StepResult result;
  if (!keys_valid_) ARROW_RETURN_NOT_OK(LoadKeys());
  ARROW_ASSIGN_OR_RAISE(int64_t done, lake::TxnVersion(*fact_, kGoldAppId));
  ARROW_ASSIGN_OR_RAISE(
      int64_t forced,
      lake::MaxTxnVersion({dim_date_.get(), dim_time_.get(), dim_pizza_.get()}, kGoldAppId));
  ARROW_ASSIGN_OR_RAISE(auto range, lake::NextRange(*silver_, done, options_.max_records, forced));
  if (range.empty()) return result;
  ARROW_ASSIGN_OR_RAISE(auto inputs, lake::ReadRange(*lake_, lake::tables::kSilverCleaned, range,
                                                     silver::CleanedSchema()));

  arrow::Int32Builder d_id, d_day, d_month, d_year, d_quarter, d_week, d_weekday;
  arrow::Date32Builder d_date;
  arrow::StringBuilder d_name;
  arrow::Int32Builder t_id, t_hour, t_minute;
  arrow::StringBuilder t_slot;
  arrow::Int64Builder p_sk;
  arrow::StringBuilder p_id, p_base, p_size, p_ingredients, p_name, p_category;
  arrow::Decimal128Builder p_price{money::UnitPriceType()};
  arrow::Int32Builder f_date_id, f_time_id;
  arrow::Int64Builder f_pizza_sk;
  std::vector<std::shared_ptr<arrow::RecordBatch>> facts;

  for (const auto& batch : inputs) {
    const int64_t n = batch->num_rows();
    result.rows_in += n;
    using namespace silver;
    const auto& dates = static_cast<const arrow::Date32Array&>(*batch->column(kOrderDate));
    const auto& times = static_cast<const arrow::StringArray&>(*batch->column(kOrderTime));
    const auto& ids = static_cast<const arrow::StringArray&>(*batch->column(kPizzaNameId));
    const auto& sizes = static_cast<const arrow::StringArray&>(*batch->column(kPizzaSize));
    const auto& prices = static_cast<const arrow::Decimal128Array&>(*batch->column(kUnitPrice));
    const auto& ingredients =
        static_cast<const arrow::StringArray&>(*batch->column(kPizzaIngredients));
    const auto& names = static_cast<const arrow::StringArray&>(*batch->column(kPizzaName));
    const auto& categories = static_cast<const arrow::StringArray&>(*batch->column(kPizzaCategory));
    ARROW_RETURN_NOT_OK(f_date_id.Reserve(n));
    ARROW_RETURN_NOT_OK(f_time_id.Reserve(n));
    ARROW_RETURN_NOT_OK(f_pizza_sk.Reserve(n));
    for (int64_t i = 0; i < n; ++i) {
      const DateAttributes d = DeriveDate(dates.Value(i));
      int32_t seconds = 0;
      silver::ParseTimeOfDay(times.GetView(i), &seconds);
      const int32_t time_id = TimeId(seconds);
      const std::string_view pizza_id = ids.GetView(i);
      int64_t sk = 0;
      bool new_pizza = false;
      ARROW_RETURN_NOT_OK(pizza_keys_.KeyFor(pizza_id, &sk, &new_pizza));
      f_date_id.UnsafeAppend(d.date_id);
      f_time_id.UnsafeAppend(time_id);
      f_pizza_sk.UnsafeAppend(sk);
      if (date_keys_.insert(d.date_id).second) {
        ARROW_RETURN_NOT_OK(d_id.Append(d.date_id));
        ARROW_RETURN_NOT_OK(d_date.Append(dates.Value(i)));
        ARROW_RETURN_NOT_OK(d_day.Append(d.day));
        ARROW_RETURN_NOT_OK(d_month.Append(d.month));
        ARROW_RETURN_NOT_OK(d_year.Append(d.year));
        ARROW_RETURN_NOT_OK(d_quarter.Append(d.quarter));
        ARROW_RETURN_NOT_OK(d_week.Append(d.week_of_year));
        ARROW_RETURN_NOT_OK(d_weekday.Append(d.weekday_num));
        ARROW_RETURN_NOT_OK(d_name.Append(d.weekday_name));
      }
      if (time_keys_.insert(time_id).second) {
        ARROW_RETURN_NOT_OK(t_id.Append(time_id));
        ARROW_RETURN_NOT_OK(t_hour.Append(time_id / 100));
        ARROW_RETURN_NOT_OK(t_minute.Append(time_id % 100));
        ARROW_RETURN_NOT_OK(t_slot.Append(Timeslot(time_id / 100)));
      }
      if (new_pizza) {
        ARROW_RETURN_NOT_OK(p_sk.Append(sk));
        ARROW_RETURN_NOT_OK(p_id.Append(pizza_id));
        ARROW_RETURN_NOT_OK(p_base.Append(PizzaBaseId(pizza_id, sizes.GetView(i))));
        ARROW_RETURN_NOT_OK(p_size.Append(sizes.GetView(i)));
        ARROW_RETURN_NOT_OK(p_price.Append(arrow::Decimal128(prices.GetValue(i))));
        ARROW_RETURN_NOT_OK(p_ingredients.Append(ingredients.GetView(i)));
        ARROW_RETURN_NOT_OK(p_name.Append(names.GetView(i)));
        ARROW_RETURN_NOT_OK(p_category.Append(categories.GetView(i)));
      }
    }
    ARROW_ASSIGN_OR_RAISE(auto date_ids, f_date_id.Finish());
    ARROW_ASSIGN_OR_RAISE(auto time_ids, f_time_id.Finish());
    ARROW_ASSIGN_OR_RAISE(auto pizza_sks, f_pizza_sk.Finish());
    facts.push_back(arrow::RecordBatch::Make(
        FactOrderItemSchema(), n,
        {batch->column(kOrderItemId), batch->column(kOrderId), batch->column(kOrderDate), date_ids,
         time_ids, pizza_sks, batch->column(kQuantity), batch->column(kUnitPrice),
         batch->column(kTotalPrice), batch->column(kOrderChannel)}));
    result.rows_out += n;
  }
  ARROW_ASSIGN_OR_RAISE(
      auto dates, Finish(DimDateSchema(), {&d_id, &d_date, &d_day, &d_month, &d_year, &d_quarter,
                                           &d_week, &d_weekday, &d_name}));
  ARROW_ASSIGN_OR_RAISE(auto times, Finish(DimTimeSchema(), {&t_id, &t_hour, &t_minute, &t_slot}));
  ARROW_ASSIGN_OR_RAISE(auto pizzas,
                        Finish(DimPizzaSchema(), {&p_sk, &p_id, &p_base, &p_size, &p_price,
                                                  &p_ingredients, &p_name, &p_category}));
  namespace t = lake::tables;
  std::vector<lake::StepOutput> outputs = {
      {t::kGoldDimDate, dim_date_.get(), DimDateSchema(), {dates}},
      {t::kGoldDimTime, dim_time_.get(), DimTimeSchema(), {times}},
      {t::kGoldDimPizza, dim_pizza_.get(), DimPizzaSchema(), {pizzas}},
      {t::kGoldFact, fact_.get(), FactOrderItemSchema(), facts,
       FactParquetHints()},  // primary: last
  };
  ARROW_RETURN_NOT_OK(
      lake::CommitStep(*lake_, kGoldAppId, range, outputs, "STREAMING UPDATE").status());
  return result;
}

}  // namespace pizzastream::gold
