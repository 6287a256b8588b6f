#include "transport/embedded_log_format.h"

#include <isa-l/crc.h>

#include <cstdio>

namespace pizzastream::transport::embedded_log {
namespace {

constexpr size_t kCrcFieldEnd = 8;  // the crc covers the batch from here on

template <typename T>
void Put(char* at, T value) {
  std::memcpy(at, &value, sizeof(value));
}
template <typename T>
T Get(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof(value));
  return value;
}

}  // namespace

void SealBatch(BatchHeader header, char* batch) {
  Put(batch + 0, header.compressed ? kCompressedBatchMagic : kBatchMagic);
  Put(batch + 8, header.base_offset);
  Put(batch + 16, header.producer);
  Put(batch + 24, header.first_sequence);
  Put(batch + 32, header.last_sequence);
  Put(batch + 40, header.timestamp_ms);
  Put(batch + 48, header.record_count);
  Put(batch + 52, header.payload_bytes);
  Put(batch + 4, Crc32({batch + kCrcFieldEnd, header.batch_bytes() - kCrcFieldEnd}));
}

std::string DecodeBatchHeader(const char* bytes, BatchHeader* header) {
  const uint32_t magic = Get<uint32_t>(bytes);
  if (magic != kBatchMagic && magic != kCompressedBatchMagic) return "no batch header (bad magic)";
  header->compressed = magic == kCompressedBatchMagic;
  header->crc = Get<uint32_t>(bytes + 4);
  header->base_offset = Get<int64_t>(bytes + 8);
  header->producer = Get<uint64_t>(bytes + 16);
  header->first_sequence = Get<int64_t>(bytes + 24);
  header->last_sequence = Get<int64_t>(bytes + 32);
  header->timestamp_ms = Get<int64_t>(bytes + 40);
  header->record_count = Get<uint32_t>(bytes + 48);
  header->payload_bytes = Get<uint32_t>(bytes + 52);
  if (header->base_offset < 0) return "negative base offset";
  if (header->record_count == 0) return "batch without records";
  if (header->payload_bytes > kMaxPayloadBytes) return "payload length out of range";
  if (!header->compressed &&
      header->payload_bytes < header->record_count * uint64_t{kRecordHeaderBytes}) {
    return "payload too short for its record count";
  }
  return {};
}

bool BatchCrcMatches(const BatchHeader& header, const char* batch) {
  return Crc32({batch + kCrcFieldEnd, header.batch_bytes() - kCrcFieldEnd}) == header.crc;
}

uint32_t Crc32(std::string_view bytes) {
  return crc32_gzip_refl(0, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

uint64_t ProducerHash(std::string_view producer_id) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a 64 offset basis and prime
  for (unsigned char c : producer_id) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string SegmentPath(const std::string& partition_dir, int64_t base_offset) {
  char name[32];
  std::snprintf(name, sizeof(name), "/%020lld.log", static_cast<long long>(base_offset));
  return partition_dir + name;
}

}  // namespace pizzastream::transport::embedded_log
