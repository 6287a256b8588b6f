// The embedded log with a writer and a reader running at the same time, in threads and in
// separate processes: the reader sees every record once, in order, as the writer appends and
// rolls segments.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "transport/embedded_log.h"
#include "transport/embedded_log_test_util.h"

namespace pizzastream::transport::testing {
namespace {

using EmbeddedLogConcurrencyTest = EmbeddedLogTest;

constexpr int64_t kRecords = 20000;

EmbeddedLogOptions SmallSegments() {
  EmbeddedLogOptions options;
  options.segment_bytes = 64 << 10;
  options.poll_interval = std::chrono::milliseconds(1);
  return options;
}

Status WriteInSmallAppends(TopicWriter& writer, const OwnedRecords& in) {
  for (int64_t i = 0; i < kRecords;) {
    const int64_t n = std::min<int64_t>(1 + i % 97, kRecords - i);
    ARROW_RETURN_NOT_OK(writer.Append({in.records.data() + i, static_cast<size_t>(n)}));
    if (i % 5 == 0) ARROW_RETURN_NOT_OK(writer.Flush());
    i += n;
  }
  return writer.Flush();
}

// Reads until `kRecords` arrived or, once `writer_done`, a poll comes back empty; checks that
// records arrive in offset order, each once, in source order within a partition.
void ReadConcurrently(TopicReader& reader, const std::atomic<bool>& writer_done, int partitions) {
  std::vector<int64_t> next_offset(partitions, 0);
  std::vector<int64_t> last_sequence(partitions, -1);
  std::vector<Message> batch;
  int64_t received = 0;
  while (received < kRecords) {
    const bool done = writer_done.load();
    ASSERT_TRUE(reader.Poll(500, std::chrono::milliseconds(20), &batch).ok());
    if (batch.empty() && done) break;
    for (const Message& m : batch) {
      ASSERT_EQ(m.offset, next_offset[m.partition]++);
      const int64_t sequence = SequenceOf(std::string(m.value));
      ASSERT_GT(sequence, last_sequence[m.partition]);
      last_sequence[m.partition] = sequence;
    }
    received += static_cast<int64_t>(batch.size());
  }
  EXPECT_EQ(received, kRecords);
}

TEST_F(EmbeddedLogConcurrencyTest, ReaderThreadSeesEveryRecordOnceInOrderWhileAWriterAppends) {
  OwnedRecords in = OwnedRecords::Make(0, kRecords);
  auto writer = Writer("p", SmallSegments());
  auto reader = Reader([](int32_t) { return 0; }, SmallSegments());
  std::atomic<bool> done{false};
  std::thread writing([&] {
    Status status = WriteInSmallAppends(*writer, in);
    EXPECT_TRUE(status.ok()) << status.ToString();
    done = true;
  });
  ReadConcurrently(*reader, done, 3);
  writing.join();
  EXPECT_GT(Segments(0).size(), 1u);
}

TEST_F(EmbeddedLogConcurrencyTest, ReaderSeesEveryRecordOnceInOrderFromAWriterProcess) {
  OwnedRecords in = OwnedRecords::Make(0, kRecords);
  auto reader = Reader([](int32_t) { return 0; }, SmallSegments());  // creates the topic
  // Fork while this is the only thread; a second thread only waits for the child to end.
  const pid_t pid = StartDyingChild([&] {
    auto writer = OpenEmbeddedWriter(config_, "p", SmallSegments());
    return writer.ok() && WriteInSmallAppends(**writer, in).ok() ? 0 : 1;
  });
  ASSERT_GT(pid, 0);
  std::atomic<bool> done{false};
  std::thread child([&] {
    EXPECT_EQ(WaitForChild(pid), 0);
    done = true;
  });
  ReadConcurrently(*reader, done, 3);
  child.join();
}

}  // namespace
}  // namespace pizzastream::transport::testing
