// The embedded transport: a durable, partitioned, append-only log in a local directory, with
// offsets and per-consumer-group checkpoints. It implements TopicWriter / TopicReader
// (transport/topic.h) so the stages run the same on it as on Kafka.
//
// On-disk layout under `config.log_dir`:
//   <topic>/topic.meta                     partition count, fixed when the topic is created
//   <topic>/writer.lock                    flock held by the one open writer
//   <topic>/<partition>/<base offset, 20 digits>.log   segment files, rolled at a size
//   <topic>/<partition>/producers.snapshot per-producer highest sequence, valid up to an offset
//   <topic>/groups/<group>.lock            flock held by the one open reader of the group
//   <topic>/groups/<group>.offsets         committed positions ("<partition> <next offset>" lines)
// A segment is a sequence of record batches (see embedded_log_format.h); offsets count records
// from 0, contiguously per partition. A record goes to partition crc32(key) % partitions.
//
// Concurrency: one writer process per topic and one reader per consumer group at a time (both
// enforced with flock; a second one gets an error), any number of groups. Readers run beside the
// writer, in other processes too: a batch becomes visible once completely written.
//
// Durability: Append writes each batch to the file (readers see it at once, and delivered()
// counts it); Flush fsyncs, every partition in parallel. After a process crash nothing written is
// lost. After a power loss the records appended since the last Flush may be lost: the next writer
// checks every batch after the last recovery point (a producer snapshot, saved at each segment
// roll and at close) and cuts the log at the first incomplete or damaged one. A producer
// replaying its source from ResumeSequence() then refills the same offsets with the same records.
// A reader meeting a damaged batch returns an IOError naming the file and byte; it never skips it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "transport/embedded_log_compression.h"
#include "transport/open_topic.h"

namespace pizzastream::transport {

namespace embedded_log {
class LogEnv;
}

struct EmbeddedLogOptions {
  // A writer starts a new segment before a write that would take the active one past this size.
  int64_t segment_bytes = int64_t{256} << 20;
  // Append splits a partition's records into batches of at most this many payload bytes.
  uint32_t max_batch_bytes = 8u << 20;
  // How a writer compresses a batch (embedded_log_compression.h; a batch under 4 KiB, or one
  // that would not shrink, is written as it is). Readers read every codec and plain batches.
  // LZ4 by default, as Kafka producers compress: the log is ~7x smaller (~53 bytes a generated
  // order line instead of ~375). LZ4 costs ~2,000 instructions a line (compress and inflate),
  // but `run` over 5M lines wrote 1.9 GB of log uncompressed, and its fsyncs then kept the two
  // cores waiting on the disk (up to ~30% iowait): with LZ4 it took 9-17% less wall time on this
  // project's 2-core machine, and less CPU. kNone saves that CPU where the disk is fast.
  embedded_log::BatchCodec compression = embedded_log::BatchCodec::kLz4;
  // How long a waiting Poll sleeps between looks at the files.
  std::chrono::milliseconds poll_interval{10};
  // Initial read buffer per partition of a reader; grows to the largest batch. A Poll returns
  // at most about a buffer's worth of a partition's records (as inflated, for compressed
  // batches). Bronze gathers several polls into a step, so this bounds memory, not steps: 4 MB
  // polls ~11k order lines; 12 MB held 24 MiB more at peak in `run` once batches were
  // compressed (raw buffer plus inflated blocks), for the same time per line.
  size_t read_buffer_bytes = size_t{4} << 20;
  // The system calls of the writer's file changes (embedded_log_env.h); nullptr: POSIX. Tests
  // inject failures through it.
  embedded_log::LogEnv* env = nullptr;
};

// The embedded log's partitioner: zlib crc32 of the key modulo `partitions` (librdkafka's
// "consistent" partitioner computes the same), so an order's lines stay in one partition.
// 0 when `partitions` <= 1.
int32_t EmbeddedLogPartition(std::string_view key, int32_t partitions);

// Opens the topic for writing as `producer_id`, creating it with `config.partitions` partitions
// if it does not exist (an existing topic keeps its partition count). Recovers each partition:
// truncates a torn tail left by a crash and finds this producer's highest sequence.
Result<std::unique_ptr<TopicWriter>> OpenEmbeddedWriter(const TransportConfig& config,
                                                        const std::string& producer_id);
Result<std::unique_ptr<TopicWriter>> OpenEmbeddedWriter(const TransportConfig& config,
                                                        const std::string& producer_id,
                                                        const EmbeddedLogOptions& options);

// Opens the topic for reading as the consumer group `config.group`, creating the topic if it does
// not exist. The reader is assigned every partition; on its first Poll (or Lag/Seek) it asks
// `start_offset` where to start in each one. Without a `start_offset` it starts from the group's
// committed offsets (0 where none). A start beyond the end waits for the log to get there.
Result<std::unique_ptr<TopicReader>> OpenEmbeddedReader(const TransportConfig& config,
                                                        StartOffsetFn start_offset);
Result<std::unique_ptr<TopicReader>> OpenEmbeddedReader(const TransportConfig& config,
                                                        StartOffsetFn start_offset,
                                                        const EmbeddedLogOptions& options);

}  // namespace pizzastream::transport
