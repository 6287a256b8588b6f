// libFuzzer target: the embedded log's batch decoding (src/transport/embedded_log_*.h) on an
// arbitrary segment file: the reader's cursor, the end-offset scan, the damage search and the
// writer's recovery. The first input byte chooses: bit 0 re-seals the crc of every batch whose
// header is sane (so the fuzzer reaches the record parsing behind the checksum), bit 1 also
// chains their base offsets, bit 2 runs the writer's recovery last. Errors are allowed (a
// Status naming the file), crashes, hangs and UB are not; whatever the cursor returns must lie
// inside the file, or inside a compressed batch's inflated records (no larger than a batch may
// be), and be readable to its end.
#include <fcntl.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz_scratch.h"
#include "transport/embedded_log_cursor.h"
#include "transport/embedded_log_format.h"
#include "transport/embedded_log_recovery.h"
#include "transport/embedded_log_scan.h"

using namespace pizzastream::transport;
using namespace pizzastream::transport::embedded_log;

namespace {

void Reseal(std::string& bytes, bool chain) {
  size_t pos = 0;
  int64_t offset = 0;
  while (pos + kBatchHeaderBytes <= bytes.size()) {
    BatchHeader header;
    if (!DecodeBatchHeader(bytes.data() + pos, &header).empty()) return;
    if (pos + header.batch_bytes() > bytes.size()) return;
    if (chain) header.base_offset = offset;
    SealBatch(header, bytes.data() + pos);
    offset = header.end_offset();
    pos += header.batch_bytes();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (mode & 1) Reseal(bytes, (mode & 2) != 0);

  static const std::string dir = [] {
    std::string path = pizzastream::fuzz::ScratchDir() + "/partition";
    std::filesystem::create_directories(path);
    return path;
  }();
  const std::string segment = SegmentPath(dir, 0);  // the partition's only file
  pizzastream::fuzz::WriteBytes(segment, bytes);

  {
    // A plain file's messages lie inside it; a compressed batch's records inflate to at most
    // a batch's limit.
    const size_t readable_bound =
        bytes.find("PZB2") == std::string::npos ? bytes.size() : size_t{kMaxPayloadBytes};
    PartitionCursor cursor(0, dir, 4096);
    if (cursor.Seek(0).ok()) {
      std::vector<Message> out;
      for (int round = 0; round < 10000; ++round) {
        out.clear();
        if (!cursor.Fill(64, /*new_poll=*/true, &out).ok() || out.empty()) break;
        for (const Message& m : out) {
          if (m.key.size() + m.value.size() > readable_bound) std::abort();
          volatile size_t touch = 0;
          for (char c : m.key) touch = touch + static_cast<unsigned char>(c);
          for (char c : m.value) touch = touch + static_cast<unsigned char>(c);
        }
      }
    }
    (void)cursor.EndOffset();
  }
  {
    const int fd = ::open(segment.c_str(), O_RDONLY);
    if (fd < 0) std::abort();
    SegmentScanner scanner(fd, segment, 0, 0, 512);
    for (int round = 0; round < 100000; ++round) {
      auto step = scanner.Next(/*verify=*/(round & 1) == 0);
      if (!step.ok() || *step != SegmentScanner::Step::kBatch) break;
    }
    (void)FindIntactBatch(fd, segment, 0);
    (void)FindIntactBatch(fd, segment, static_cast<int64_t>(bytes.size() / 2));
    ::close(fd);
  }
  if (mode & 4) (void)RecoverPartition(dir);
  return 0;
}
