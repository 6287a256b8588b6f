// Compaction: many small data files of a table rewritten into fewer large ones, committed as
// `remove` + `add` actions with dataChange=false (OPTIMIZE), so pizzastream's own incremental
// readers and other engines' streaming readers do not take the rows as new. The commit goes
// through DeltaLog::CommitAppend: if a concurrent commit removed one of the files (another
// compaction, a delete), it is a conflict and nothing is written; appends by others meanwhile
// do not conflict.
//
// Automatic compaction is size-tiered: a file's tier is floor(log_F(size)) with F = min_files
// (table property `pizzastream.autoCompact.minFiles`, default 50); when one tier holds F files
// they are merged into one file of the next tier. Each row is rewritten about log_F(bytes)
// times, and a table holds at most F-1 files per tier plus files above the target size
// (`pizzastream.autoCompact.targetFileBytes`, default 128 MiB). `delta.autoOptimize.autoCompact`
// = false turns it off. Not thread-safe (uses the caller's DeltaLog).
#pragma once

#include <string>

#include "core/status.h"
#include "lake/lakehouse.h"

namespace pizzastream::lake {

struct CompactionResult {
  int64_t files_removed = 0;
  int64_t files_added = 0;
  int64_t rows = 0;
  int64_t version = -1;  // the last compaction commit (-1: none)
};

// Rewrites every live file of `table` smaller than `target_bytes` into files of about
// `target_bytes` (one commit), its columns written as `hints` say (see AutoCompact). Used by
// `pizzastream lake optimize`.
Result<CompactionResult> CompactSmallFiles(const Lakehouse& lake, DeltaLog& log,
                                           const std::string& table, int64_t target_bytes,
                                           const ParquetHints& hints = {});

// Automatic compaction after a commit (see above); a lost race is logged, not an error.
// `hints`: how the table's writer writes its columns (ids without a dictionary: a merged file's
// dictionary of unique ids would only grow, tens of MB of hash table, until Parquet gives up).
Result<CompactionResult> AutoCompact(const Lakehouse& lake, DeltaLog& log, const std::string& table,
                                     const ParquetHints& hints = {});

}  // namespace pizzastream::lake
