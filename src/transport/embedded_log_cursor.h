// A reader's position in one partition of the embedded log, and the buffer its messages point
// into. It reads whole batches with large reads, checks each batch's crc, and follows the writer
// from segment to segment. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "transport/embedded_log_compression.h"
#include "transport/embedded_log_files.h"
#include "transport/embedded_log_format.h"
#include "transport/sent_records.h"
#include "transport/topic.h"

namespace pizzastream::transport::embedded_log {

class PartitionCursor {
 public:
  // Every message's value is followed by at least this many readable bytes of the buffer
  // (Message::readable_after): simdjson's padding.
  static constexpr size_t kReadAheadBytes = 64;

  // `sent_records` (optional): rows this process sent to the partition; a batch whose records
  // all have one is returned from them, without being inflated (transport/sent_records.h).
  PartitionCursor(int32_t partition, std::string dir, size_t buffer_bytes,
                  SentRecords* sent_records = nullptr);
  PartitionCursor(PartitionCursor&&) = default;
  PartitionCursor(const PartitionCursor&) = delete;
  PartitionCursor& operator=(const PartitionCursor&) = delete;

  // Moves to `offset`: the next message will be the record with that offset (once it exists).
  // Messages already returned stay valid until the next call to Fill.
  Status Seek(int64_t offset);

  // Appends up to `max_messages` - out->size() messages to `out`, in offset order; fewer when the
  // partition has no more complete batches for now. Views point into this cursor's buffer and
  // stay valid until the next Fill or the cursor's destruction. `new_poll` says that the caller
  // no longer uses messages from earlier Fill calls, so the buffer may be reorganised.
  Status Fill(size_t max_messages, bool new_poll, std::vector<Message>* out);

  // The offset after the last complete batch of the partition (found incrementally).
  Result<int64_t> EndOffset();

  int32_t partition() const { return partition_; }
  int64_t position() const { return position_; }

 private:
  // Reads at least `want` more bytes after the unconsumed ones into the buffer if the file has
  // them. Returns false if it cannot now.
  Result<bool> ReadMore(size_t want);
  // Opens the segment that starts at offset `base` if it exists; returns whether it does.
  Result<bool> OpenSegment(int64_t base);
  Status Corrupt(const std::string& problem) const;

  int32_t partition_;
  std::string dir_;
  size_t buffer_bytes_;

  // The segment being read; the batch with offset `scan_offset_` starts at buffer byte `begin_`,
  // which is file byte file_pos_ - (end_ - begin_).
  FileHandle file_;
  std::string path_;
  int64_t segment_base_ = -1;
  int64_t file_pos_ = 0;
  int64_t scan_offset_ = 0;
  int64_t position_ = 0;  // offset of the next message to return

  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool buffer_in_use_ = false;  // messages of the current poll point into the buffer

  // The batch being returned: records [record_at_, batch_end_), in the buffer or, for a
  // compressed batch, in an inflated block; readable_end_ is where that memory's readable bytes
  // end.
  uint32_t records_left_ = 0;
  const char* record_at_ = nullptr;
  const char* batch_end_ = nullptr;
  const char* readable_end_ = nullptr;
  bool batch_inflated_ = false;  // in inflated_[inflated_used_ - 1]
  int64_t record_offset_ = 0;
  int64_t batch_timestamp_ms_ = 0;

  // The batch being returned from its source rows (sent_records_), not inflated: the columns
  // and the row of each record from offset rows_from_ on. Columns of this poll's messages are
  // held until the next poll.
  SentRecords* sent_records_;
  bool batch_from_rows_ = false;
  std::shared_ptr<const SourceColumns> batch_columns_;
  std::vector<int64_t> batch_rows_;
  int64_t rows_from_ = 0;
  std::vector<std::shared_ptr<const SourceColumns>> held_columns_;

  // Compressed batches inflate into blocks kept for the poll whose messages point into them,
  // then reused; a poll inflates at most buffer_bytes_ of records (one batch at least).
  struct InflatedBlock {
    std::unique_ptr<char[]> bytes;
    size_t capacity = 0;
  };
  // Inflates the compressed batch at buffer byte begin_ into a block of this poll.
  Status Inflate(const BatchHeader& header);
  BatchCompression compression_;
  std::vector<InflatedBlock> inflated_;
  size_t inflated_used_ = 0;   // blocks holding this poll's batches
  size_t inflated_bytes_ = 0;  // their records' bytes

  // Where EndOffset() got to.
  FileHandle end_file_;
  int64_t end_segment_base_ = -1;
  int64_t end_pos_ = 0;
  int64_t end_offset_ = 0;
};

}  // namespace pizzastream::transport::embedded_log
