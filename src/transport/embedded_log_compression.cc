#include "transport/embedded_log_compression.h"

#include <arrow/util/compression.h>

#include <cstring>

#include "transport/embedded_log_format.h"

namespace pizzastream::transport::embedded_log {
namespace {

// An LZ4 block inflates at most ~255-fold: a prefix claiming more is damage, never an
// allocation. A zstd frame can inflate far more (a run of one byte), so only the log's batch
// limit bounds it.
constexpr uint64_t kMaxLz4Inflation = 256;

uint32_t GetU32(const char* at) {
  uint32_t value;
  std::memcpy(&value, at, sizeof(value));
  return value;
}

}  // namespace

Result<BatchCodec> ParseBatchCodec(std::string_view name) {
  if (name == "none") return BatchCodec::kNone;
  if (name == "lz4") return BatchCodec::kLz4;
  if (name == "zstd") return BatchCodec::kZstd;
  return Status::Invalid("unknown log compression '", std::string(name), "' (none, lz4 or zstd)");
}

BatchCompression::BatchCompression() = default;
BatchCompression::~BatchCompression() = default;
BatchCompression::BatchCompression(BatchCompression&&) noexcept = default;
BatchCompression& BatchCompression::operator=(BatchCompression&&) noexcept = default;

Result<arrow::util::Codec*> BatchCompression::Get(BatchCodec codec) {
  std::unique_ptr<arrow::util::Codec>* slot = nullptr;
  arrow::Compression::type type = arrow::Compression::UNCOMPRESSED;
  switch (codec) {
    case BatchCodec::kLz4:
      slot = &lz4_, type = arrow::Compression::LZ4;  // the raw block format
      break;
    case BatchCodec::kZstd:
      slot = &zstd_, type = arrow::Compression::ZSTD;
      break;
    case BatchCodec::kNone:
      return Status::Invalid("no codec");
  }
  if (*slot == nullptr) {
    ARROW_ASSIGN_OR_RAISE(*slot, arrow::util::Codec::Create(type));
  }
  return slot->get();
}

bool BatchCompression::Compress(BatchCodec codec, std::string_view records, std::string* out) {
  auto compressor = Get(codec);
  if (!compressor.ok()) return false;
  const int64_t bound =
      (*compressor)->MaxCompressedLen(static_cast<int64_t>(records.size()), nullptr);
  // The codec writes into scratch space kept from batch to batch: growing `out` by the bound
  // instead would zero ~8 MB a batch, as much work again as compressing it with LZ4.
  if (scratch_capacity_ < static_cast<size_t>(bound)) {
    scratch_ = std::make_unique_for_overwrite<uint8_t[]>(static_cast<size_t>(bound));
    scratch_capacity_ = static_cast<size_t>(bound);
  }
  auto written =
      (*compressor)
          ->Compress(static_cast<int64_t>(records.size()),
                     reinterpret_cast<const uint8_t*>(records.data()), bound, scratch_.get());
  if (!written.ok() || static_cast<size_t>(*written) + kCompressedPrefixBytes >= records.size()) {
    return false;
  }
  const uint32_t prefix[2] = {static_cast<uint32_t>(codec), static_cast<uint32_t>(records.size())};
  out->append(reinterpret_cast<const char*>(prefix), sizeof(prefix));
  out->append(reinterpret_cast<const char*>(scratch_.get()), static_cast<size_t>(*written));
  return true;
}

std::string BatchCompression::InflatedSize(std::string_view payload, size_t* bytes) {
  if (payload.size() < kCompressedPrefixBytes) return "compressed payload without its prefix";
  const uint32_t codec = GetU32(payload.data());
  if (codec != static_cast<uint32_t>(BatchCodec::kLz4) &&
      codec != static_cast<uint32_t>(BatchCodec::kZstd)) {
    return "unknown compression codec " + std::to_string(codec);
  }
  const uint64_t inflated = GetU32(payload.data() + 4);
  const uint64_t most = codec == static_cast<uint32_t>(BatchCodec::kLz4)
                            ? (payload.size() - kCompressedPrefixBytes) * kMaxLz4Inflation + 64
                            : uint64_t{kMaxPayloadBytes};
  if (inflated == 0 || inflated > most) {
    return "compressed payload claims " + std::to_string(inflated) + " bytes of records";
  }
  *bytes = static_cast<size_t>(inflated);
  return {};
}

std::string BatchCompression::Inflate(std::string_view payload, char* out) {
  size_t inflated = 0;
  std::string problem = InflatedSize(payload, &inflated);
  if (!problem.empty()) return problem;
  auto codec = Get(static_cast<BatchCodec>(GetU32(payload.data())));
  if (!codec.ok()) return codec.status().message();
  const auto* input = reinterpret_cast<const uint8_t*>(payload.data() + kCompressedPrefixBytes);
  auto got =
      (*codec)->Decompress(static_cast<int64_t>(payload.size() - kCompressedPrefixBytes), input,
                           static_cast<int64_t>(inflated), reinterpret_cast<uint8_t*>(out));
  if (!got.ok()) return "compressed payload does not inflate: " + got.status().message();
  if (static_cast<size_t>(*got) != inflated) {
    return "compressed payload inflates to " + std::to_string(*got) + " bytes, not " +
           std::to_string(inflated);
  }
  return {};
}

}  // namespace pizzastream::transport::embedded_log
