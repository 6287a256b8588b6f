// The embedded log as a TopicWriter / TopicReader: offsets, partitioning, seeking, segments,
// committed offsets, lag and the one-writer / one-reader-per-group locks.
#include "transport/embedded_log.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <map>

#include "sources/order_source.h"
#include "transport/embedded_log_test_util.h"
#include "transport/sent_records.h"

namespace pizzastream::transport::testing {
namespace {

TEST_F(EmbeddedLogTest, RoundTripGivesEveryRecordOnceWithContiguousOffsetsPerPartition) {
  OwnedRecords in = OwnedRecords::Make(0, 1000);
  auto writer = Writer();
  ASSERT_TRUE(writer->Append({in.records.data(), 400}).ok());
  ASSERT_TRUE(writer->Append({in.records.data() + 400, 600}).ok());
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->delivered(), 1000);

  auto reader = Reader();
  std::vector<Received> out = ReadAvailable(*reader, 77);
  ASSERT_EQ(out.size(), 1000u);
  std::map<int32_t, int64_t> next_offset;
  std::map<int32_t, int64_t> last_sequence;
  for (const Received& r : out) {
    EXPECT_EQ(r.partition, EmbeddedLogPartition(r.key, 3));
    EXPECT_EQ(r.offset, next_offset[r.partition]++);
    const int64_t sequence = SequenceOf(r.value);
    EXPECT_EQ(r.key, in.keys[sequence]);
    EXPECT_EQ(r.value, in.values[sequence]);
    auto [it, first] = last_sequence.try_emplace(r.partition, sequence);
    if (!first) {
      EXPECT_GT(sequence, std::exchange(it->second, sequence));  // source order
    }
  }
  EXPECT_EQ(next_offset.size(), 3u);  // the keys spread over every partition
}

// LastPositions says where each record of the last Append went (transport/sent_records.h keeps
// rows by it): the reader finds each record there; a replayed one is reported as not written.
TEST_F(EmbeddedLogTest, AppendReportsWhereEachRecordWent) {
  OwnedRecords in = OwnedRecords::Make(0, 500);
  EmbeddedLogOptions options;
  options.max_batch_bytes = 1000;  // several batches per partition
  auto writer = Writer("csv:test", options);
  ASSERT_TRUE(writer->Append({in.records.data(), 200}).ok());
  // Records 150..199 again (a replay), then new ones.
  ASSERT_TRUE(writer->Append({in.records.data() + 150, 350}).ok());
  const std::vector<RecordPosition> positions(writer->LastPositions().begin(),
                                              writer->LastPositions().end());
  ASSERT_EQ(positions.size(), 350u);
  ASSERT_TRUE(writer->Flush().ok());

  std::map<std::pair<int32_t, int64_t>, std::string> at;
  for (const Received& r : ReadAvailable(*Reader())) at[{r.partition, r.offset}] = r.value;
  ASSERT_EQ(at.size(), 500u);
  for (size_t i = 0; i < positions.size(); ++i) {
    const int64_t sequence = 150 + static_cast<int64_t>(i);
    if (sequence < 200) {
      EXPECT_EQ(positions[i].offset, -1) << sequence;
      continue;
    }
    const std::pair<int32_t, int64_t> where = {positions[i].partition, positions[i].offset};
    EXPECT_EQ(at[where], in.values[sequence]);
  }
}

// With the rows a producer of this process sent (transport/sent_records.h), the reader returns
// each record of a compressed batch from its row without inflating the batch, a few records a
// poll and from the middle of a batch too; a batch holding a record without a row (sequence 50)
// is read as usual, its other records pointed at their rows all the same.
TEST_F(EmbeddedLogTest, AReaderReturnsRecordsSentByThisProcessFromTheirRows) {
  OwnedRecords in = OwnedRecords::Make(0, 300, 200);  // ~20 KB an Append: compressed batches
  arrow::ArrayVector columns;
  for (size_t c = 0; c < sources::kSourceColumns.size(); ++c) {
    arrow::StringBuilder b;
    for (int64_t r = 0; r < 300; ++r) ASSERT_TRUE(b.Append("text").ok());
    columns.push_back(b.Finish().ValueOrDie());
  }
  auto rows_of = std::make_shared<const SourceColumns>(
      *arrow::RecordBatch::Make(sources::SourceSchema(), 300, columns));
  config_.sent_records = std::make_shared<SentRecords>(1 << 20, std::chrono::milliseconds(0));
  auto writer = Writer();
  for (int64_t from = 0; from < 300; from += 100) {
    ASSERT_TRUE(writer->Append({in.records.data() + from, 100}).ok());
    std::vector<int64_t> rows;
    for (int64_t s = from; s < from + 100; ++s) rows.push_back(s == 50 ? -1 : s);
    config_.sent_records->Offer(rows_of, rows, writer->LastPositions());
  }
  ASSERT_TRUE(writer->Flush().ok());

  // Partition 0 from its 6th record on, the others from the start.
  auto reader = Reader([](int32_t p) { return p == 0 ? 5 : 0; });
  std::map<int32_t, int64_t> next = {{0, 5}, {1, 0}, {2, 0}};
  int64_t from_rows = 0, inflated = 0;
  std::vector<Message> batch;
  for (;;) {
    ASSERT_TRUE(reader->Poll(7, std::chrono::milliseconds(0), &batch).ok());
    if (batch.empty()) break;
    for (const Message& m : batch) {
      EXPECT_EQ(m.offset, next[m.partition]++);
      const int64_t sequence = m.value.empty() ? m.source_row : SequenceOf(std::string(m.value));
      if (m.value.empty()) {
        ++from_rows;
      } else {
        ++inflated;
      }
      if (sequence == 50) {
        EXPECT_EQ(m.source, nullptr);
        EXPECT_EQ(m.value, in.values[50]);
        continue;
      }
      ASSERT_EQ(m.source, rows_of.get()) << sequence;
      EXPECT_EQ(m.source_row, sequence);
      EXPECT_EQ(EmbeddedLogPartition(in.keys[sequence], 3), m.partition);
      std::string_view text;
      EXPECT_TRUE(m.source->Get(3, m.source_row, &text));
      EXPECT_EQ(text, "text");
    }
  }
  const int64_t skipped = 5;  // partition 0's first records
  EXPECT_EQ(from_rows + inflated, 300 - skipped);
  EXPECT_GT(from_rows, 150);
  EXPECT_GT(inflated, 0);
}

TEST_F(EmbeddedLogTest, EveryValueIsFollowedByTheReadableBytesItsMessageClaims) {
  // More than the smallest read buffer holds, in a few value sizes, so the cursor moves and
  // grows its buffer between polls; bronze lets simdjson read that far past each value.
  OwnedRecords small = OwnedRecords::Make(0, 3000, 300);
  OwnedRecords large = OwnedRecords::Make(3000, 3, 600 << 10);
  auto writer = Writer();
  ASSERT_TRUE(writer->Append(small.records).ok());
  ASSERT_TRUE(writer->Append(large.records).ok());
  ASSERT_TRUE(writer->Flush().ok());
  EmbeddedLogOptions options;
  options.read_buffer_bytes = 0;  // the smallest buffer
  auto reader = Reader([](int32_t) { return 0; }, options);
  std::vector<Message> batch;
  size_t seen = 0;
  unsigned checksum = 0;
  for (;;) {
    ASSERT_TRUE(reader->Poll(500, std::chrono::milliseconds(0), &batch).ok());
    if (batch.empty()) break;
    for (const Message& m : batch) {
      ASSERT_GE(m.readable_after, 64u);
      // Under AddressSanitizer, a byte outside the buffer's allocation fails the test.
      checksum += static_cast<unsigned char>(m.value.data()[m.value.size() + 63]);
      checksum += static_cast<unsigned char>(m.value.data()[m.value.size() + m.readable_after - 1]);
    }
    seen += batch.size();
  }
  EXPECT_EQ(seen, 3003u) << checksum;
}

TEST_F(EmbeddedLogTest, EmbeddedLogPartitionIsCrc32OfTheKeyModuloPartitions) {
  EXPECT_EQ(EmbeddedLogPartition("", 4), 0);  // crc32("") = 0
  // crc32("123456789") = 0xCBF43926, the standard check value.
  EXPECT_EQ(EmbeddedLogPartition("123456789", 1000), static_cast<int32_t>(0xCBF43926u % 1000));
}

TEST_F(EmbeddedLogTest, OffsetsContinueAfterTheWriterIsReopened) {
  OwnedRecords first = OwnedRecords::Make(0, 30);
  OwnedRecords second = OwnedRecords::Make(30, 30);
  ASSERT_TRUE(Writer()->Append(first.records).ok());
  auto writer = Writer();
  ASSERT_TRUE(writer->Append(second.records).ok());
  EXPECT_EQ(writer->delivered(), 30);
  writer.reset();

  auto reader = Reader();
  std::map<int32_t, int64_t> next_offset;
  std::vector<Received> out = ReadAvailable(*reader);
  ASSERT_EQ(out.size(), 60u);
  for (const Received& r : out) EXPECT_EQ(r.offset, next_offset[r.partition]++);
}

TEST_F(EmbeddedLogTest, ReaderOfAnEmptyTopicGetsNothingUntilRecordsArrive) {
  auto reader = Reader();
  std::vector<Message> batch;
  ASSERT_TRUE(reader->Poll(10, std::chrono::milliseconds(30), &batch).ok());
  EXPECT_TRUE(batch.empty());
  OwnedRecords in = OwnedRecords::Make(0, 5);
  auto writer = Writer();
  ASSERT_TRUE(writer->Append(in.records).ok());
  EXPECT_EQ(ReadAvailable(*reader).size(), 5u);
}

TEST_F(EmbeddedLogTest, PartitionCountIsFixedWhenTheTopicIsCreated) {
  OwnedRecords in = OwnedRecords::Make(0, 10);
  ASSERT_TRUE(Writer()->Append(in.records).ok());
  config_.partitions = 8;
  auto reader = Reader();
  EXPECT_EQ(reader->Assignment(), (std::vector<int32_t>{0, 1, 2}));
}

TEST_F(EmbeddedLogTest, InvalidConfigurationIsAnError) {
  config_.partitions = 0;
  EXPECT_TRUE(OpenEmbeddedWriter(config_, "p").status().IsInvalid());
  config_.partitions = 1;
  config_.topic = "../escape";
  EXPECT_TRUE(OpenEmbeddedWriter(config_, "p").status().IsInvalid());
  config_.topic = "orders";
  config_.group = "a/b";
  EXPECT_TRUE(OpenEmbeddedReader(config_, nullptr).status().IsInvalid());
  config_.log_dir.clear();
  EXPECT_TRUE(OpenEmbeddedWriter(config_, "p").status().IsInvalid());
}

TEST_F(EmbeddedLogTest, SeekMovesToAnyOffsetAcrossBatchesAndSegments) {
  config_.partitions = 1;
  EmbeddedLogOptions options;
  options.segment_bytes = 1500;  // a few batches per segment
  OwnedRecords in = OwnedRecords::Make(0, 100);
  auto writer = Writer("p", options);
  for (size_t i = 0; i < 100; i += 7) {
    const size_t n = std::min<size_t>(7, 100 - i);
    ASSERT_TRUE(writer->Append({in.records.data() + i, n}).ok());
  }
  ASSERT_GT(Segments(0).size(), 3u);

  auto reader = Reader();
  std::vector<Message> batch;
  for (int64_t target : {0, 1, 6, 7, 8, 13, 14, 50, 98, 99}) {
    ASSERT_TRUE(reader->Seek(0, target).ok());
    ASSERT_TRUE(reader->Poll(3, std::chrono::milliseconds(0), &batch).ok());
    ASSERT_FALSE(batch.empty()) << "target " << target;
    EXPECT_EQ(batch[0].offset, target);
    EXPECT_EQ(SequenceOf(std::string(batch[0].value)), target);
    EXPECT_EQ(batch.size(), std::min<size_t>(3, 100 - target));
  }
  // At or beyond the end: nothing now, then the record with that offset once it is written.
  ASSERT_TRUE(reader->Seek(0, 103).ok());
  ASSERT_TRUE(reader->Poll(3, std::chrono::milliseconds(0), &batch).ok());
  EXPECT_TRUE(batch.empty());
  OwnedRecords more = OwnedRecords::Make(100, 10);
  ASSERT_TRUE(writer->Append(more.records).ok());
  ASSERT_TRUE(reader->Poll(1, std::chrono::milliseconds(0), &batch).ok());
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].offset, 103);
  EXPECT_TRUE(reader->Seek(0, -1).IsInvalid());
  EXPECT_TRUE(reader->Seek(1, 0).IsInvalid());
}

