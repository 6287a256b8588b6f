// The embedded log's byte format: the batch checksum must stay zlib's crc32, which every log
// written so far carries, whichever implementation computes it.
#include "transport/embedded_log_format.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

namespace pizzastream::transport::embedded_log {
namespace {

uint32_t ZlibCrc32(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

TEST(EmbeddedLogFormatTest, Crc32IsZlibsCrc32ForEveryLengthAndAlignment) {
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);  // the standard check value
  std::mt19937 random(15);
  std::string bytes(70000, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  // Short tails, the vector kernels' block sizes and their edges, from odd addresses.
  for (size_t length : {1, 3, 15, 16, 17, 31, 63, 64, 65, 127, 255, 256, 257, 1023, 4096, 65537}) {
    for (size_t start : {0, 1, 7}) {
      const std::string_view slice = std::string_view(bytes).substr(start, length);
      EXPECT_EQ(Crc32(slice), ZlibCrc32(slice)) << length << " bytes from " << start;
    }
  }
}

TEST(EmbeddedLogFormatTest, SealedBatchVerifiesAndAnyFlippedBitFailsIt) {
  std::string batch(kBatchHeaderBytes, '\0');
  AppendRecord("7", R"({"order_id":"7"})", &batch);
  BatchHeader header;
  header.base_offset = 3;
  header.first_sequence = header.last_sequence = 9;
  header.record_count = 1;
  header.payload_bytes = static_cast<uint32_t>(batch.size() - kBatchHeaderBytes);
  SealBatch(header, batch.data());
  BatchHeader decoded;
  ASSERT_EQ(DecodeBatchHeader(batch.data(), &decoded), "");
  EXPECT_TRUE(BatchCrcMatches(decoded, batch.data()));
  // The stored crc is zlib's over everything after the crc field.
  EXPECT_EQ(decoded.crc, ZlibCrc32(std::string_view(batch).substr(8)));
  batch.back() ^= 0x10;
  EXPECT_FALSE(BatchCrcMatches(decoded, batch.data()));
}

}  // namespace
}  // namespace pizzastream::transport::embedded_log
