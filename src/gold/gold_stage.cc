#include "gold/gold_stage.h"

#include <arrow/builder.h>
#include <arrow/table.h>

#include <cstdint>

#include "core/calendar.h"
#include "gold/dimension_rows.h"
#include "gold/dimensions.h"
#include "gold/gold_schema.h"
#include "lake/streamed_file.h"
#include "lake/text_address_cache.h"
#include "lake/text_column.h"
#include "lake/text_dictionary_builder.h"
#include "silver/cleaned_layout_upgrade.h"
#include "silver/silver_schema.h"

namespace pizzastream::gold {

namespace {

// Silver rows read from a file at a time.
constexpr int64_t kInputBatchRows = 16 * 1024;

// The pizza's text columns: gold looks up or adds a dim_pizza row with them, and copies none
// into the facts, so it reads them as dictionaries where the file has them (lake/text_column.h).
constexpr int kPizzaTextColumns[] = {silver::kPizzaNameId, silver::kPizzaSize,
                                     silver::kPizzaIngredients, silver::kPizzaName,
                                     silver::kPizzaCategory};

// The silver_cleaned columns gold shapes: CleanedSchema's first ones (so their indices stay), not
// the source position and ingest time after them, lineage that gold need not decode.
std::shared_ptr<arrow::Schema> ShapedColumns() {
  static const auto schema = [] {
    const auto cleaned = silver::CleanedSchema();
    static_assert(silver::kOrderChannel + 1 == silver::kSourcePartition);
    arrow::FieldVector fields(cleaned->fields().begin(),
                              cleaned->fields().begin() + silver::kSourcePartition);
    for (int c : kPizzaTextColumns) fields[c] = lake::TextColumn::DictionaryField(fields[c]);
    // The channel goes into the facts as it comes: dictionary-encoded, Parquet writes its
    // dictionary as it is (lake/lakehouse.h).
    fields[silver::kOrderChannel] =
        lake::TextColumn::DictionaryField(fields[silver::kOrderChannel]);
    return arrow::schema(fields);
  }();
  return schema;
}

void Add(IdRanges* keys, int64_t key) { keys->Insert(key); }
void Add(std::unordered_set<int32_t>* keys, int64_t key) {
  keys->insert(static_cast<int32_t>(key));
}

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
        for (int64_t i = 0; i < values.length(); ++i) Add(keys, values.Value(i));
      } else {
        const auto& values = static_cast<const arrow::Int64Array&>(*chunk);
        for (int64_t i = 0; i < values.length(); ++i) Add(keys, values.Value(i));
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
  g->lake_->written().Expect(lake::tables::kSilverCleaned);
  return g;
}

Status GoldStage::LoadKeys() {
  date_keys_.Clear();
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

// The rows one step adds: a dimension row per key seen first, and a fact row per silver row,
// written to the step's fact file as each batch is shaped (and kept for the load when it runs
// in this process and they fit the hand-off budget, lake/written_batches.h).
struct GoldBuilders {
  DimDateRows dates;
  DimTimeRows times;
  DimPizzaRows pizzas;
  lake::StreamedFile facts;
  lake::HandOffBatches handed;
};

Result<lake::InputRange> GoldStage::NextInput() {
  if (!keys_valid_) ARROW_RETURN_NOT_OK(LoadKeys());
  ARROW_ASSIGN_OR_RAISE(int64_t done, lake::TxnVersion(*fact_, kGoldAppId));
  ARROW_ASSIGN_OR_RAISE(
      int64_t forced,
      lake::MaxTxnVersion({dim_date_.get(), dim_time_.get(), dim_pizza_.get()}, kGoldAppId));
  return lake::NextRange(*silver_, done, options_.max_records, forced);
}

Status GoldStage::ShapeBatch(const arrow::RecordBatch& batch, GoldBuilders* b) {
  using namespace silver;
  const int64_t n = batch.num_rows();
  const auto& dates = static_cast<const arrow::Date32Array&>(*batch.column(kOrderDate));
  const auto& times = static_cast<const arrow::TimestampArray&>(*batch.column(kOrderTime));
  const auto& prices = static_cast<const arrow::Decimal128Array&>(*batch.column(kUnitPrice));
  ARROW_ASSIGN_OR_RAISE(const auto ids, lake::TextColumn::Of(*batch.column(kPizzaNameId)));
  ARROW_ASSIGN_OR_RAISE(const auto sizes, lake::TextColumn::Of(*batch.column(kPizzaSize)));
  ARROW_ASSIGN_OR_RAISE(const auto ingredients,
                        lake::TextColumn::Of(*batch.column(kPizzaIngredients)));
  ARROW_ASSIGN_OR_RAISE(const auto names, lake::TextColumn::Of(*batch.column(kPizzaName)));
  ARROW_ASSIGN_OR_RAISE(const auto categories, lake::TextColumn::Of(*batch.column(kPizzaCategory)));
  // The columns are required (conformance refused nulls): every row has its text.
  const auto text = [](const lake::TextColumn& column, int64_t row) {
    return column.Get(row).value_or(std::string_view());
  };
  arrow::Int32Builder date_ids, time_ids;
  arrow::Int64Builder pizza_sks;
  ARROW_RETURN_NOT_OK(date_ids.Reserve(n));
  ARROW_RETURN_NOT_OK(time_ids.Reserve(n));
  ARROW_RETURN_NOT_OK(pizza_sks.Reserve(n));
  // The lines of a dictionary-encoded column share their text's bytes: a pizza's key is looked
  // up once per text in the batch (found again by the address of its bytes, which the batch
  // keeps unchanged while it lives), not once per line.
  lake::TextAddressCache<int64_t> known_keys;
  // Lines come in time order, so most share the previous line's day: its id is worked out once.
  int32_t day = 0, date_id = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (i == 0 || dates.Value(i) != day) {
      day = dates.Value(i);
      date_id = DeriveDate(day).date_id;
    }
    const int32_t time_id = TimeId(SecondsOfDay(times.Value(i)));
    const std::string_view pizza_id = text(ids, i);
    int64_t sk = 0;
    bool new_pizza = false;
    if (const int64_t* known = known_keys.Find(pizza_id)) {
      sk = *known;  // looked up before in this batch: not new
    } else {
      ARROW_RETURN_NOT_OK(pizza_keys_.KeyFor(pizza_id, &sk, &new_pizza));
      known_keys.Remember(pizza_id, sk);
    }
    date_ids.UnsafeAppend(date_id);
    time_ids.UnsafeAppend(time_id);
    pizza_sks.UnsafeAppend(sk);
    if (date_keys_.Insert(date_id)) ARROW_RETURN_NOT_OK(b->dates.Add(dates.Value(i)));
    if (time_keys_.insert(time_id).second) ARROW_RETURN_NOT_OK(b->times.Add(time_id));
    if (new_pizza) {
      ARROW_RETURN_NOT_OK(
          b->pizzas.Add({sk, pizza_id, text(sizes, i), text(ingredients, i), text(names, i),
                         text(categories, i), arrow::Decimal128(prices.GetValue(i))}));
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto date_id_column, date_ids.Finish());
  ARROW_ASSIGN_OR_RAISE(auto time_id_column, time_ids.Finish());
  ARROW_ASSIGN_OR_RAISE(auto pizza_sk_column, pizza_sks.Finish());
  auto facts = lake::BatchWithDictionaries(
      FactOrderItemSchema(), n,
      {batch.column(kOrderItemId), batch.column(kOrderId), batch.column(kOrderDate), date_id_column,
       time_id_column, pizza_sk_column, batch.column(kQuantity), batch.column(kUnitPrice),
       batch.column(kTotalPrice), batch.column(kOrderChannel)});
  ARROW_RETURN_NOT_OK(b->facts.Write(facts));
  b->handed.Add(facts);
  return Status::OK();
}

Status GoldStage::CommitRows(const lake::InputRange& range, GoldBuilders& b) {
  ARROW_ASSIGN_OR_RAISE(auto dates, b.dates.Finish());
  ARROW_ASSIGN_OR_RAISE(auto times, b.times.Finish());
  ARROW_ASSIGN_OR_RAISE(auto pizzas, b.pizzas.Finish());
  ARROW_ASSIGN_OR_RAISE(auto facts, b.facts.Finish());
  namespace t = lake::tables;
  std::vector<lake::StepOutput> outputs = {
      {t::kGoldDimDate, dim_date_.get(), DimDateSchema(), {dates}},
      {t::kGoldDimTime, dim_time_.get(), DimTimeSchema(), {times}},
      {t::kGoldDimPizza, dim_pizza_.get(), DimPizzaSchema(), {pizzas}},
      {t::kGoldFact, fact_.get(), FactOrderItemSchema(), b.handed.Take(), FactParquetHints(),
       facts},  // primary: last
  };
  return lake::CommitStep(*lake_, kGoldAppId, range, outputs, "STREAMING UPDATE").status();
}

Result<StepResult> GoldStage::DoStep() {
  StepResult result;
  ARROW_ASSIGN_OR_RAISE(auto range, NextInput());
  if (range.empty()) return result;
  // Silver's rows are read a batch at a time and their facts written as they are shaped: memory
  // holds a batch, not the step. Files silver wrote in its first layout (order_time as text)
  // are read upgraded.
  namespace t = lake::tables;
  GoldBuilders b{
      {},
      {},
      {},
      lake::StreamedFile(*lake_, t::kGoldFact, FactOrderItemSchema(), FactParquetHints()),
      lake::HandOffBatches(lake_->written(), t::kGoldFact)};
  ARROW_RETURN_NOT_OK(lake::ScanRange(
      *lake_, t::kSilverCleaned, range, ShapedColumns(), kInputBatchRows,
      [&](const arrow::RecordBatch& batch) {
        result.rows_in += batch.num_rows();
        return ShapeBatch(batch, &b);
      },
      silver::CleanedFileUpgrade()));
  result.rows_out = result.rows_in;
  ARROW_RETURN_NOT_OK(CommitRows(range, b));
  return result;
}

}  // namespace pizzastream::gold