TEST_F(EmbeddedLogTest, SegmentsRollAtTheConfiguredSizeAndReadBackInOrder) {
  config_.partitions = 1;
  EmbeddedLogOptions options;
  options.segment_bytes = 4096;
  OwnedRecords in = OwnedRecords::Make(0, 500, 100);
  {
    auto writer = Writer("p", options);
    for (size_t i = 0; i < 500; i += 10) {
      ASSERT_TRUE(writer->Append({in.records.data() + i, 10}).ok());
    }
  }
  const std::vector<std::string> segments = Segments(0);
  ASSERT_GT(segments.size(), 10u);
  for (const std::string& path : segments) {
    EXPECT_LE(std::filesystem::file_size(path), 4096u) << path;
  }
  // A reopened writer continues in the last segment.
  auto writer = Writer("p", options);
  OwnedRecords more = OwnedRecords::Make(500, 1);
  ASSERT_TRUE(writer->Append(more.records).ok());
  EXPECT_EQ(Segments(0).size(), segments.size());

  auto reader = Reader();
  std::vector<Received> out = ReadAvailable(*reader, 33);
  ASSERT_EQ(out.size(), 501u);
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].offset, static_cast<int64_t>(i));
    EXPECT_EQ(SequenceOf(out[i].value), static_cast<int64_t>(i));
  }
}

