#include "serve/pipeline_status.h"

#include <chrono>

namespace pizzastream::serve {

int64_t UnixMillisNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void PipelineStatus::Publish(const std::vector<StageStats>& stages) {
  const int64_t now = UnixMillisNow();
  std::lock_guard lock(mu_);
  stages_ = stages;
  published_ms_ = now;
}

PipelineStatus::View PipelineStatus::Snapshot() const {
  std::lock_guard lock(mu_);
  return {source_, stages_, published_ms_};
}

}  // namespace pizzastream::serve
