// The wall clock, read in one place: what the lake (commit and file times), the topic (record
// timestamps) and the dashboard (last commit, freshness) record as "now". Durations and
// deadlines use std::chrono::steady_clock directly; this is only for instants that are stored
// or shown. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace pizzastream {

// Milliseconds since the Unix epoch.
inline int64_t WallClockMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Microseconds since the Unix epoch (Arrow/Delta timestamps).
inline int64_t WallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace pizzastream