TEST_F(EmbeddedLogTest, LargeRecordsGrowTheReadBufferWithoutBreakingEarlierViews) {
  config_.partitions = 1;
  EmbeddedLogOptions options;
  options.read_buffer_bytes = 1;     // the smallest buffer the reader allows
  options.max_batch_bytes = 300000;  // about one large record per batch
  std::vector<std::string> values;
  for (size_t size : {10, 200000, 20, 700000, 30, 1500000, 40}) {
    values.push_back(std::string(size, static_cast<char>('a' + values.size())));
  }
  std::vector<OutgoingRecord> records;
  for (size_t i = 0; i < values.size(); ++i) {
    records.push_back({"k", values[i], static_cast<int64_t>(i)});
  }
  ASSERT_TRUE(Writer("p", options)->Append(records).ok());
  auto reader = Reader([](int32_t) { return 0; }, options);
  std::vector<Message> batch;
  size_t seen = 0;
  while (seen < values.size()) {
    ASSERT_TRUE(reader->Poll(100, std::chrono::milliseconds(0), &batch).ok());
    ASSERT_FALSE(batch.empty());
    for (const Message& m : batch) {  // every view of this poll is still intact
      EXPECT_EQ(m.offset, static_cast<int64_t>(seen));
      EXPECT_EQ(m.value, values[seen]);
      ++seen;
    }
  }
}

