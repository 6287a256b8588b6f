#include "serve/lake_pipeline_probe.h"

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "warehouse/fact_load_ranges.h"

namespace pizzastream::serve {
namespace {

constexpr int64_t kRateWindowMs = 10000;

// Unix ms of the warehouse's last load, from the load_position table both warehouses keep;
// 0 when unknown.
int64_t LastLoadMillis(warehouse::Warehouse& wh) {
  const char* sql =
      wh.dialect() == "postgresql"
          ? "SELECT CAST(EXTRACT(EPOCH FROM MAX(loaded_at)) * 1000 AS BIGINT) "
            "FROM pizza_sales.load_position"
          : "SELECT CAST((julianday(MAX(loaded_at)) - 2440587.5) * 86400000.0 AS INTEGER) "
            "FROM pizza_sales.load_position";
  auto r = wh.Query(sql, {});
  if (!r.ok() || r->rows.size() != 1) return 0;
  const auto* ms = std::get_if<int64_t>(&r->rows[0][0]);
  return ms != nullptr ? *ms : 0;
}

}  // namespace

LakePipelineProbe::LakePipelineProbe(std::shared_ptr<lake::Lakehouse> lake,
                                     WarehousePool* warehouses,
                                     std::shared_ptr<PipelineStatus> status)
    : lake_(std::move(lake)), warehouses_(warehouses), status_(std::move(status)) {}

LakePipelineProbe::~LakePipelineProbe() { Stop(); }

Result<LakePipelineProbe::TableState> LakePipelineProbe::ReadTable(const char* table) {
  auto& log = logs_[table];
  if (log == nullptr) log = lake_->Log(table);
  ARROW_ASSIGN_OR_RAISE(const lake::Snapshot* snapshot, log->Update());
  return TableState{snapshot->num_records, snapshot->last_commit_ms};
}

double LakePipelineProbe::RowsPerSecond(const std::string& stage, int64_t rows, int64_t now_ms) {
  auto& samples = samples_[stage];
  samples.emplace_back(now_ms, rows);
  // Keep one sample at or before the window's start as the base.
  while (samples.size() > 2 && samples[1].first <= now_ms - kRateWindowMs) samples.pop_front();
  const auto& [base_ms, base_rows] = samples.front();
  if (now_ms <= base_ms || rows <= base_rows) return 0;
  return static_cast<double>(rows - base_rows) * 1000.0 / static_cast<double>(now_ms - base_ms);
}

Status LakePipelineProbe::PollOnce() {
  const int64_t now = WallClockMillis();
  int64_t fact_rows = 0;
  int64_t last_load_ms = 0;
  {
    ARROW_ASSIGN_OR_RAISE(auto wh, warehouses_->Acquire());
    auto rows = warehouse::LoadedFactRows(*wh);
    if (!rows.ok()) wh.Discard();
    ARROW_RETURN_NOT_OK(rows.status());
    fact_rows = *rows;
    last_load_ms = LastLoadMillis(*wh);
  }
  if (fact_rows != warehouse_rows_) {
    if (warehouse_rows_ >= 0) warehouse_changed_ms_ = now;
    warehouse_rows_ = fact_rows;
  }

  std::vector<StageStats> stages;
  auto add = [&](std::string name, int64_t rows_in, int64_t rows_out, int64_t lag,
                 int64_t last_commit_ms) -> StageStats& {
    StageStats& s = stages.emplace_back();
    s.rows_per_second = RowsPerSecond(name, rows_out, now);
    s.name = std::move(name);
    s.rows_in = rows_in;
    s.rows_out = rows_out;
    s.lag = lag;
    s.last_commit_ms = last_commit_ms;
    return s;
  };
  int64_t gold_rows = -1;
  if (lake_ != nullptr) {
    namespace t = lake::tables;
    ARROW_ASSIGN_OR_RAISE(TableState bronze, ReadTable(t::kBronzeOrderLines));
    ARROW_ASSIGN_OR_RAISE(TableState bronze_rejected, ReadTable(t::kBronzeQuarantine));
    ARROW_ASSIGN_OR_RAISE(TableState silver, ReadTable(t::kSilverCleaned));
    ARROW_ASSIGN_OR_RAISE(TableState silver_rejected, ReadTable(t::kSilverQuarantine));
    ARROW_ASSIGN_OR_RAISE(TableState duplicates, ReadTable(t::kSilverDuplicates));
    ARROW_ASSIGN_OR_RAISE(TableState gold, ReadTable(t::kGoldFact));
    add("bronze", bronze.rows + bronze_rejected.rows, bronze.rows, -1,
        std::max(bronze.last_commit_ms, bronze_rejected.last_commit_ms))
        .rejected = bronze_rejected.rows;
    const int64_t silver_in = silver.rows + silver_rejected.rows + duplicates.rows;
    auto& s = add("silver", silver_in, silver.rows, bronze.rows - silver_in,
                  std::max({silver.last_commit_ms, silver_rejected.last_commit_ms,
                            duplicates.last_commit_ms}));
    s.rejected = silver_rejected.rows;
    s.duplicates = duplicates.rows;
    add("gold", silver.rows, gold.rows, silver.rows - gold.rows, gold.last_commit_ms);
    gold_rows = gold.rows;
  }
  add("load", gold_rows, fact_rows, gold_rows < 0 ? -1 : gold_rows - fact_rows,
      last_load_ms > 0 ? last_load_ms : warehouse_changed_ms_);
  status_->Publish(stages);
  return Status::OK();
}

void LakePipelineProbe::Start(std::chrono::milliseconds interval) {
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      Status st = PollOnce();
      if (!st.ok()) spdlog::warn("serve: pipeline figures from the lake: {}", st.ToString());
      lock.lock();
      wake_.wait_for(lock, interval, [this] { return stop_; });
    }
  });
}

void LakePipelineProbe::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace pizzastream::serve
