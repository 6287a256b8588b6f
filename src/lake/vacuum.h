// VACUUM: deletes the data files of a table that no snapshot within the retention period needs:
// files the current snapshot does not reference, removed longer ago than the retention (by the
// remove's deletionTimestamp) or, when no remove names them (e.g. written by a failed commit),
// last modified longer ago than it. Live files are never deleted, nor anything in `_`- or
// `.`-prefixed directories (`_delta_log`, pizzastream's `_pizzastream` state). Delta's default
// retention is 7 days; a shorter one must be asked for explicitly. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "lake/lakehouse.h"

namespace pizzastream::lake {

inline constexpr int64_t kDefaultVacuumRetentionMs = 7LL * 24 * 3600 * 1000;

struct VacuumResult {
  std::vector<std::string> deleted;  // paths relative to the table root
  int64_t kept_live = 0;
};

Result<VacuumResult> Vacuum(const Lakehouse& lake, DeltaLog& log, const std::string& table,
                            int64_t retention_ms, bool dry_run);

}  // namespace pizzastream::lake
