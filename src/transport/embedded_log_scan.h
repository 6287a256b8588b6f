// Walks the batches of one segment file (format in embedded_log_format.h) from a byte position,
// reading through a window so that many small batches cost one read and a large batch costs a
// header read. Used to recover a writer, to seek a reader and to find the end of a partition.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "transport/embedded_log_format.h"

namespace pizzastream::transport::embedded_log {

class SegmentScanner {
 public:
  enum class Step {
    kBatch,       // header() is the next batch, complete in the file; pos() is after it
    kEnd,         // pos() is the end of the file
    kIncomplete,  // a batch starts at pos() but is not all in the file (yet)
    kInvalid,     // the bytes at pos() are not the expected batch: see InvalidError()
  };

  // Starts at byte `pos` of the open segment `fd`, where the batch with offset `offset` begins.
  SegmentScanner(int fd, std::string path, int64_t pos, int64_t offset,
                 size_t window_bytes = 64 << 10);

  // Moves over the next batch. With `verify` the whole batch is read and its crc checked;
  // otherwise only the header is read and completeness is judged from the file size.
  Result<Step> Next(bool verify);

  const BatchHeader& header() const { return header_; }
  int64_t pos() const { return pos_; }
  int64_t next_offset() const { return next_offset_; }
  // After kInvalid: IOError naming the file, the byte position and what is wrong.
  Status InvalidError() const;

 private:
  // Bytes [pos, pos + n) of the file, or nullptr if the file ends before; *available is set to
  // how many bytes from pos are in the file.
  Result<const char*> Fetch(int64_t pos, size_t n, size_t* available);
  Step Invalid(std::string problem);

  int fd_;
  std::string path_;
  int64_t pos_;
  int64_t next_offset_;
  size_t window_bytes_;
  std::vector<char> window_;
  int64_t window_pos_ = 0;
  size_t window_len_ = 0;
  int64_t file_size_ = -1;
  BatchHeader header_;
  std::string problem_;
};

// Where the first intact batch (a sane header whose crc matches) after byte `from` of a segment
// starts, if any, and whether every byte of the segment in [from, there) is zero. Tells damage
// in the middle of a log (intact batches follow garbage) from an unfinished write at its end
// (nothing intact follows, or only a hole of zeros that a power loss left before data the
// disk wrote out of order).
struct IntactBatchSearch {
  int64_t found_at = -1;  // -1: none
  bool zeros_before = true;
};
Result<IntactBatchSearch> FindIntactBatch(int fd, const std::string& path, int64_t from);

}  // namespace pizzastream::transport::embedded_log
