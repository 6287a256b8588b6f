// Pipeline figures for a standalone `pizzastream serve`, which has no pipeline in its process:
// every interval it reads the lake's Delta logs (rows and last commit per table) and the
// warehouse's fact rows, derives each stage's rows, lag, rejected and duplicate counts and
// rows/s (over the last ~10 s), and publishes them to a PipelineStatus (source "lake").
// Conservation is counted as warehouse::CountRows does.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/status.h"
#include "lake/lakehouse.h"
#include "serve/pipeline_status.h"
#include "serve/warehouse_pool.h"

namespace pizzastream::serve {

class LakePipelineProbe {
 public:
  // `lake` may be null (no lake configured): then only the load stage is reported.
  LakePipelineProbe(std::shared_ptr<lake::Lakehouse> lake, WarehousePool* warehouses,
                    std::shared_ptr<PipelineStatus> status);
  ~LakePipelineProbe();
  LakePipelineProbe(const LakePipelineProbe&) = delete;
  LakePipelineProbe& operator=(const LakePipelineProbe&) = delete;

  // Reads the logs and the warehouse once and publishes. Not thread-safe against itself.
  Status PollOnce();
  // Polls every `interval` on a background thread until Stop() (errors are logged).
  void Start(std::chrono::milliseconds interval);
  void Stop();

 private:
  struct TableState {
    int64_t rows = 0;
    int64_t last_commit_ms = 0;
  };
  Result<TableState> ReadTable(const char* table);
  double RowsPerSecond(const std::string& stage, int64_t rows, int64_t now_ms);

  std::shared_ptr<lake::Lakehouse> lake_;
  WarehousePool* warehouses_;
  std::shared_ptr<PipelineStatus> status_;
  std::map<std::string, std::unique_ptr<lake::DeltaLog>> logs_;
  std::map<std::string, std::deque<std::pair<int64_t, int64_t>>> samples_;  // (ms, rows)
  int64_t warehouse_rows_ = -1;
  int64_t warehouse_changed_ms_ = 0;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace pizzastream::serve
