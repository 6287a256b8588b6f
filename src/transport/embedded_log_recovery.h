// Getting a partition of the embedded log ready for a writer after any kind of stop. The producer
// snapshot is the recovery point: the log before its offset was fsynced and is trusted; every
// batch after it is checked, and the log is cut at the first one that is incomplete or damaged (a
// crash's torn tail). Every producer's highest sequence (for exactly-once replay) comes from the
// snapshot plus the batches after it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/status.h"
#include "transport/embedded_log_env.h"
#include "transport/embedded_log_format.h"

namespace pizzastream::transport::embedded_log {

// The highest sequence of every producer that wrote to a partition, as of offset `valid_to`.
struct ProducerState {
  int64_t valid_to = 0;
  std::unordered_map<uint64_t, int64_t> last_sequence;

  void Apply(const BatchHeader& batch);
  int64_t LastSequence(uint64_t producer) const;  // -1 if it never wrote
};

// <partition dir>/producers.snapshot: a ProducerState whose `valid_to` is an offset up to which
// the log is durable. A missing or damaged snapshot only costs a longer scan.
Status SaveProducerSnapshot(const std::string& partition_dir, const ProducerState& state,
                            LogEnv* env = LogEnv::Default());

struct RecoveredPartition {
  int64_t segment_base = 0;  // the last segment, where appends go
  int64_t segment_bytes = 0;
  int64_t end_offset = 0;  // the next offset to assign
  ProducerState producers;
};

// Opens the partition in `partition_dir` for appending: creates its first segment if it has
// none, cuts the log after its last intact batch (truncating that segment and deleting later
// ones), and rebuilds the producer state. Damage before the recovery point is reported, not cut.
// REQUIRES: the caller holds the topic's writer lock.
Result<RecoveredPartition> RecoverPartition(const std::string& partition_dir);

}  // namespace pizzastream::transport::embedded_log
