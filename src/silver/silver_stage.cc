#include "silver/silver_stage.h"

#include <arrow/builder.h>
#include <arrow/table.h>
#include <fmt/format.h>

#include <algorithm>

#include "bronze/bronze_schema.h"
#include "core/calendar.h"
#include "lake/text_address_cache.h"
#include "lake/text_column.h"
#include "lake/text_dictionary_builder.h"
#include "silver/accepted_ids_state.h"
#include "silver/cleaned_layout_upgrade.h"
#include "silver/rules.h"
#include "silver/silver_schema.h"
#include "sources/order_source.h"

namespace pizzastream::silver {

namespace {
constexpr size_t kRawFields = sources::kSourceColumns.size();
// Bronze rows read at a time.
constexpr int64_t kInputBatchRows = 16 * 1024;
// Accepted lines are written to the order-line tables a chunk at a time, once it holds this
// many. A chunk is a row group of its own (its dictionary columns, lake/lakehouse.h); ending
// within the input batch that fills it, it stays within a row group's 64k rows.
constexpr int64_t kOutputChunkRows = 48 * 1024;
static_assert(kOutputChunkRows + kInputBatchRows <= 64 * 1024);

// Whether `log`'s table still lacks silver's output for `range` (a crashed step may have
// committed it).
Result<bool> NotCommitted(lake::DeltaLog& log, const lake::InputRange& range) {
  ARROW_ASSIGN_OR_RAISE(int64_t done, lake::TxnVersion(log, kSilverAppId));
  return done < range.to_version;
}

// The bronze columns silver reads: the raw fields, then ingest_time, source_partition and
// source_offset (not source_topic: only the columns named are decoded). The raw fields bronze
// writes dictionary-encoded (all but its unique ones) are read as dictionaries (TextColumn).
enum InputColumn { kInIngestTime = kRawFields, kInPartition, kInOffset };
std::shared_ptr<arrow::Schema> InputSchema() {
  static const auto schema = [] {
    const auto bronze = bronze::OrderLinesSchema();
    const auto& unique = bronze::OrderLinesParquetHints().unique_values;
    arrow::FieldVector fields;
    for (size_t c = 0; c < kRawFields; ++c) {
      auto field = bronze->field(static_cast<int>(c));
      if (std::find(unique.begin(), unique.end(), field->name()) == unique.end()) {
        field = lake::TextColumn::DictionaryField(field);
      }
      fields.push_back(field);
    }
    for (const char* name : {"ingest_time", "source_partition", "source_offset"}) {
      fields.push_back(bronze->GetFieldByName(name));
    }
    return arrow::schema(fields);
  }();
  return schema;
}

using lake::TextColumn;
using TextColumns = std::array<TextColumn, kRawFields>;
Result<TextColumns> RawColumns(const arrow::RecordBatch& batch) {
  TextColumns cols;
  for (size_t c = 0; c < kRawFields; ++c) {
    ARROW_ASSIGN_OR_RAISE(cols[c], TextColumn::Of(*batch.column(static_cast<int>(c))));
  }
  return cols;
}
}  // namespace

// A non-null fixed-width column of an accepted line's value: a plain buffer (no validity
// bitmap to keep), appended to without a capacity check once reserved.
template <typename ArrowType, typename Value = typename ArrowType::c_type>
class FixedColumn {
 public:
  explicit FixedColumn(
      std::shared_ptr<arrow::DataType> type = arrow::TypeTraits<ArrowType>::type_singleton())
      : type_(std::move(type)) {}
  Status Reserve(int64_t rows) { return values_.Reserve(rows); }
  void UnsafeAppend(Value value) { values_.UnsafeAppend(value); }
  Result<std::shared_ptr<arrow::Array>> Finish() {
    const int64_t rows = values_.length();
    ARROW_ASSIGN_OR_RAISE(auto buffer, values_.Finish());
    return arrow::MakeArray(arrow::ArrayData::Make(type_, rows, {nullptr, std::move(buffer)}, 0));
  }

