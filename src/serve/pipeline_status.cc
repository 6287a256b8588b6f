#include "serve/pipeline_status.h"

#include <chrono>

#include "core/clock.h"

namespace pizzastream::serve {

void PipelineStatus::Publish(const std::vector<StageStats>& stages) {
  const int64_t now = WallClockMillis();
  std::lock_guard lock(mu_);
  stages_ = stages;
  published_ms_ = now;
}

PipelineStatus::View PipelineStatus::Snapshot() const {
  std::lock_guard lock(mu_);
  return {source_, stages_, published_ms_};
}

}  // namespace pizzastream::serve
