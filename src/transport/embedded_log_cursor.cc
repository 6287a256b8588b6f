#include "transport/embedded_log_cursor.h"

#include <fcntl.h>

#include <algorithm>
#include <cstring>

#include "transport/embedded_log_scan.h"
#include "transport/embedded_log_topic.h"

namespace pizzastream::transport::embedded_log {
namespace {

// Below this much free room at the end of the buffer, a read first moves the unconsumed bytes
// to the front.
constexpr size_t kMinReadBytes = 256 << 10;

// Room for `bytes` that the file or the codec fills, then the read-ahead bytes. Only what
// follows the data is zeroed (its content is read ahead, never taken as data): zeroing all of
// it cost as much as LZ4's decompression.
std::unique_ptr<char[]> WithReadAhead(size_t bytes) {
  auto room = std::make_unique_for_overwrite<char[]>(bytes + PartitionCursor::kReadAheadBytes);
  std::memset(room.get() + bytes, 0, PartitionCursor::kReadAheadBytes);
  return room;
}

}  // namespace

PartitionCursor::PartitionCursor(int32_t partition, std::string dir, size_t buffer_bytes,
                                 SentRecords* sent_records)
    : partition_(partition),
      dir_(std::move(dir)),
      buffer_bytes_(std::max(buffer_bytes, kMinReadBytes)),
      sent_records_(sent_records) {}

Status PartitionCursor::Corrupt(const std::string& problem) const {
  const int64_t at = file_pos_ - static_cast<int64_t>(end_ - begin_);
  return Status::IOError("corrupt log segment ", path_, " at byte ", at, ": ", problem);
}

Result<bool> PartitionCursor::OpenSegment(int64_t base) {
  std::string path = SegmentPath(dir_, base);
  ARROW_ASSIGN_OR_RAISE(FileHandle file, OpenIfExists(path, O_RDONLY));
  if (!file.is_open()) return false;
  file_ = std::move(file);
  path_ = std::move(path);
  segment_base_ = base;
  file_pos_ = 0;
  return true;
}

Status PartitionCursor::Seek(int64_t offset) {
  if (offset < 0) return Status::Invalid("cannot seek partition ", partition_, " to ", offset);
  begin_ = end_;  // drop unread bytes; returned messages keep theirs until the next Fill
  records_left_ = 0;
  position_ = offset;
  file_.Close();
  segment_base_ = -1;
  file_pos_ = 0;
  ARROW_ASSIGN_OR_RAISE(std::vector<int64_t> segments, ListSegments(dir_));
  auto it = std::upper_bound(segments.begin(), segments.end(), offset);
  if (it == segments.begin()) {
    // No segment at or below `offset` yet: wait for the first one.
    scan_offset_ = segments.empty() ? 0 : segments.front();
    return Status::OK();
  }
  const int64_t base = *--it;
  ARROW_ASSIGN_OR_RAISE(bool opened, OpenSegment(base));
  if (!opened) return Status::IOError("log segment ", SegmentPath(dir_, base), " vanished");
  // Skip the batches that end at or before `offset`, reading headers only.
  SegmentScanner scanner(file_.fd(), path_, 0, base);
  for (;;) {
    const int64_t batch_pos = scanner.pos();
    const int64_t batch_offset = scanner.next_offset();
    ARROW_ASSIGN_OR_RAISE(SegmentScanner::Step step, scanner.Next(/*verify=*/false));
    if (step == SegmentScanner::Step::kInvalid) return scanner.InvalidError();
    if (step != SegmentScanner::Step::kBatch || scanner.header().end_offset() > offset) {
      file_pos_ = batch_pos;
      scan_offset_ = batch_offset;
      return Status::OK();
    }
  }
}

Result<bool> PartitionCursor::ReadMore(size_t want) {
  if (!file_.is_open()) {
    ARROW_ASSIGN_OR_RAISE(bool opened, OpenSegment(scan_offset_));
    if (!opened) return false;
  }
  if (capacity_ - end_ < std::max(want, kMinReadBytes)) {
    if (buffer_in_use_) return false;  // the next poll will make room
    if (end_ > begin_) std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    if (capacity_ - end_ < want || capacity_ < buffer_bytes_) {
      const size_t capacity = std::max({buffer_bytes_, end_ + want, capacity_ * 2});
      auto bigger = WithReadAhead(capacity);
      if (end_ > 0) std::memcpy(bigger.get(), buffer_.get(), end_);
      buffer_ = std::move(bigger);
      capacity_ = capacity;
    }
  }
  ARROW_ASSIGN_OR_RAISE(
      size_t got, ReadAt(file_.fd(), buffer_.get() + end_, capacity_ - end_, file_pos_, path_));
  if (got > 0) {
    end_ += got;
    // What follows the bytes read is read ahead of the last message: defined content.
    std::memset(buffer_.get() + end_, 0, kReadAheadBytes);
    file_pos_ += static_cast<int64_t>(got);
    return true;
  }
  if (end_ > begin_) {
    // A batch still being written: forget its first bytes and read it whole next time.
    file_pos_ -= static_cast<int64_t>(end_ - begin_);
    end_ = begin_;
    return false;
  }
  // At the end of the segment after a whole batch: the writer may have moved to the next one.
  if (scan_offset_ == segment_base_) return false;
  return OpenSegment(scan_offset_);
}

Status PartitionCursor::Inflate(const BatchHeader& header) {
  const std::string_view payload(buffer_.get() + begin_ + kBatchHeaderBytes, header.payload_bytes);
  size_t bytes = 0;
  std::string problem = BatchCompression::InflatedSize(payload, &bytes);
  if (problem.empty()) {
    if (inflated_used_ == inflated_.size()) inflated_.emplace_back();
    InflatedBlock& block = inflated_[inflated_used_];
    if (block.capacity < bytes) {
      block.bytes = WithReadAhead(bytes);
      block.capacity = bytes;
    }
    problem = compression_.Inflate(payload, block.bytes.get());
    if (problem.empty()) {
      ++inflated_used_;
      inflated_bytes_ += bytes;
      record_at_ = block.bytes.get();
      batch_end_ = record_at_ + bytes;
      readable_end_ = batch_end_ + kReadAheadBytes;
      batch_inflated_ = true;
      return Status::OK();
    }
  }
  return Corrupt(problem);
}

Status PartitionCursor::Fill(size_t max_messages, bool new_poll, std::vector<Message>* out) {
  if (new_poll) {
    buffer_in_use_ = false;
    // The blocks of the last poll are free again, but for the batch still being returned.
    if (records_left_ > 0 && batch_inflated_) {
      std::swap(inflated_[0], inflated_[inflated_used_ - 1]);
      inflated_used_ = 1;
      inflated_bytes_ = static_cast<size_t>(batch_end_ - record_at_);
    } else {
      inflated_used_ = 0;
      inflated_bytes_ = 0;
    }
    held_columns_.clear();
    if (records_left_ > 0 && batch_from_rows_) held_columns_.push_back(batch_columns_);
  }
  while (out->size() < max_messages) {
    if (records_left_ > 0 && batch_from_rows_) {
      if (record_offset_ >= position_) {
        Message m{{}, {}, partition_, record_offset_, batch_timestamp_ms_, 0};
        m.source = batch_columns_.get();
        m.source_row = batch_rows_[static_cast<size_t>(record_offset_ - rows_from_)];
        out->push_back(m);
        position_ = record_offset_ + 1;
      }
      ++record_offset_;
      --records_left_;
      continue;
    }
    if (records_left_ > 0) {
      // Return the next record of the current batch, or skip it if it is before position_.
      const char* record = record_at_;
      const size_t left = static_cast<size_t>(batch_end_ - record_at_);
      uint32_t lengths[2] = {0, 0};
      if (left >= kRecordHeaderBytes) std::memcpy(lengths, record, sizeof(lengths));
      const size_t size = kRecordHeaderBytes + size_t{lengths[0]} + lengths[1];
      if (left < size || (records_left_ == 1 && left != size)) {
        return Status::IOError("corrupt log segment ", path_, ": the records of the batch at ",
                               "offset ", record_offset_, " do not fill its payload");
      }
      if (record_offset_ >= position_) {
        const char* key = record + kRecordHeaderBytes;
        out->push_back(Message{std::string_view(key, lengths[0]),
                               std::string_view(key + lengths[0], lengths[1]), partition_,
                               record_offset_, batch_timestamp_ms_,
                               static_cast<size_t>(readable_end_ - (record + size))});
        buffer_in_use_ = true;
        position_ = record_offset_ + 1;
      }
      record_at_ += size;
      ++record_offset_;
      --records_left_;
      continue;
    }
    const size_t available = end_ - begin_;
    size_t need = kBatchHeaderBytes;
    if (available >= kBatchHeaderBytes) {
      BatchHeader header;
      const char* batch = buffer_.get() + begin_;
      std::string problem = DecodeBatchHeader(batch, &header);
      if (!problem.empty()) return Corrupt(problem);
      if (header.base_offset != scan_offset_) {
        return Corrupt("batch has base offset " + std::to_string(header.base_offset) +
                       ", expected " + std::to_string(scan_offset_));
      }
      need = header.batch_bytes();
      if (available >= need) {
        if (!BatchCrcMatches(header, batch)) return Corrupt("batch checksum mismatch");
        if (header.end_offset() > position_) {  // else every record is before the position
          batch_from_rows_ = false;
          if (header.compressed && sent_records_ != nullptr) {
            rows_from_ = std::max(header.base_offset, position_);
            batch_columns_ =
                sent_records_->Rows(partition_, rows_from_, header.end_offset(), &batch_rows_);
            batch_from_rows_ = batch_columns_ != nullptr;
            if (batch_from_rows_) held_columns_.push_back(batch_columns_);
          }
          if (batch_from_rows_) {
            // Each record is returned from its row: nothing to inflate (the crc was checked).
            batch_inflated_ = false;
          } else if (header.compressed) {
            // This poll has inflated a buffer's worth already: the batch waits for the next.
            if (inflated_bytes_ >= buffer_bytes_) break;
            ARROW_RETURN_NOT_OK(Inflate(header));
          } else {
            record_at_ = batch + kBatchHeaderBytes;
            batch_end_ = batch + need;
            readable_end_ = buffer_.get() + capacity_ + kReadAheadBytes;
            batch_inflated_ = false;
          }
          records_left_ = header.record_count;
          record_offset_ = header.base_offset;
          batch_timestamp_ms_ = header.timestamp_ms;
        }
        begin_ += need;
        scan_offset_ = header.end_offset();
        continue;
      }
    }
    ARROW_ASSIGN_OR_RAISE(bool more, ReadMore(need - available));
    if (!more) break;
  }
  return Status::OK();
}

Result<int64_t> PartitionCursor::EndOffset() {
  if (!end_file_.is_open()) {
    ARROW_ASSIGN_OR_RAISE(std::vector<int64_t> segments, ListSegments(dir_));
    if (segments.empty()) return 0;
    ARROW_ASSIGN_OR_RAISE(end_file_, OpenFile(SegmentPath(dir_, segments.back()), O_RDONLY));
    end_segment_base_ = end_offset_ = segments.back();
    end_pos_ = 0;
  }
  for (;;) {
    SegmentScanner scanner(end_file_.fd(), SegmentPath(dir_, end_segment_base_), end_pos_,
                           end_offset_);
    SegmentScanner::Step step;
    do {
      ARROW_ASSIGN_OR_RAISE(step, scanner.Next(/*verify=*/false));
      if (step == SegmentScanner::Step::kInvalid) return scanner.InvalidError();
      end_pos_ = scanner.pos();
      end_offset_ = scanner.next_offset();
    } while (step == SegmentScanner::Step::kBatch);
    if (end_offset_ == end_segment_base_) return end_offset_;
    ARROW_ASSIGN_OR_RAISE(FileHandle next, OpenIfExists(SegmentPath(dir_, end_offset_), O_RDONLY));
    if (!next.is_open()) return end_offset_;
    end_file_ = std::move(next);
    end_segment_base_ = end_offset_;
    end_pos_ = 0;
  }
}

}  // namespace pizzastream::transport::embedded_log
