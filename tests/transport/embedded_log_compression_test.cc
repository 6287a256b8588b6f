// The embedded log's compressed batches: what a reader gets is what the producer sent, whatever
// mix of codecs the log holds; a message's bytes stay valid for its poll; damage behind a good
// checksum is an error naming the file, never a record.
#include "transport/embedded_log_compression.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "transport/embedded_log_cursor.h"
#include "transport/embedded_log_format.h"
#include "transport/embedded_log_test_util.h"

namespace pizzastream::transport::testing {
namespace {

using embedded_log::BatchCodec;

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

EmbeddedLogOptions WithCodec(BatchCodec codec) {
  EmbeddedLogOptions options;
  options.compression = codec;
  return options;
}

TEST_F(EmbeddedLogTest, ALogOfPlainLz4AndZstdBatchesReadsBackAsWritten) {
  const int64_t per_writer = 1500;
  OwnedRecords in = OwnedRecords::Make(0, 3 * per_writer, 200);
  const BatchCodec codecs[] = {BatchCodec::kNone, BatchCodec::kLz4, BatchCodec::kZstd};
  for (int w = 0; w < 3; ++w) {  // one writer after the other, as after upgrades
    auto writer = Writer("csv:test", WithCodec(codecs[w]));
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->Append({in.records.data() + w * per_writer, size_t{per_writer}}).ok());
    ASSERT_TRUE(writer->Flush().ok());
  }
  // Both kinds of batch are on disk, and the compressed ones take far less room.
  const std::string segment = FileBytes(Segments(0).front());
  EXPECT_NE(segment.find("PZB1"), std::string::npos);
  EXPECT_NE(segment.find("PZB2"), std::string::npos);
  size_t on_disk = 0;
  for (int p = 0; p < 3; ++p) on_disk += std::filesystem::file_size(Segments(p).front());
  EXPECT_LT(on_disk, size_t{per_writer} * 200 * 3 / 2);  // plain third, two far smaller ones

