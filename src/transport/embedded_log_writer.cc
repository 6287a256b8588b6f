// TopicWriter over the embedded log: one batch per partition per Append, one write() each.
#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "transport/embedded_log.h"
#include "transport/embedded_log_files.h"
#include "transport/embedded_log_format.h"
#include "transport/embedded_log_recovery.h"
#include "transport/embedded_log_topic.h"

namespace pizzastream::transport {

int32_t EmbeddedLogPartition(std::string_view key, int32_t partitions) {
  if (partitions <= 1) return 0;
  return static_cast<int32_t>(embedded_log::Crc32(key) % static_cast<uint32_t>(partitions));
}

namespace {

using namespace embedded_log;  // NOLINT: the format and file helpers of this transport

// Smaller batches (a slow stream's) are written as they are: they would hardly shrink.
constexpr uint32_t kMinCompressedBatchBytes = 4096;

class EmbeddedTopicWriter final : public TopicWriter {
 public:
  EmbeddedTopicWriter(TopicLayout layout, uint64_t producer, FileHandle lock,
                      const EmbeddedLogOptions& options)
      : layout_(std::move(layout)),
        producer_(producer),
        lock_(std::move(lock)),
        options_(options),
        partitions_(static_cast<size_t>(layout_.partitions)) {
    options_.max_batch_bytes = std::clamp<uint32_t>(options_.max_batch_bytes, 1, kMaxPayloadBytes);
    env_ = options_.env != nullptr ? options_.env : LogEnv::Default();
  }

  // Makes what was appended durable and leaves a producer snapshot so the next writer starts
  // without scanning.
  // A writer whose Recover failed touches nothing: its partitions' state is unknown, and a
  // snapshot written now would move the recovery point of the next open.
  ~EmbeddedTopicWriter() override {
    if (!recovered_ || !failed_.ok() || !Flush().ok()) return;
    for (Partition& partition : partitions_) (void)SaveSnapshot(partition);
  }

  Status Recover() {
    for (int32_t p = 0; p < layout_.partitions; ++p) {
      Partition& partition = partitions_[p];
      partition.dir = layout_.PartitionDir(p);
      ARROW_ASSIGN_OR_RAISE(RecoveredPartition recovered, RecoverPartition(partition.dir));
      ARROW_RETURN_NOT_OK(OpenSegment(partition, recovered.segment_base, /*create=*/false));
      partition.segment_bytes = recovered.segment_bytes;
      partition.next_offset = recovered.end_offset;
      partition.producers = std::move(recovered.producers);
      partition.last_sequence = partition.producers.LastSequence(producer_);
      partition.durable_offset = partition.next_offset;  // recovery synced what it kept
      partition.durable_last_sequence = partition.last_sequence;
    }
    recovered_ = true;
    return Status::OK();
  }

  Status Append(std::span<const OutgoingRecord> records) override {
    positions_.clear();
    ARROW_RETURN_NOT_OK(failed_);
    const int64_t now_ms = WallClockMillis();
    for (const OutgoingRecord& record : records) {  // refuse before building anything
      const size_t bytes = kRecordHeaderBytes + record.key.size() + record.value.size();
      if (bytes > kMaxPayloadBytes) {
        return Status::Invalid("a record of ", bytes, " bytes is larger than the embedded log's ",
                               kMaxPayloadBytes, "-byte batch limit");
      }
    }
    positions_.assign(records.size(), RecordPosition{});
    for (size_t i = 0; i < records.size(); ++i) {
      const OutgoingRecord& record = records[i];
      const int32_t p = EmbeddedLogPartition(record.key, layout_.partitions);
      Partition& partition = partitions_[p];
      if (record.sequence <= partition.pending_last_sequence()) continue;  // already written
      const size_t bytes = kRecordHeaderBytes + record.key.size() + record.value.size();
      if (partition.batch_open &&
          partition.batch.payload_bytes + bytes > options_.max_batch_bytes) {
        SealOpenBatch(partition);
      }
      if (!partition.batch_open) StartBatch(partition, record.sequence, now_ms);
      positions_[i] = {p, partition.batch.base_offset + partition.batch.record_count};
      AppendRecord(record.key, record.value, &partition.pending);
      partition.batch.record_count += 1;
      partition.batch.payload_bytes += static_cast<uint32_t>(bytes);
      partition.batch.last_sequence = record.sequence;
    }
    Status status;
    for (Partition& partition : partitions_) {
      if (partition.batch_open) SealOpenBatch(partition);
      // Write every partition, even after a failure, so the pending buffers end up empty.
      Status written = WritePending(partition);
      if (status.ok()) status = std::move(written);
    }
    if (!status.ok()) positions_.clear();
    return status;
  }