TEST_F(EmbeddedLogTest, StartOffsetFnIsAskedOncePerPartitionAndItsErrorIsReturned) {
  OwnedRecords in = OwnedRecords::Make(0, 90);
  ASSERT_TRUE(Writer()->Append(in.records).ok());
  std::map<int32_t, int> asked;
  auto reader = Reader([&](int32_t partition) -> Result<int64_t> {
    ++asked[partition];
    return 5;
  });
  std::vector<Received> out = ReadAvailable(*reader);
  EXPECT_EQ(asked, (std::map<int32_t, int>{{0, 1}, {1, 1}, {2, 1}}));
  EXPECT_EQ(out.size(), 90u - 15u);
  for (const Received& r : out) EXPECT_GE(r.offset, 5);

  config_.group = "other";
  auto failing = Reader([](int32_t) -> Result<int64_t> { return Status::IOError("lake down"); });
  std::vector<Message> batch;
  Status status = failing->Poll(10, std::chrono::milliseconds(0), &batch);
  EXPECT_TRUE(status.IsIOError());
  EXPECT_NE(status.message().find("lake down"), std::string::npos);
}

TEST_F(EmbeddedLogTest, CommittedOffsetsArePersistedAndUsedWithoutAStartOffsetFn) {
  OwnedRecords in = OwnedRecords::Make(0, 60);
  ASSERT_TRUE(Writer()->Append(in.records).ok());
  {
    auto reader = Reader(nullptr);
    EXPECT_EQ(ReadAvailable(*reader).size(), 60u);
    const PartitionOffset offsets[] = {{0, 4}, {2, 1}};
    ASSERT_TRUE(reader->CommitOffsets(offsets).ok());
    const PartitionOffset bad[] = {{3, 0}};
    EXPECT_TRUE(reader->CommitOffsets(bad).IsInvalid());
  }
  auto reader = Reader(nullptr);
  std::vector<Received> out = ReadAvailable(*reader);
  EXPECT_EQ(out.size(), 60u - 5u);
  for (const Received& r : out) {
    const int64_t committed = r.partition == 0 ? 4 : r.partition == 2 ? 1 : 0;
    EXPECT_GE(r.offset, committed);
  }
}

