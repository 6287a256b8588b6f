// Compression of the embedded log's batches (format in embedded_log_format.h), as Kafka compresses
// its record batches: the records stay what the producer sent (one JSON object each), only their
// bytes on disk shrink. The order lines' JSON repeats its field names and menu texts, so LZ4
// makes a batch ~7x smaller (zstd ~15x, at more CPU): the producer writes, and the kernel copies
// into the page cache, that much less, which cost more CPU than compressing does (3M lines
// through `run`: 1.1 GB of log and ~3 s of system time uncompressed, ~160 MB and ~1.4 s).
//
// A compressed batch's payload: u32 codec (BatchCodec), u32 bytes of its records once inflated,
// then the codec's output (an LZ4 block, or a zstd frame).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace arrow::util {
class Codec;
}

namespace pizzastream::transport::embedded_log {

enum class BatchCodec : uint32_t { kNone = 0, kLz4 = 1, kZstd = 2 };

inline constexpr size_t kCompressedPrefixBytes = 8;

// Parses "none", "lz4" or "zstd".
Result<BatchCodec> ParseBatchCodec(std::string_view name);

// One codec's compressor and every codec's decompressor. Not thread-safe (one per writer or
// reader).
class BatchCompression {
 public:
  BatchCompression();
  ~BatchCompression();
  BatchCompression(BatchCompression&&) noexcept;
  BatchCompression& operator=(BatchCompression&&) noexcept;

  // Appends the compressed payload of `records` (prefix, then the codec's output) to `out`.
  // Returns false, with `out` as it was, when that would not be smaller than `records` or the
  // codec fails: the batch is then written as it is.
  bool Compress(BatchCodec codec, std::string_view records, std::string* out);

  // The bytes of the records a compressed payload inflates to: its prefix, checked (a known
  // codec, a size the codec could have produced from this payload). An error message otherwise.
  static std::string InflatedSize(std::string_view payload, size_t* bytes);

  // Inflates `payload` into `out`, which has room for the InflatedSize() bytes. An error
  // message when the bytes do not inflate to exactly that size.
  std::string Inflate(std::string_view payload, char* out);

 private:
  Result<arrow::util::Codec*> Get(BatchCodec codec);
  std::unique_ptr<arrow::util::Codec> lz4_, zstd_;
  std::unique_ptr<uint8_t[]> scratch_;  // the codec's output for one batch
  size_t scratch_capacity_ = 0;
};

}  // namespace pizzastream::transport::embedded_log
