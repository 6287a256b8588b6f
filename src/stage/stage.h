// A pipeline stage (bronze, silver, gold, load): takes what is new since its last commit,
// processes at most one bounded chunk of it, and commits its output together with its input
// position, so every Step is incremental, idempotent and exactly-once. Not thread-safe: each
// stage runs on one thread.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace pizzastream {

struct StepResult {
  int64_t rows_in = 0;     // input records consumed by this step (0: nothing new)
  int64_t rows_out = 0;    // rows committed to the primary output
  int64_t rejected = 0;    // rows sent to quarantine
  int64_t duplicates = 0;  // rows dropped as duplicates
};

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string name() const = 0;
  // Processes the next chunk of new input, if any.
  virtual Result<StepResult> Step() = 0;
  // Input waiting to be processed, in records (best effort; -1 when unknown).
  virtual Result<int64_t> Lag() = 0;
};

}  // namespace pizzastream