  // fsyncs the partitions in parallel: the file system then commits them together.
  Status Flush() override {
    ARROW_RETURN_NOT_OK(failed_);
    std::vector<Partition*> dirty;
    for (Partition& partition : partitions_) {
      if (partition.unsynced || partition.dir_unsynced || !partition.sealed_unsynced.empty()) {
        dirty.push_back(&partition);
      }
    }
    std::vector<Status> synced(dirty.size());
    std::vector<std::thread> threads;
    for (size_t i = 1; i < dirty.size(); ++i) {
      threads.emplace_back([&, i] { synced[i] = Sync(*dirty[i]); });
    }
    if (!dirty.empty()) synced[0] = Sync(*dirty[0]);
    for (std::thread& thread : threads) thread.join();
    for (Status& status : synced) {
      // After a failed fsync the kernel may have dropped the dirty pages and a retry would
      // "succeed": nothing this writer wrote since the last Flush can be trusted any more. The
      // writer refuses further work; the next one recovers from the last recovery point.
      if (!status.ok()) failed_ = status;
      ARROW_RETURN_NOT_OK(status);
    }
    for (Partition& partition : partitions_) {
      partition.durable_offset = partition.next_offset;
      partition.durable_last_sequence = partition.last_sequence;
    }
    return Status::OK();
  }

  Result<int64_t> ResumeSequence() override {
    int64_t resume = std::numeric_limits<int64_t>::max();
    for (const Partition& partition : partitions_) {
      resume = std::min(resume, partition.last_sequence + 1);
    }
    return resume;
  }

  int64_t delivered() const override { return delivered_; }

  std::span<const RecordPosition> LastPositions() const override { return positions_; }

 private:
  struct Partition {
    std::string dir;
    std::string segment_path;
    FileHandle segment;
    int64_t segment_base = 0;
    int64_t segment_bytes = 0;
    int64_t next_offset = 0;     // offset of the next record written
    int64_t last_sequence = -1;  // highest sequence of this producer written here
    ProducerState producers;     // every producer's, as recovered
    // Up to where the log is known durable (the last Flush), and this producer's sequence there.
    int64_t durable_offset = 0;
    int64_t durable_last_sequence = -1;
    int64_t snapshot_valid_to = -1;  // of the last producer snapshot this writer saved
    bool unsynced = false;
    bool dir_unsynced = false;
    std::vector<std::pair<FileHandle, std::string>> sealed_unsynced;  // rolled before a Flush
    // Batches built by the current Append, written at its end.
    std::string pending;
    int64_t pending_records = 0;
    bool batch_open = false;
    size_t batch_at = 0;
    BatchHeader batch;

    int64_t pending_last_sequence() const {
      return pending_records > 0 || batch_open ? batch.last_sequence : last_sequence;
    }
  };

  void StartBatch(Partition& partition, int64_t sequence, int64_t now_ms) {
    partition.batch_open = true;
    partition.batch_at = partition.pending.size();
    partition.pending.resize(partition.batch_at + kBatchHeaderBytes);
    partition.batch = BatchHeader{};
    partition.batch.base_offset = partition.next_offset + partition.pending_records;
    partition.batch.producer = producer_;
    partition.batch.first_sequence = sequence;
    partition.batch.last_sequence = sequence;
    partition.batch.timestamp_ms = now_ms;
  }

  void SealOpenBatch(Partition& partition) {
    const size_t records_at = partition.batch_at + kBatchHeaderBytes;
    if (options_.compression != BatchCodec::kNone &&
        partition.batch.payload_bytes >= kMinCompressedBatchBytes) {
      compressed_.clear();
      const std::string_view records(partition.pending.data() + records_at,
                                     partition.pending.size() - records_at);
      if (compression_.Compress(options_.compression, records, &compressed_)) {
        partition.pending.resize(records_at);
        partition.pending.append(compressed_);
        partition.batch.payload_bytes = static_cast<uint32_t>(compressed_.size());
        partition.batch.compressed = true;
      }
    }
    SealBatch(partition.batch, partition.pending.data() + partition.batch_at);
    partition.pending_records += partition.batch.record_count;
    partition.batch_open = false;
  }

  // Writes the batches built by Append with one write() and accounts for them.
  Status WritePending(Partition& partition) {
    if (partition.pending.empty()) return Status::OK();
    const int64_t bytes = static_cast<int64_t>(partition.pending.size());
    Status written = WriteBatches(partition);
    partition.pending.clear();  // keeps its capacity for the next Append
    if (!written.ok()) {
      partition.pending_records = 0;
      return written;
    }
    partition.segment_bytes += bytes;
    partition.next_offset += partition.pending_records;
    partition.last_sequence = partition.batch.last_sequence;
    partition.unsynced = true;
    delivered_ += partition.pending_records;
    partition.pending_records = 0;
    return Status::OK();
  }

