// Delta's log retention ("metadata cleanup" in the protocol): deletes the log files a reader no
// longer needs, so `_delta_log` stops growing with history. The rule, per the protocol:
// the cut-off commit is the newest commit such that it and every older one were written at or
// before `now - delta.logRetentionDuration` (default `interval 30 days`; a file's modification
// time, as Spark and delta-rs use); the cut-off checkpoint is the newest complete classic
// checkpoint at or below it. Everything strictly older than that checkpoint goes: JSON commits,
// checkpoints (any kind), `.crc` checksums, and log compaction files starting at or before it.
// The checkpoint, its commit and everything after it stay, so time travel within the retention
// and every reader of the table keep working. No cut-off checkpoint: nothing is deleted.
// Files are deleted oldest first, so a clean-up interrupted half-way leaves a contiguous log.
// `delta.enableExpiredLogCleanup=false` turns it off. Stateless functions; thread-safe.
#pragma once

#include <arrow/filesystem/filesystem.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "lake/delta_actions.h"

namespace pizzastream::lake {

inline constexpr int64_t kDefaultLogRetentionMs = 30LL * 24 * 3600 * 1000;

// A Delta/Spark interval as table properties spell it ("interval 30 days", "interval 1 week",
// "interval 12 hours 30 minutes", "2 days"), in milliseconds; Invalid for anything else.
Result<int64_t> ParseDeltaIntervalMs(std::string_view text);

// The log retention a table's properties ask for.
struct LogRetention {
  bool enabled = true;  // delta.enableExpiredLogCleanup
  int64_t retention_ms = kDefaultLogRetentionMs;
};
Result<LogRetention> LogRetentionOf(const MetadataAction& metadata, std::string_view table);

struct LogCleanup {
  int64_t cutoff_checkpoint = -1;    // -1: no checkpoint old enough, nothing deleted
  std::vector<std::string> deleted;  // file names, oldest first
  int64_t listed = 0;                // entries of `_delta_log` listed
};

// Deletes what is expired at `cutoff_ms` (epoch ms) from the table log directory `log_dir`.
Result<LogCleanup> CleanUpExpiredLogFiles(arrow::fs::FileSystem& fs, const std::string& log_dir,
                                          int64_t cutoff_ms);

}  // namespace pizzastream::lake
