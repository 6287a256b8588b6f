// Delta checkpoints: a Parquet file per table version holding the whole table state (protocol,
// metaData, txn, live add files and unexpired remove tombstones), so a reader starts from the
// newest checkpoint and the JSON commits after it instead of replaying the log from version 0.
//
// Reading accepts classic single-part (`V.checkpoint.parquet`) and multi-part
// (`V.checkpoint.P.N.parquet`) checkpoints as Spark, delta-rs or pizzastream write them; a V2
// checkpoint (checkpointMetadata / sidecar actions) is refused with a clear error. Writing
// produces a classic single-part checkpoint, created put-if-absent through the LogStore, then
// `_last_checkpoint`. Stateless functions; thread-safe.
#pragma once

#include <arrow/filesystem/filesystem.h>

#include <string>
#include <vector>

#include "core/status.h"
#include "lake/delta_actions.h"
#include "lake/log_store.h"

namespace pizzastream::lake {

// The actions of a checkpoint made of `part_paths` (all parts, in order).
Result<std::vector<Action>> ReadCheckpoint(arrow::fs::FileSystem& fs,
                                           const std::vector<std::string>& part_paths,
                                           std::string_view where);

// Everything a checkpoint of one version holds.
struct CheckpointContent {
  int64_t version = -1;
  ProtocolAction protocol;
  MetadataAction metadata;
  std::vector<TxnAction> txns;
  std::vector<AddFile> adds;
  std::vector<RemoveFile> tombstones;
};

// Writes `<log_dir>/V.checkpoint.parquet` (put-if-absent: an existing checkpoint of that version
// is left as it is) and `<log_dir>/_last_checkpoint` (LogStore::AtomicReplace).
Status WriteCheckpoint(LogStore& store, const std::string& log_dir,
                       const CheckpointContent& content);

}  // namespace pizzastream::lake