 private:
  std::shared_ptr<arrow::DataType> type_;
  arrow::TypedBufferBuilder<Value> values_;
};

// Output builders for one step: every accepted line goes to silver_cleaned (whose columns the
// order-items and timestamp tables share), new pizza_name_ids to the catalog, the rest to
// quarantine or duplicates. Reserve() makes room for every input line to be accepted (values,
// dictionary indices and time texts), so AppendAccepted() allocates only for a text the chunk
// has not seen.
// The pizza's text columns and the channel are dictionary-encoded (lake/
// text_dictionary_builder.h): a chunk holds each distinct text once, and Parquet writes their
// dictionaries as they are.
struct SilverBuilders {
  FixedColumn<arrow::Int64Type> order_item_id, order_id, source_offset;
  FixedColumn<arrow::Int32Type> quantity, source_partition, hour, minute;
  FixedColumn<arrow::Date32Type> order_date;
  lake::TextDictionaryBuilder pizza_name_id, size, category, ingredients, name, channel;
  FixedColumn<arrow::Decimal128Type, arrow::Decimal128> unit{money::UnitPriceType()},
      total{money::TotalPriceType()};
  FixedColumn<arrow::TimestampType> ingest{arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")};
  // The order's moment: silver_cleaned.order_time, silver_timestamp.order_timestamp.
  FixedColumn<arrow::TimestampType> order_time{arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")};
  arrow::StringBuilder time_text;  // silver_timestamp.order_time, "HH:MM:SS"
  // Room for `rows` more lines to be accepted, on top of what the builders hold.
  Status Reserve(int64_t rows) {
    ARROW_RETURN_NOT_OK(time_text.Reserve(rows));
    for (Status reserved :
         {order_item_id.Reserve(rows), order_id.Reserve(rows), source_offset.Reserve(rows),
          quantity.Reserve(rows), source_partition.Reserve(rows), hour.Reserve(rows),
          minute.Reserve(rows), order_date.Reserve(rows), unit.Reserve(rows), total.Reserve(rows),
          ingest.Reserve(rows), order_time.Reserve(rows), pizza_name_id.Reserve(rows),
          size.Reserve(rows), category.Reserve(rows), ingredients.Reserve(rows), name.Reserve(rows),
          channel.Reserve(rows)}) {
      ARROW_RETURN_NOT_OK(reserved);
    }
    return time_text.ReserveData(rows * 8);  // "HH:MM:SS"
  }
  // The pizza texts of the lines appended next come from another input batch.
  void NextInputBatch() {
    for (lake::TextDictionaryBuilder* b :
         {&pizza_name_id, &size, &category, &ingredients, &name, &channel}) {
      b->ForgetAddresses();
    }
  }
  int64_t accepted() const { return size.length(); }
  // REQUIRES: Reserve() for the lines appended.
  Status AppendAccepted(const CleanLine& line, int32_t partition, int64_t offset,
                        int64_t ingest_time) {
    char time_buffer[8];
    order_item_id.UnsafeAppend(line.order_item_id);
    order_id.UnsafeAppend(line.order_id);
    quantity.UnsafeAppend(line.quantity);
    order_date.UnsafeAppend(line.order_date);
    order_time.UnsafeAppend(TimestampMicros(line.order_date, line.order_seconds));
    unit.UnsafeAppend(arrow::Decimal128(line.unit_cents));
    total.UnsafeAppend(arrow::Decimal128(line.total_cents));
    source_partition.UnsafeAppend(partition);
    source_offset.UnsafeAppend(offset);
    ingest.UnsafeAppend(ingest_time);
    time_text.UnsafeAppend(FormatTimeOfDay(line.order_seconds, time_buffer));
    hour.UnsafeAppend(line.order_seconds / 3600);
    minute.UnsafeAppend(line.order_seconds / 60 % 60);
    // One by one: a Status copied (out of a list) costs a call even when OK.
    ARROW_RETURN_NOT_OK(pizza_name_id.Append(line.pizza_name_id));
    ARROW_RETURN_NOT_OK(size.Append(line.pizza_size));
    ARROW_RETURN_NOT_OK(category.Append(line.pizza_category));
    ARROW_RETURN_NOT_OK(ingredients.Append(line.pizza_ingredients));
    ARROW_RETURN_NOT_OK(name.Append(line.pizza_name));
    return channel.Append(line.order_channel);
  }
  // Catalog (new pizza_name_ids only).
  arrow::StringBuilder cat_id, cat_name, cat_category, cat_size, cat_ingredients;
  arrow::Decimal128Builder cat_price{money::UnitPriceType()};
  Status AppendCatalogEntry(const CleanLine& line) {
    ARROW_RETURN_NOT_OK(cat_id.Append(line.pizza_name_id));
    ARROW_RETURN_NOT_OK(cat_name.Append(line.pizza_name));
    ARROW_RETURN_NOT_OK(cat_category.Append(line.pizza_category));
    ARROW_RETURN_NOT_OK(cat_size.Append(line.pizza_size));
    ARROW_RETURN_NOT_OK(cat_price.Append(arrow::Decimal128(line.unit_cents)));
    return cat_ingredients.Append(line.pizza_ingredients);
  }
  // Rejected rows: quarantine and duplicates share a layout.
  struct Rejected {
    std::array<arrow::StringBuilder, kRawFields> raw;
    arrow::StringBuilder rule;
    arrow::Int32Builder partition;
    arrow::Int64Builder offset;
    Status Add(const RawFields& fields, std::string_view rule_name, int32_t p, int64_t o) {
      for (size_t i = 0; i < kRawFields; ++i) {
        ARROW_RETURN_NOT_OK(fields[i] ? raw[i].Append(*fields[i]) : raw[i].AppendNull());
      }
      ARROW_RETURN_NOT_OK(rule.Append(rule_name));
      ARROW_RETURN_NOT_OK(partition.Append(p));
      return offset.Append(o);
    }
    Result<std::shared_ptr<arrow::RecordBatch>> Finish() {
      arrow::ArrayVector cols;
      for (auto& b : raw) {
        ARROW_ASSIGN_OR_RAISE(auto a, b.Finish());
        cols.push_back(a);
      }
      for (arrow::ArrayBuilder* b :
           std::initializer_list<arrow::ArrayBuilder*>{&rule, &partition, &offset}) {
        ARROW_ASSIGN_OR_RAISE(auto a, b->Finish());
        cols.push_back(a);
      }
      return arrow::RecordBatch::Make(RejectedSchema(), cols[0]->length(), cols);
    }
  } quarantine, duplicates;
};

namespace {
Result<std::shared_ptr<arrow::Array>> FinishOne(arrow::ArrayBuilder& b) { return b.Finish(); }
}  // namespace

SilverStage::SilverStage(std::shared_ptr<lake::Lakehouse> lake, SilverOptions options)
    : lake_(std::move(lake)), options_(options) {
  namespace t = lake::tables;
  bronze_ = lake_->Log(t::kBronzeOrderLines);
  cleaned_ = lake_->Log(t::kSilverCleaned);
  order_items_ = lake_->Log(t::kSilverOrderItems);
  catalog_ = lake_->Log(t::kSilverPizzaCatalog);
  timestamp_ = lake_->Log(t::kSilverTimestamp);
  quarantine_ = lake_->Log(t::kSilverQuarantine);
  duplicates_ = lake_->Log(t::kSilverDuplicates);
}

Result<std::unique_ptr<SilverStage>> SilverStage::Open(std::shared_ptr<lake::Lakehouse> lake,
                                                       SilverOptions options) {
  std::unique_ptr<SilverStage> s(new SilverStage(std::move(lake), options));
  ARROW_RETURN_NOT_OK(s->bronze_->CreateIfMissing(bronze::OrderLinesSchema()));
  ARROW_RETURN_NOT_OK(s->cleaned_->CreateIfMissing(CleanedSchema()));
  // A lake of the first layout (order_time as text) is upgraded before silver writes to it.
  ARROW_RETURN_NOT_OK(UpgradeCleanedTable(*s->lake_, *s->cleaned_));
  ARROW_RETURN_NOT_OK(s->order_items_->CreateIfMissing(OrderItemsSchema()));
  ARROW_RETURN_NOT_OK(s->catalog_->CreateIfMissing(PizzaCatalogSchema()));
  ARROW_RETURN_NOT_OK(s->timestamp_->CreateIfMissing(TimestampSchema()));
  ARROW_RETURN_NOT_OK(s->quarantine_->CreateIfMissing(RejectedSchema()));
  ARROW_RETURN_NOT_OK(s->duplicates_->CreateIfMissing(RejectedSchema()));
  return s;
}

Status SilverStage::LoadState() {
  accepted_ids_.Clear();
  catalog_ids_.clear();
  // The saved ids, then the ids of the silver_cleaned data added after them.
  ARROW_ASSIGN_OR_RAISE(auto snapshot, cleaned_->Update());
  const auto position = snapshot->txns.find(kSilverAppId);
  state_position_ = position == snapshot->txns.end() ? -1 : position->second;
  const std::string& table_id = snapshot->metadata.id;
  ARROW_ASSIGN_OR_RAISE(auto saved, LoadAcceptedIds(*lake_->fs(), cleaned_->table_path(), table_id,
                                                    snapshot->version));
  int64_t from = -1;
  if (saved) {
    accepted_ids_ = std::move(saved->ids);
    from = saved->version;
  }
  saved_version_ = from;
  auto changes = cleaned_->DataAddedIn(from, snapshot->version);
  // Log clean-up may have removed the commits after the saved version: rebuild then too.
  if (!changes.ok() && !changes.status().IsKeyError()) return changes.status();
  std::vector<lake::AddFile> files =
      changes.ok() ? std::move(*changes) : std::vector<lake::AddFile>{};
  const bool all_live =
      changes.ok() && std::all_of(files.begin(), files.end(), [&](const lake::AddFile& f) {
        return snapshot->files.count(f.path) > 0;
      });
  if (!all_live) {
    // Some were compacted (and may be vacuumed) since, or their commits cleaned up: rebuild
    // from the live files instead.
    accepted_ids_.Clear();
    files.clear();
    for (const auto& [path, f] : snapshot->files) files.push_back(f);
  }
  ARROW_RETURN_NOT_OK(AddIds(files, /*skip_version=*/-2));
  ids_version_ = snapshot->version;
  // The catalog is small (one row per pizza_name_id): read it whole.
  const auto catalog_schema = arrow::schema({PizzaCatalogSchema()->field(0)});
  ARROW_ASSIGN_OR_RAISE(auto cat, catalog_->Update());
  for (const auto& [path, f] : cat->files) {
    ARROW_ASSIGN_OR_RAISE(auto t,
                          lake_->ReadParquet(lake::tables::kSilverPizzaCatalog, f, catalog_schema));
    for (const auto& chunk : t->column(0)->chunks()) {
      const auto& ids = static_cast<const arrow::StringArray&>(*chunk);
      for (int64_t i = 0; i < ids.length(); ++i) catalog_ids_.emplace(ids.GetView(i));
    }
  }
  state_valid_ = true;
  return Status::OK();
}

Status SilverStage::AfterCommit(int64_t committed_version) {
  ARROW_ASSIGN_OR_RAISE(auto snapshot, cleaned_->Update());
  // Data another writer appended to silver_cleaned meanwhile counts as accepted too.
  ARROW_ASSIGN_OR_RAISE(auto files, cleaned_->DataAddedIn(ids_version_, snapshot->version));
  ARROW_RETURN_NOT_OK(AddIds(files, committed_version));
  ids_version_ = snapshot->version;
  if (ids_version_ - saved_version_ >= kSaveIdsEvery) {
    ARROW_RETURN_NOT_OK(SaveAcceptedIds(*cleaned_->store(), cleaned_->table_path(),
                                        snapshot->metadata.id, ids_version_, accepted_ids_));
    saved_version_ = ids_version_;
  }
  return Status::OK();
}

Status SilverStage::AddIds(const std::vector<lake::AddFile>& files, int64_t skip_version) {
  const auto ids_schema = arrow::schema({CleanedSchema()->field(kOrderItemId)});
  for (const auto& f : files) {
    if (f.version == skip_version) continue;
    ARROW_ASSIGN_OR_RAISE(auto t, lake_->ReadParquet(lake::tables::kSilverCleaned, f, ids_schema));
    for (const auto& chunk : t->column(0)->chunks()) {
      const auto& ids = static_cast<const arrow::Int64Array&>(*chunk);
      for (int64_t i = 0; i < ids.length(); ++i) accepted_ids_.Insert(ids.Value(i));
    }
  }
  return Status::OK();
}

Result<int64_t> SilverStage::Lag() {
  ARROW_ASSIGN_OR_RAISE(int64_t done, lake::TxnVersion(*cleaned_, kSilverAppId));
  return lake::RecordsAfter(*bronze_, done);
}

Result<StepResult> SilverStage::Step() {
  auto result = DoStep();
  if (!result.ok()) state_valid_ = false;  // the sets may hold ids of an uncommitted step
  return result;
}

Result<lake::InputRange> SilverStage::NextInput() {
  if (!state_valid_) ARROW_RETURN_NOT_OK(LoadState());
  ARROW_ASSIGN_OR_RAISE(int64_t done, lake::TxnVersion(*cleaned_, kSilverAppId));
  if (done != state_position_) {  // another silver process committed meanwhile
    ARROW_RETURN_NOT_OK(LoadState());
    done = state_position_;
  }
  ARROW_ASSIGN_OR_RAISE(int64_t forced,
                        lake::MaxTxnVersion({order_items_.get(), catalog_.get(), timestamp_.get(),
                                             quarantine_.get(), duplicates_.get()},
                                            kSilverAppId));
  return lake::NextRange(*bronze_, done, options_.max_records, forced);
}

Status SilverStage::ClassifyBatch(const arrow::RecordBatch& batch, SilverBuilders* b) {
  ARROW_ASSIGN_OR_RAISE(const TextColumns cols, RawColumns(batch));
  // A chunk's first batch, when a full one (more are likely to follow), makes room for the whole
  // chunk: buffers that grow batch by batch copy what they hold each time.
  const int64_t rows = batch.num_rows();
  const int64_t batches_ahead =
      b->accepted() == 0 && rows >= kInputBatchRows ? (kOutputChunkRows + rows - 1) / rows : 1;
  ARROW_RETURN_NOT_OK(b->Reserve(rows * batches_ahead));
  b->NextInputBatch();
  const auto& ingest = static_cast<const arrow::TimestampArray&>(*batch.column(kInIngestTime));
  const auto& partition = static_cast<const arrow::Int32Array&>(*batch.column(kInPartition));
  const auto& offset = static_cast<const arrow::Int64Array&>(*batch.column(kInOffset));
  RawFields raw;
  CleanLine line;
  // Both live as long as this batch's texts, whose addresses they remember.
  FieldMemo memo;
  lake::TextAddressCache<bool> in_catalog;  // pizza_name_ids the catalog is known to hold
  for (int64_t i = 0; i < batch.num_rows(); ++i) {
    for (size_t c = 0; c < kRawFields; ++c) {
      raw[c] = cols[c].Get(i);
    }
    const Rule rule = Validate(raw, options_.date_order, &line, &memo);
    if (rule != Rule::kOk) {
      ARROW_RETURN_NOT_OK(
          b->quarantine.Add(raw, RuleName(rule), partition.Value(i), offset.Value(i)));
      continue;
    }
    if (!accepted_ids_.Insert(line.order_item_id)) {
      ARROW_RETURN_NOT_OK(
          b->duplicates.Add(raw, "duplicate_order_item", partition.Value(i), offset.Value(i)));
      continue;
    }
    ARROW_RETURN_NOT_OK(
        b->AppendAccepted(line, partition.Value(i), offset.Value(i), ingest.Value(i)));
    if (in_catalog.Find(line.pizza_name_id) != nullptr) continue;
    if (catalog_ids_.find(line.pizza_name_id) == catalog_ids_.end()) {
      catalog_ids_.emplace(line.pizza_name_id);
      ARROW_RETURN_NOT_OK(b->AppendCatalogEntry(line));
    }
    in_catalog.Remember(line.pizza_name_id, true);
  }
  return Status::OK();
}

Result<SilverStage::LineTables> SilverStage::FinishLines(SilverBuilders& b) {
  arrow::ArrayVector cleaned_cols(kCleanedColumns);
  for (auto [column, finished] :
       std::initializer_list<std::pair<CleanedColumn, Result<std::shared_ptr<arrow::Array>>>>{
           {kOrderItemId, b.order_item_id.Finish()},
           {kOrderId, b.order_id.Finish()},
           {kPizzaNameId, b.pizza_name_id.Finish()},
           {kQuantity, b.quantity.Finish()},
           {kOrderDate, b.order_date.Finish()},
           {kOrderTime, b.order_time.Finish()},
           {kUnitPrice, b.unit.Finish()},
           {kTotalPrice, b.total.Finish()},
           {kPizzaSize, b.size.Finish()},
           {kPizzaCategory, b.category.Finish()},
           {kPizzaIngredients, b.ingredients.Finish()},
           {kPizzaName, b.name.Finish()},
           {kOrderChannel, b.channel.Finish()},
           {kSourcePartition, b.source_partition.Finish()},
           {kSourceOffset, b.source_offset.Finish()},
           {kIngestTime, b.ingest.Finish()}}) {
    ARROW_ASSIGN_OR_RAISE(cleaned_cols[column], std::move(finished));
  }
  const int64_t accepted = cleaned_cols[0]->length();
  LineTables out;
  out.cleaned = lake::BatchWithDictionaries(CleanedSchema(), accepted, cleaned_cols);
  out.items = lake::BatchWithDictionaries(
      OrderItemsSchema(), accepted,
      {cleaned_cols[kOrderItemId], cleaned_cols[kOrderId], cleaned_cols[kPizzaNameId],
       cleaned_cols[kQuantity], cleaned_cols[kUnitPrice], cleaned_cols[kTotalPrice],
       cleaned_cols[kOrderChannel]});
  ARROW_ASSIGN_OR_RAISE(auto time_text, FinishOne(b.time_text));
  ARROW_ASSIGN_OR_RAISE(auto hour, b.hour.Finish());
  ARROW_ASSIGN_OR_RAISE(auto minute, b.minute.Finish());
  out.timestamps = arrow::RecordBatch::Make(
      TimestampSchema(), accepted,
      {cleaned_cols[kOrderItemId], cleaned_cols[kOrderId], cleaned_cols[kOrderDate], time_text,
       cleaned_cols[kOrderTime], hour, minute});
  return out;
}

Result<SilverStage::OtherTables> SilverStage::FinishOthers(SilverBuilders& b) {
  OtherTables out;
  arrow::ArrayVector cat_cols;
  for (arrow::ArrayBuilder* builder :
       std::initializer_list<arrow::ArrayBuilder*>{&b.cat_id, &b.cat_name, &b.cat_category,
                                                   &b.cat_size, &b.cat_price, &b.cat_ingredients}) {
    ARROW_ASSIGN_OR_RAISE(auto a, FinishOne(*builder));
    cat_cols.push_back(a);
  }
  out.catalog = arrow::RecordBatch::Make(PizzaCatalogSchema(), cat_cols[0]->length(), cat_cols);
  ARROW_ASSIGN_OR_RAISE(out.quarantined, b.quarantine.Finish());
  ARROW_ASSIGN_OR_RAISE(out.duplicates, b.duplicates.Finish());
  return out;
}

Result<int64_t> SilverStage::CommitTables(const lake::InputRange& range, LineFiles& lines,
                                          OtherTables& others) {
  namespace t = lake::tables;
  ARROW_ASSIGN_OR_RAISE(auto items, lines.items.Finish());
  ARROW_ASSIGN_OR_RAISE(auto timestamps, lines.timestamps.Finish());
  ARROW_ASSIGN_OR_RAISE(auto cleaned, lines.cleaned.Finish());
  std::vector<lake::StepOutput> outputs = {
      {t::kSilverQuarantine, quarantine_.get(), RejectedSchema(), {others.quarantined}},
      {t::kSilverDuplicates, duplicates_.get(), RejectedSchema(), {others.duplicates}},
      {t::kSilverOrderItems,
       order_items_.get(),
       OrderItemsSchema(),
       {},
       OrderLineParquetHints(),
       items},
      {t::kSilverPizzaCatalog, catalog_.get(), PizzaCatalogSchema(), {others.catalog}},
      {t::kSilverTimestamp,
       timestamp_.get(),
       TimestampSchema(),
       {},
       TimestampParquetHints(),
       timestamps},
      {t::kSilverCleaned, cleaned_.get(), CleanedSchema(), lines.handed.Take(),
       OrderLineParquetHints(), cleaned},  // primary: last
  };
  return lake::CommitStep(*lake_, kSilverAppId, range, outputs, "STREAMING UPDATE");
}

Status SilverStage::WriteLines(SilverBuilders& b, LineFiles* files) {
  if (b.accepted() == 0) return Status::OK();
  ARROW_ASSIGN_OR_RAISE(LineTables tables, FinishLines(b));
  if (files->write_items) ARROW_RETURN_NOT_OK(files->items.Write(tables.items));
  if (files->write_timestamps) ARROW_RETURN_NOT_OK(files->timestamps.Write(tables.timestamps));
  if (files->write_cleaned) {
    ARROW_RETURN_NOT_OK(files->cleaned.Write(tables.cleaned));
    files->handed.Add(tables.cleaned);
  }
  files->accepted += tables.cleaned->num_rows();
  return Status::OK();
}

Result<StepResult> SilverStage::DoStep() {
  StepResult result;
  ARROW_ASSIGN_OR_RAISE(auto range, NextInput());
  if (range.empty()) return result;
  // Bronze's files are read a batch at a time, and the order-line tables written a chunk at a
  // time: memory holds one input batch and one chunk of output, not the step's lines. An
  // output a crashed step already committed is not written again (CommitStep skips it).
  namespace t = lake::tables;
  LineFiles files{
      lake::StreamedFile(*lake_, t::kSilverCleaned, CleanedSchema(), OrderLineParquetHints()),
      lake::StreamedFile(*lake_, t::kSilverOrderItems, OrderItemsSchema(), OrderLineParquetHints()),
      lake::StreamedFile(*lake_, t::kSilverTimestamp, TimestampSchema(), TimestampParquetHints()),
      true,
      true,
      true,
      lake::HandOffBatches(lake_->written(), t::kSilverCleaned),
      0};
  ARROW_ASSIGN_OR_RAISE(files.write_cleaned, NotCommitted(*cleaned_, range));
  ARROW_ASSIGN_OR_RAISE(files.write_items, NotCommitted(*order_items_, range));
  ARROW_ASSIGN_OR_RAISE(files.write_timestamps, NotCommitted(*timestamp_, range));
  SilverBuilders b;
  ARROW_RETURN_NOT_OK(lake::ScanRange(*lake_, t::kBronzeOrderLines, range, InputSchema(),
                                      kInputBatchRows,
                                      [&](const arrow::RecordBatch& batch) -> Status {
                                        result.rows_in += batch.num_rows();
                                        ARROW_RETURN_NOT_OK(ClassifyBatch(batch, &b));
                                        if (b.accepted() < kOutputChunkRows) return Status::OK();
                                        return WriteLines(b, &files);
                                      }));
  ARROW_RETURN_NOT_OK(WriteLines(b, &files));
  ARROW_ASSIGN_OR_RAISE(OtherTables others, FinishOthers(b));
  ARROW_ASSIGN_OR_RAISE(int64_t committed, CommitTables(range, files, others));
  state_position_ = range.to_version;
  ARROW_RETURN_NOT_OK(AfterCommit(committed));
  result.rows_out = files.accepted;
  result.rejected = others.quarantined->num_rows();
  result.duplicates = others.duplicates->num_rows();
  return result;
}

}  // namespace pizzastream::silver
