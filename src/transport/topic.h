// The transport between the sources and bronze: a partitioned, ordered, durable topic.
// Two implementations: the embedded on-disk log (default, transport/embedded_log.h) and
// Apache Kafka (transport/kafka_topic.h). Stages only see these interfaces.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pizzastream::transport {

class SourceColumns;  // transport/record_json.h

// One record to send. `sequence` is the producer's position in its source (e.g. the data row
// of a CSV file, counting from 0); it makes replays exactly-once (see TopicWriter).
struct OutgoingRecord {
  std::string_view key;
  std::string_view value;
  int64_t sequence = 0;
};

// One received record. The views point into the reader's buffers and stay valid until the
// next Poll on the same reader.
struct Message {
  std::string_view key;
  std::string_view value;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp_ms = 0;
  // Bytes after `value` that may be read (their content is unspecified), so a parser that reads
  // ahead, like simdjson, can parse the value in place instead of a padded copy. 0 unless the
  // transport guarantees them.
  size_t readable_after = 0;
  // When this process sent the record from a source row and kept it (transport/sent_records.h):
  // that row, whose fields are what the record's value decodes to. Valid as long as the views.
  // `key` and `value` are then empty when the reader did not need to read them.
  const SourceColumns* source = nullptr;
  int64_t source_row = -1;
};

// Where a writer put a record.
struct RecordPosition {
  int32_t partition = 0;
  int64_t offset = -1;  // -1: not written (a replay's record, already in the topic)
};

struct PartitionOffset {
  int32_t partition = 0;
  int64_t next_offset = 0;  // the first offset not yet processed
};

// Sends records to one topic, partitioned by a hash of the key. Not thread-safe.
//
// Exactly-once replay: a writer belongs to one producer id. Append drops every record whose
// sequence is <= the highest sequence this producer already wrote to the record's partition,
// so a producer restarted from its source's beginning (or from ResumeSequence()) writes each
// record once. REQUIRES: sequences passed to Append increase.
class TopicWriter {
 public:
  virtual ~TopicWriter() = default;

  // Queues records for sending; may send some of them already.
  virtual Status Append(std::span<const OutgoingRecord> records) = 0;
  // Returns once every record appended so far is durable; fails if any could not be delivered.
  virtual Status Flush() = 0;
  // The first sequence of this producer that may be missing from some partition; 0 if none
  // was ever written. A source may skip straight to it.
  virtual Result<int64_t> ResumeSequence() = 0;
  // Records appended and confirmed so far by this writer (after de-duplication).
  virtual int64_t delivered() const = 0;
  // Where the last successful Append put each of its records, in its order; empty when the
  // writer cannot tell at once (Kafka assigns offsets on delivery).
  virtual std::span<const RecordPosition> LastPositions() const { return {}; }
};

// Tells the reader where to start in a partition it is given; the bronze stage answers from
// the positions committed in the lake. Called from inside Poll when partitions are assigned.
using StartOffsetFn = std::function<Result<int64_t>(int32_t partition)>;

// Reads records from one topic as a member of a consumer group. Not thread-safe.
class TopicReader {
 public:
  virtual ~TopicReader() = default;

  // Waits up to `timeout` for records and returns at most `max_messages` of them in `out`
  // (cleared first). An empty batch means nothing arrived in time.
  virtual Status Poll(size_t max_messages, std::chrono::milliseconds timeout,
                      std::vector<Message>* out) = 0;
  // Records the processed positions where lag tools see them. Advisory: the lake holds the
  // positions that count.
  virtual Status CommitOffsets(std::span<const PartitionOffset> offsets) = 0;
  // Records available beyond the current position, summed over this reader's partitions.
  virtual Result<int64_t> Lag() = 0;
  // The end (the next offset to be written) of every partition of the topic, assigned here or
  // not, as the topic's storage reports it now. Fails when that cannot be known (e.g. the
  // broker is unreachable): callers must not take a failure for "nothing left".
  virtual Result<std::vector<PartitionOffset>> EndOffsets() = 0;
  // Partitions currently assigned to this reader.
  virtual std::vector<int32_t> Assignment() const = 0;
  // Moves the read position of an assigned partition (after a lake commit conflict).
  virtual Status Seek(int32_t partition, int64_t next_offset) = 0;
};

}  // namespace pizzastream::transport
