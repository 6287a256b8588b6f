// Live per-stage figures of the pipeline for the dashboard's pipeline panel and /metrics.
// In `run --serve` / `demo` the pipeline publishes its own stage figures here (pass Publish
// as PipelineOptions::on_status); a standalone `pizzastream serve` fills it by polling the
// lake's Delta logs and the warehouse instead (serve/lake_pipeline_probe.h).
// Thread-safe: any thread may publish while request threads read snapshots.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "stage/stage_stats.h"

namespace pizzastream::serve {

class PipelineStatus {
 public:
  // `source` says where the figures come from: "pipeline" (in-process) or "lake" (polled).
  explicit PipelineStatus(std::string source = "pipeline") : source_(std::move(source)) {}
  PipelineStatus(const PipelineStatus&) = delete;
  PipelineStatus& operator=(const PipelineStatus&) = delete;

  // Replaces the figures with `stages` (in pipeline order).
  void Publish(const std::vector<StageStats>& stages);

  struct View {
    std::string source;
    std::vector<StageStats> stages;
    int64_t published_ms = 0;  // unix ms of the last Publish (0: never)
  };
  View Snapshot() const;

 private:
  const std::string source_;
  mutable std::mutex mu_;
  std::vector<StageStats> stages_;
  int64_t published_ms_ = 0;
};

}  // namespace pizzastream::serve