  EmbeddedLogOptions small;
  small.read_buffer_bytes = 0;  // the smallest: polls end on the inflated-bytes bound too
  auto reader = Reader([](int32_t) { return 0; }, small);
  std::vector<Received> out = ReadAvailable(*reader, 333);
  ASSERT_EQ(out.size(), in.records.size());
  std::map<int32_t, int64_t> next_offset;
  for (const Received& r : out) {
    EXPECT_EQ(r.offset, next_offset[r.partition]++);
    const int64_t sequence = SequenceOf(r.value);
    EXPECT_EQ(r.key, in.keys[sequence]);
    EXPECT_EQ(r.value, in.values[sequence]);
  }
}

// A poll spans several compressed batches and ends inside one; every message of the poll must
// still hold its bytes when the poll returns (each batch inflates into a block of its own), and
// the batch the next poll finishes must survive the blocks being reused.
TEST_F(EmbeddedLogTest, EveryMessageOfAPollOverCompressedBatchesKeepsItsBytes) {
  config_.partitions = 1;
  OwnedRecords in = OwnedRecords::Make(0, 4000, 120);
  auto writer = Writer("csv:test", WithCodec(BatchCodec::kLz4));
  for (size_t at = 0; at < in.records.size(); at += 100) {  // batches of ~13 KB, compressed
    ASSERT_TRUE(writer->Append({in.records.data() + at, 100}).ok());
  }
  ASSERT_TRUE(writer->Flush().ok());
  ASSERT_NE(FileBytes(Segments(0).front()).find("PZB2"), std::string::npos);
  auto reader = Reader();
  std::vector<Message> batch;
  int64_t next = 0;
  for (size_t poll = 0; next < 4000; ++poll) {
    ASSERT_LT(poll, 1000u);
    ASSERT_TRUE(reader->Poll(730, std::chrono::milliseconds(0), &batch).ok());
    ASSERT_FALSE(batch.empty());
    for (const Message& m : batch) {  // checked after the whole poll was gathered
      ASSERT_EQ(m.offset, next);
      ASSERT_EQ(m.value, in.values[next]) << "offset " << next;
      ASSERT_GE(m.readable_after, embedded_log::PartitionCursor::kReadAheadBytes);
      ++next;
    }
  }
}

// A compressed batch as a writer seals it: header, codec prefix and the codec's output.
std::string SealedCompressedBatch(const std::string& records, uint32_t count, BatchCodec codec) {
  std::string batch(embedded_log::kBatchHeaderBytes, '\0');
  embedded_log::BatchCompression compression;
  EXPECT_TRUE(compression.Compress(codec, records, &batch));
  embedded_log::BatchHeader header;
  header.record_count = count;
  header.payload_bytes = static_cast<uint32_t>(batch.size() - embedded_log::kBatchHeaderBytes);
  header.compressed = true;
  embedded_log::SealBatch(header, batch.data());
  return batch;
}

TEST_F(EmbeddedLogTest, DamageInsideACompressedBatchWithAGoodChecksumIsAnError) {
  std::string records;
  for (int i = 0; i < 200; ++i) {
    embedded_log::AppendRecord("7", R"({"order_id":"7","pizza_name_id":"hawaiian_m"})", &records);
  }
  std::filesystem::create_directories(PartitionDir(0));
  const std::string dir = PartitionDir(0);
  const std::string path = embedded_log::SegmentPath(dir, 0);
  auto read_all = [&](const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    embedded_log::PartitionCursor cursor(0, dir, 0);
    std::vector<Message> out;
    Status status = cursor.Seek(0);
    if (status.ok()) status = cursor.Fill(1000, true, &out);
    return std::make_pair(status, out.size());
  };
  for (BatchCodec codec : {BatchCodec::kLz4, BatchCodec::kZstd}) {
    const std::string good = SealedCompressedBatch(records, 200, codec);
    auto [ok, count] = read_all(good);
    ASSERT_TRUE(ok.ok()) << ok.ToString();
    EXPECT_EQ(count, 200u);
    const size_t payload = embedded_log::kBatchHeaderBytes;
    // Each damage, re-sealed so the checksum holds (a flipped byte behind the checksum is
    // caught by it: a re-sealed one is no more detectable here than in a plain batch's value):
    // the codec, the claimed size, the compressed stream cut short.
    int which = 0;
    for (auto damage : std::initializer_list<std::function<void(std::string&)>>{
             [&](std::string& b) { b[payload] = 9; },             // unknown codec
             [&](std::string& b) { b[payload + 7] = 0x7f; },      // claims ~2 GB
             [&](std::string& b) { b[payload + 4] ^= 1; },        // a byte off
             [&](std::string& b) { b.resize(b.size() - 3); }}) {  // cut short
      SCOPED_TRACE(which++);
      std::string bad = good;
      damage(bad);
      embedded_log::BatchHeader header;
      ASSERT_EQ(embedded_log::DecodeBatchHeader(bad.data(), &header), "");
      header.payload_bytes = static_cast<uint32_t>(bad.size() - payload);
      embedded_log::SealBatch(header, bad.data());
      auto [status, n] = read_all(bad);
      EXPECT_TRUE(status.IsIOError()) << status.ToString();
      EXPECT_NE(status.message().find("corrupt log segment"), std::string::npos)
          << status.ToString();
      EXPECT_EQ(n, 0u);
    }
  }
}

// The topic configuration (`--log-compression`) chooses the writer's codec; LZ4 by default.
TEST_F(EmbeddedLogTest, TheTopicConfigurationChoosesTheCodec) {
  config_.partitions = 1;
  OwnedRecords in = OwnedRecords::Make(0, 200, 100);
  // The codec each batch names after its header, in the order the writers below wrote them.
  const std::vector<const char*> names = {nullptr, "none", "zstd"};
  for (const char* name : names) {
    if (name != nullptr) config_.log_compression = name;
    auto writer = OpenEmbeddedWriter(config_, std::string("csv:") + (name ? name : "default"));
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Append(in.records).ok());
  }
  const std::string segment = FileBytes(Segments(0).front());
  std::vector<std::string> codecs;
  for (size_t at = 0; at + embedded_log::kBatchHeaderBytes <= segment.size();) {
    embedded_log::BatchHeader header;
    ASSERT_EQ(embedded_log::DecodeBatchHeader(segment.data() + at, &header), "");
    uint32_t codec = 0;
    if (header.compressed) {
      std::memcpy(&codec, segment.data() + at + embedded_log::kBatchHeaderBytes, sizeof(codec));
    }
    codecs.push_back(!header.compressed ? "none" : codec == 1 ? "lz4" : "zstd");
    at += header.batch_bytes();
  }
  EXPECT_EQ(codecs, (std::vector<std::string>{"lz4", "none", "zstd"}));
  config_.log_compression = "gzip";
  auto refused = OpenEmbeddedWriter(config_, "csv:gzip");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("none, lz4 or zstd"), std::string::npos);
}

TEST(EmbeddedLogCompression, CodecsAreNamedAndTinyOrIncompressibleRecordsStayPlain) {
  EXPECT_EQ(embedded_log::ParseBatchCodec("zstd").ValueOrDie(), BatchCodec::kZstd);
  EXPECT_EQ(embedded_log::ParseBatchCodec("lz4").ValueOrDie(), BatchCodec::kLz4);
  EXPECT_EQ(embedded_log::ParseBatchCodec("none").ValueOrDie(), BatchCodec::kNone);
  EXPECT_FALSE(embedded_log::ParseBatchCodec("gzip").ok());
  embedded_log::BatchCompression compression;
  std::string out = "kept";
  EXPECT_FALSE(compression.Compress(BatchCodec::kZstd, "x", &out));  // would grow
  EXPECT_EQ(out, "kept");
}

}  // namespace
}  // namespace pizzastream::transport::testing
