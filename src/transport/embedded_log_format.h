// The byte format of the embedded log's segment files (transport/embedded_log.h).
//
// A segment is a sequence of record batches. A batch is a 56-byte header, little-endian:
//    0 u32 magic "PZB1"
//    4 u32 crc32 (zlib's, Crc32 below) of every byte of the batch after this field
//    8 i64 base_offset      offset of the first record
//   16 u64 producer         ProducerHash of the writer's producer id
//   24 i64 first_sequence   producer sequence of the first record
//   32 i64 last_sequence    producer sequence of the last record
//   40 i64 timestamp_ms     wall clock when appended
//   48 u32 record_count     >= 1
//   52 u32 payload_bytes
// followed by the payload: record_count records, each u32 key_bytes, u32 value_bytes, key, value.
// A batch whose magic is "PZB2" holds the same records compressed (embedded_log_compression.h:
// a codec and the records' size, then the codec's output); the crc covers the bytes as stored.
// Batches of a partition have contiguous offsets; a segment file is named by the base offset of
// its first batch.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/status.h"

namespace pizzastream::transport::embedded_log {

static_assert(std::endian::native == std::endian::little,
              "the segment format is little-endian and read in place");

inline constexpr uint32_t kBatchMagic = 0x31425a50;            // "PZB1"
inline constexpr uint32_t kCompressedBatchMagic = 0x32425a50;  // "PZB2"
inline constexpr size_t kBatchHeaderBytes = 56;
inline constexpr size_t kRecordHeaderBytes = 8;
// No batch is larger than this; a bigger length field means the bytes are not a batch.
inline constexpr uint32_t kMaxPayloadBytes = 256u << 20;

struct BatchHeader {
  uint32_t crc = 0;
  int64_t base_offset = 0;
  uint64_t producer = 0;
  int64_t first_sequence = 0;
  int64_t last_sequence = 0;
  int64_t timestamp_ms = 0;
  uint32_t record_count = 0;
  uint32_t payload_bytes = 0;
  bool compressed = false;  // "PZB2"

  int64_t end_offset() const { return base_offset + record_count; }
  size_t batch_bytes() const { return kBatchHeaderBytes + payload_bytes; }
};

// Writes `header` (with its crc computed over `payload_bytes` bytes following the header) into
// the first kBatchHeaderBytes of `batch`, whose payload is already in place.
void SealBatch(BatchHeader header, char* batch);

// Decodes a header. Returns an empty string if the bytes look like a batch header (magic, sane
// sizes), else what is wrong. Does not check the crc.
std::string DecodeBatchHeader(const char* bytes, BatchHeader* header);

// True if the crc in `header` matches the batch bytes (header + payload) at `batch`.
bool BatchCrcMatches(const BatchHeader& header, const char* batch);

// Appends one record (length prefixes, key, value) to a batch being built.
inline void AppendRecord(std::string_view key, std::string_view value, std::string* out) {
  const uint32_t lengths[2] = {static_cast<uint32_t>(key.size()),
                               static_cast<uint32_t>(value.size())};
  out->append(reinterpret_cast<const char*>(lengths), sizeof(lengths));
  out->append(key);
  out->append(value);
}

// The CRC-32 of zlib's crc32() and gzip (reflected IEEE 802.3 polynomial, initial value 0),
// computed with ISA-L's carry-less-multiply kernels: the same value, several times faster.
uint32_t Crc32(std::string_view bytes);

// A stable 64-bit id for a producer id string (FNV-1a), stored in every batch header.
uint64_t ProducerHash(std::string_view producer_id);

// "<dir>/<base offset, 20 digits>.log"
std::string SegmentPath(const std::string& partition_dir, int64_t base_offset);

}  // namespace pizzastream::transport::embedded_log
