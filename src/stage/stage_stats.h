// The live figures of one stage (or the producer) of a run: what the status line, the
// dashboard and a stage command's summary show. A plain value; the pipeline driver
// (orchestration/pipeline.h) fills it, under its own lock.
#pragma once

#include <cstdint>
#include <string>

namespace pizzastream {

// Live figures of one stage, for the status line and the dashboard.
struct StageStats {
  std::string name;
  int64_t rows_in = 0, rows_out = 0, rejected = 0, duplicates = 0;
  double rows_per_second = 0;  // over the last status interval
  int64_t lag = -1;
  int64_t last_commit_ms = 0;  // wall clock of the last step that committed rows
  int64_t errors = 0;
  std::string last_error;
  bool finished = false;
  double progress = -1;  // the producer: fraction of a finite source sent (-1: endless/unknown)
};

}  // namespace pizzastream
