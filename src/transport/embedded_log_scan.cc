#include "transport/embedded_log_scan.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "transport/embedded_log_files.h"

namespace pizzastream::transport::embedded_log {

SegmentScanner::SegmentScanner(int fd, std::string path, int64_t pos, int64_t offset,
                               size_t window_bytes)
    : fd_(fd),
      path_(std::move(path)),
      pos_(pos),
      next_offset_(offset),
      window_bytes_(window_bytes) {}

Result<const char*> SegmentScanner::Fetch(int64_t pos, size_t n, size_t* available) {
  if (pos >= window_pos_ && pos + static_cast<int64_t>(n) <= window_pos_ + int64_t(window_len_)) {
    *available = n;
    return window_.data() + (pos - window_pos_);
  }
  const size_t want = std::max(n, window_bytes_);
  if (window_.size() < want) window_.resize(want);
  ARROW_ASSIGN_OR_RAISE(window_len_, ReadAt(fd_, window_.data(), want, pos, path_));
  window_pos_ = pos;
  *available = window_len_;
  return window_len_ >= n ? window_.data() : nullptr;
}

SegmentScanner::Step SegmentScanner::Invalid(std::string problem) {
  problem_ = std::move(problem);
  return Step::kInvalid;
}

Status SegmentScanner::InvalidError() const {
  return Status::IOError("corrupt log segment ", path_, " at byte ", pos_, ": ", problem_);
}

Result<SegmentScanner::Step> SegmentScanner::Next(bool verify) {
  size_t available = 0;
  ARROW_ASSIGN_OR_RAISE(const char* bytes, Fetch(pos_, kBatchHeaderBytes, &available));
  if (bytes == nullptr) return available == 0 ? Step::kEnd : Step::kIncomplete;
  BatchHeader header;
  std::string problem = DecodeBatchHeader(bytes, &header);
  if (!problem.empty()) return Invalid(std::move(problem));
  if (header.base_offset != next_offset_) {
    return Invalid("batch has base offset " + std::to_string(header.base_offset) + ", expected " +
                   std::to_string(next_offset_));
  }
  const int64_t end = pos_ + static_cast<int64_t>(header.batch_bytes());
  // Judged from the file size before reading: a damaged length field must not make the scan
  // allocate and read up to kMaxPayloadBytes (found by fuzz/embedded_log_batch_fuzzer.cc).
  if (end > file_size_) {
    ARROW_ASSIGN_OR_RAISE(file_size_, FileSize(fd_, path_));
    if (end > file_size_) return Step::kIncomplete;
  }
  if (verify) {
    ARROW_ASSIGN_OR_RAISE(bytes, Fetch(pos_, header.batch_bytes(), &available));
    if (bytes == nullptr) return Step::kIncomplete;
    if (!BatchCrcMatches(header, bytes)) return Invalid("batch checksum mismatch");
  }
  header_ = header;
  pos_ = end;
  next_offset_ = header.end_offset();
  return Step::kBatch;
}

Result<IntactBatchSearch> FindIntactBatch(int fd, const std::string& path, int64_t from) {
  // "PZB1" or "PZB2" (DecodeBatchHeader checks the fourth byte).
  const char magic[3] = {'P', 'Z', 'B'};
  IntactBatchSearch out;
  ARROW_ASSIGN_OR_RAISE(const int64_t size, FileSize(fd, path));
  if (size <= from) return out;
  const size_t step = static_cast<size_t>(std::min<int64_t>(int64_t{1} << 20, size - from));
  std::vector<char> chunk(step + kBatchHeaderBytes);
  std::vector<char> batch;
  for (int64_t at = from; at < size; at += static_cast<int64_t>(step)) {
    // Each chunk overlaps the next by a header, so a header across the border is seen whole.
    ARROW_ASSIGN_OR_RAISE(size_t got, ReadAt(fd, chunk.data(), chunk.size(), at, path));
    const std::string_view bytes(chunk.data(), got);
    const size_t starts = std::min(got, step);
    for (size_t i = 0; i < starts; ++i) {
      if (bytes[i] != magic[0] || i + kBatchHeaderBytes > got ||
          std::memcmp(bytes.data() + i, magic, sizeof(magic)) != 0) {
        if (bytes[i] != 0) out.zeros_before = false;
        continue;
      }
      BatchHeader header;
      const int64_t pos = at + static_cast<int64_t>(i);
      if (DecodeBatchHeader(bytes.data() + i, &header).empty() &&
          pos + static_cast<int64_t>(header.batch_bytes()) <= size) {
        batch.resize(header.batch_bytes());
        ARROW_ASSIGN_OR_RAISE(size_t read, ReadAt(fd, batch.data(), batch.size(), pos, path));
        if (read == batch.size() && BatchCrcMatches(header, batch.data())) {
          out.found_at = pos;
          return out;
        }
      }
      out.zeros_before = false;  // the magic's first byte is not zero
    }
  }
  return out;
}

}  // namespace pizzastream::transport::embedded_log
