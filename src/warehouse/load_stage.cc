#include "warehouse/load_stage.h"

#include "gold/gold_schema.h"
#include "lake/incremental_input.h"

namespace pizzastream::warehouse {

namespace {
// Fact rows read from a file at a time.
constexpr int64_t kFactBatchRows = 16 * 1024;

std::string GoldTable(const std::string& name) { return "gold/" + name; }
std::shared_ptr<arrow::Schema> GoldSchema(const std::string& name) {
  if (name == "dim_date") return gold::DimDateSchema();
  if (name == "dim_time") return gold::DimTimeSchema();
  if (name == "dim_pizza") return gold::DimPizzaSchema();
  return gold::FactOrderItemSchema();
}
}  // namespace

LoadStage::LoadStage(std::shared_ptr<lake::Lakehouse> lake, std::unique_ptr<Warehouse> warehouse,
                     LoadOptions options)
    : lake_(std::move(lake)), warehouse_(std::move(warehouse)), options_(options) {
  for (const char* t : kGoldTables) logs_[t] = lake_->Log(GoldTable(t));
}

Result<std::unique_ptr<LoadStage>> LoadStage::Open(std::shared_ptr<lake::Lakehouse> lake,
                                                   std::unique_ptr<Warehouse> warehouse,
                                                   LoadOptions options) {
  ARROW_RETURN_NOT_OK(warehouse->Init());
  std::unique_ptr<LoadStage> s(new LoadStage(std::move(lake), std::move(warehouse), options));
  ARROW_RETURN_NOT_OK(s->logs_["dim_date"]->CreateIfMissing(gold::DimDateSchema()));
  ARROW_RETURN_NOT_OK(s->logs_["dim_time"]->CreateIfMissing(gold::DimTimeSchema()));
  ARROW_RETURN_NOT_OK(s->logs_["dim_pizza"]->CreateIfMissing(gold::DimPizzaSchema()));
  ARROW_RETURN_NOT_OK(s->logs_["fact_order_item"]->CreateIfMissing(gold::FactOrderItemSchema()));
  for (const char* t : kGoldTables) s->lake_->written().Expect(GoldTable(t));
  return s;
}

Result<int64_t> LoadStage::Lag() {
  ARROW_ASSIGN_OR_RAISE(auto positions, warehouse_->Positions());
  return lake::RecordsAfter(*logs_["fact_order_item"], positions["fact_order_item"]);
}

Result<StepResult> LoadStage::Step() {
  StepResult result;
  ARROW_ASSIGN_OR_RAISE(auto positions, warehouse_->Positions());
  GoldChunk chunk;
  // The fact range first, then the dimensions: gold commits dimensions before facts, so the
  // dimension snapshots read afterwards hold every key these facts use.
  ARROW_ASSIGN_OR_RAISE(auto fact_range,
                        lake::NextRange(*logs_["fact_order_item"], positions["fact_order_item"],
                                        options_.max_records, -1));
  bool any = !fact_range.empty();
  std::map<std::string, lake::InputRange> ranges{{"fact_order_item", fact_range}};
  for (const char* t : {"dim_date", "dim_time", "dim_pizza"}) {
    ARROW_ASSIGN_OR_RAISE(ranges[t], lake::NextRange(*logs_[t], positions[t], INT64_MAX, -1));
    any |= !ranges[t].empty();
  }
  if (!any) return result;
  for (const auto& [table, range] : ranges) {
    chunk.positions[table] = range.to_version;
    if (table != "fact_order_item") {
      ARROW_ASSIGN_OR_RAISE(chunk.batches[table],
                            lake::ReadRange(*lake_, GoldTable(table), range, GoldSchema(table)));
    } else if (!range.files.empty()) {
      // The facts are read as the warehouse loads them: memory holds a batch, not the step.
      chunk.scans[table] = [this, range](const BatchVisitor& each) {
        return lake::ScanRange(*lake_, GoldTable("fact_order_item"), range,
                               gold::FactOrderItemSchema(), kFactBatchRows, each);
      };
    }
  }
  ARROW_RETURN_NOT_OK(warehouse_->Load(chunk));
  result.rows_in = fact_range.records;
  result.rows_out = fact_range.records;
  return result;
}

Result<RowCounts> CountRows(const lake::Lakehouse& lake, int64_t warehouse_fact_rows) {
  namespace t = lake::tables;
  auto records = [&](const char* table) -> Result<int64_t> {
    auto log = lake.Log(table);
    ARROW_ASSIGN_OR_RAISE(auto snapshot, log->Update());
    return snapshot->num_records;
  };
  RowCounts rows;
  ARROW_ASSIGN_OR_RAISE(int64_t bronze, records(t::kBronzeOrderLines));
  ARROW_ASSIGN_OR_RAISE(int64_t bronze_rejected, records(t::kBronzeQuarantine));
  ARROW_ASSIGN_OR_RAISE(int64_t silver_rejected, records(t::kSilverQuarantine));
  ARROW_ASSIGN_OR_RAISE(rows.duplicates, records(t::kSilverDuplicates));
  ARROW_ASSIGN_OR_RAISE(rows.silver, records(t::kSilverCleaned));
  rows.received = bronze + bronze_rejected;
  rows.rejected = bronze_rejected + silver_rejected;
  rows.fact = warehouse_fact_rows;
  return rows;
}

}  // namespace pizzastream::warehouse