TEST_F(EmbeddedLogTest, LagIsTheRecordsBeyondThePosition) {
  EmbeddedLogOptions options;
  options.segment_bytes = 600;
  auto writer = Writer("p", options);
  auto reader = Reader();
  EXPECT_EQ(*reader->Lag(), 0);
  OwnedRecords in = OwnedRecords::Make(0, 100);
  for (size_t i = 0; i < 100; i += 5) {
    ASSERT_TRUE(writer->Append({in.records.data() + i, 5}).ok());
  }
  EXPECT_EQ(*reader->Lag(), 100);
  std::vector<Message> batch;
  ASSERT_TRUE(reader->Poll(30, std::chrono::milliseconds(0), &batch).ok());
  EXPECT_EQ(*reader->Lag(), 100 - static_cast<int64_t>(batch.size()));
  ReadAvailable(*reader);
  EXPECT_EQ(*reader->Lag(), 0);
  OwnedRecords more = OwnedRecords::Make(100, 7);
  ASSERT_TRUE(writer->Append(more.records).ok());
  EXPECT_EQ(*reader->Lag(), 7);
}

TEST_F(EmbeddedLogTest, SecondWriterOfATopicAndSecondReaderOfAGroupAreRefused) {
  auto writer = Writer();
  auto second = OpenEmbeddedWriter(config_, "another");
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("writer.lock"), std::string::npos);

  auto reader = Reader();
  auto same_group = OpenEmbeddedReader(config_, nullptr);
  ASSERT_FALSE(same_group.ok());
  EXPECT_NE(same_group.status().message().find("bronze.lock"), std::string::npos);
  config_.group = "audit";
  EXPECT_TRUE(OpenEmbeddedReader(config_, nullptr).ok());

  writer.reset();
  EXPECT_TRUE(OpenEmbeddedWriter(config_, "another").ok());
}

}  // namespace
}  // namespace pizzastream::transport::testing