  Status WriteBatches(Partition& partition) {
    const std::string& pending = partition.pending;
    if (partition.segment_bytes > 0 &&
        partition.segment_bytes + static_cast<int64_t>(pending.size()) > options_.segment_bytes) {
      ARROW_RETURN_NOT_OK(Roll(partition));
    }
    Status written = WriteAll(partition.segment.fd(), pending.data(), pending.size(),
                              partition.segment_path, env_);
    if (!written.ok()) {
      // Take back a partial write so the segment stays a sequence of whole batches.
      Status undone =
          Truncate(partition.segment.fd(), partition.segment_bytes, partition.segment_path, env_);
      if (!undone.ok()) failed_ = undone;
    }
    return written;
  }

  Status Sync(Partition& partition) {
    for (auto& [file, path] : partition.sealed_unsynced) {
      ARROW_RETURN_NOT_OK(SyncData(file.fd(), path, env_));
      file.Close();
    }
    partition.sealed_unsynced.clear();
    if (partition.unsynced) {
      ARROW_RETURN_NOT_OK(SyncData(partition.segment.fd(), partition.segment_path, env_));
      partition.unsynced = false;
    }
    if (partition.dir_unsynced) {
      ARROW_RETURN_NOT_OK(SyncDir(partition.dir, env_));
      partition.dir_unsynced = false;
    }
    return Status::OK();
  }

  // Saves the producer state as of the durable end of the log, the next recovery's start.
  Status SaveSnapshot(Partition& partition) {
    if (partition.durable_offset == partition.snapshot_valid_to) return Status::OK();
    ProducerState state = partition.producers;
    state.valid_to = partition.durable_offset;
    if (partition.durable_last_sequence >= 0) {
      state.last_sequence[producer_] = partition.durable_last_sequence;
    }
    ARROW_RETURN_NOT_OK(SaveProducerSnapshot(partition.dir, state, env_));
    partition.snapshot_valid_to = partition.durable_offset;
    return Status::OK();
  }

  Status OpenSegment(Partition& partition, int64_t base, bool create) {
    std::string path = SegmentPath(partition.dir, base);
    const int flags = O_WRONLY | O_APPEND | (create ? O_CREAT | O_EXCL : 0);
    ARROW_ASSIGN_OR_RAISE(partition.segment, OpenFile(path, flags));
    partition.segment_path = std::move(path);
    partition.segment_base = base;
    partition.segment_bytes = 0;
    return Status::OK();
  }

  // Starts the next segment at the next offset. The old one is fsynced by the next Flush, not
  // here, so a writer that rarely flushes never waits for the disk.
  Status Roll(Partition& partition) {
    FileHandle old_segment = std::move(partition.segment);
    std::string old_path = partition.segment_path;
    Status opened = OpenSegment(partition, partition.next_offset, /*create=*/true);
    if (!opened.ok()) {
      partition.segment = std::move(old_segment);
      return opened;
    }
    if (partition.unsynced)
      partition.sealed_unsynced.emplace_back(std::move(old_segment), old_path);
    partition.unsynced = false;
    partition.dir_unsynced = true;
    // A snapshot per segment bounds how far back the next recovery must read.
    return SaveSnapshot(partition);
  }

  TopicLayout layout_;
  uint64_t producer_;
  FileHandle lock_;
  EmbeddedLogOptions options_;
  BatchCompression compression_;
  std::string compressed_;  // a batch's compressed records, reused
  LogEnv* env_ = nullptr;
  std::vector<Partition> partitions_;
  int64_t delivered_ = 0;
  std::vector<RecordPosition> positions_;  // of the last Append's records
  bool recovered_ = false;                 // every partition recovered: the writer may write
  Status failed_;  // set when a partition could not be brought back to whole batches
};

}  // namespace

Result<std::unique_ptr<TopicWriter>> OpenEmbeddedWriter(const TransportConfig& config,
                                                        const std::string& producer_id) {
  EmbeddedLogOptions options;
  ARROW_ASSIGN_OR_RAISE(options.compression, ParseBatchCodec(config.log_compression));
  return OpenEmbeddedWriter(config, producer_id, options);
}

Result<std::unique_ptr<TopicWriter>> OpenEmbeddedWriter(const TransportConfig& config,
                                                        const std::string& producer_id,
                                                        const EmbeddedLogOptions& options) {
  ARROW_ASSIGN_OR_RAISE(TopicLayout layout, OpenTopic(config));
  ARROW_ASSIGN_OR_RAISE(
      FileHandle lock,
      LockExclusive(layout.WriterLockPath(), "a writer of the embedded topic " + config.topic));
  auto writer = std::make_unique<EmbeddedTopicWriter>(std::move(layout), ProducerHash(producer_id),
                                                      std::move(lock), options);
  ARROW_RETURN_NOT_OK(writer->Recover());
  return writer;
}

}  // namespace pizzastream::transport
