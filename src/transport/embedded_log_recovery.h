// Getting a partition of the embedded log ready for a writer after any kind of stop: a torn tail
// left by a crash is cut off, and every producer's highest sequence is found (for exactly-once
// replay) from the producer snapshot plus the batches written after it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/status.h"
#include "transport/embedded_log_format.h"

namespace pizzastream::transport::embedded_log {

// The highest sequence of every producer that wrote to a partition, as of offset `valid_to`.
struct ProducerState {
  int64_t valid_to = 0;
  std::unordered_map<uint64_t, int64_t> last_sequence;

  void Apply(const BatchHeader& batch);
  int64_t LastSequence(uint64_t producer) const;  // -1 if it never wrote
};

// <partition dir>/producers.snapshot: a ProducerState saved when the log up to `valid_to` is
// durable. A missing or damaged snapshot only costs a longer scan.
Status SaveProducerSnapshot(const std::string& partition_dir, const ProducerState& state);

struct RecoveredPartition {
  int64_t segment_base = 0;  // the last segment, where appends go
  int64_t segment_bytes = 0;
  int64_t end_offset = 0;  // the next offset to assign
  ProducerState producers;
};

// Opens the partition in `partition_dir` for appending: creates its first segment if it has
// none, truncates an incomplete or damaged tail of its last segment (older segments were fsynced
// when they were closed, so damage there is reported, not cut), and rebuilds the producer state.
// REQUIRES: the caller holds the topic's writer lock.
Result<RecoveredPartition> RecoverPartition(const std::string& partition_dir);

}  // namespace pizzastream::transport::embedded_log
