// The embedded log after crashes and replays: torn tails are cut, corrupt bytes are reported,
// and a producer that replays its source writes every record exactly once.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "transport/embedded_log.h"
#include "transport/embedded_log_format.h"
#include "transport/embedded_log_test_util.h"

namespace pizzastream::transport::testing {
namespace {

namespace fs = std::filesystem;

using EmbeddedLogRecoveryTest = EmbeddedLogTest;

// Writes `records` as `producer`, `chunk` per Append, in a child process that then dies without
// a final fsync or producer snapshot.
int AppendAndCrash(const TransportConfig& config, const std::string& producer,
                   std::span<const OutgoingRecord> records, size_t chunk = 1000,
                   EmbeddedLogOptions options = {}) {
  return RunInDyingChild([&] {
    auto writer = OpenEmbeddedWriter(config, producer, options);
    if (!writer.ok()) return 1;
    for (size_t i = 0; i < records.size(); i += chunk) {
      if (!(*writer)->Append(records.subspan(i, std::min(chunk, records.size() - i))).ok()) {
        return 2;
      }
    }
    (void)writer->release();  // no destructor: the process just ends
    return 0;
  });
}

void AppendBytes(const std::string& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary | std::ios::app).write(bytes.data(), bytes.size());
}

std::set<int64_t> Sequences(const std::vector<Received>& received) {
  std::set<int64_t> sequences;
  for (const Received& r : received) {
    EXPECT_TRUE(sequences.insert(SequenceOf(r.value)).second) << "twice: " << r.value;
  }
  return sequences;
}

std::set<int64_t> Range(int64_t first, int64_t end) {
  std::set<int64_t> out;
  for (int64_t s = first; s < end; ++s) out.insert(s);
  return out;
}

// min over partitions of (highest sequence there + 1), 0 for a partition without records.
int64_t ExpectedResume(const OwnedRecords& written, int partitions) {
  std::vector<int64_t> next(partitions, 0);
  for (const OutgoingRecord& r : written.records) {
    int64_t& n = next[EmbeddedLogPartition(r.key, partitions)];
    n = std::max(n, r.sequence + 1);
  }
  return *std::min_element(next.begin(), next.end());
}

// Overwrites `bytes` at `pos` of `path`.
void Overwrite(const std::string& path, std::streamoff pos, std::string_view bytes) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(pos);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Byte positions of the batches of a segment, from their headers.
std::vector<int64_t> BatchStarts(const std::string& segment) {
  const std::string bytes = ReadBytes(segment);
  std::vector<int64_t> starts;
  for (size_t pos = 0; pos + embedded_log::kBatchHeaderBytes <= bytes.size();) {
    embedded_log::BatchHeader header;
    if (!embedded_log::DecodeBatchHeader(bytes.data() + pos, &header).empty()) break;
    starts.push_back(static_cast<int64_t>(pos));
    pos += header.batch_bytes();
  }
  return starts;
}

TEST_F(EmbeddedLogRecoveryTest, DamageInTheMiddleOfTheLogIsAnErrorNotATornTail) {
  // After a crash there is no recovery point at the end: every batch is checked. A flipped byte
  // with intact batches after it must not be cut as an unfinished write.
  config_.partitions = 1;
  OwnedRecords in = OwnedRecords::Make(0, 100);
  ASSERT_EQ(AppendAndCrash(config_, "p", in.records, 10), 0);
  const std::string segment = Segments(0).back();
  const std::vector<int64_t> starts = BatchStarts(segment);
  ASSERT_EQ(starts.size(), 10u);
  const auto size = std::filesystem::file_size(segment);
  for (const auto& [where, what] :
       {std::pair<int64_t, std::string>{starts[4] + 70, "checksum"},         // a digit in a payload
        std::pair<int64_t, std::string>{starts[4], "magic"},                 // a batch header
        std::pair<int64_t, std::string>{starts[4] + 54, "past the end"}}) {  // its length field
    const std::string before = ReadBytes(segment);
    std::filesystem::remove(PartitionDir(0) + "/producers.snapshot");  // as after a crash
    Overwrite(segment, where, "#");
    for (int attempt = 0; attempt < 2; ++attempt) {  // the failed open changed nothing
      auto writer = OpenEmbeddedWriter(config_, "p");
      ASSERT_FALSE(writer.ok()) << what;
      EXPECT_TRUE(writer.status().IsIOError());
      const std::string message = writer.status().message();
      EXPECT_NE(message.find(segment), std::string::npos) << message;
      EXPECT_NE(message.find("at byte " + std::to_string(starts[4])), std::string::npos) << message;
      EXPECT_NE(message.find(what), std::string::npos) << message;
      EXPECT_EQ(std::filesystem::file_size(segment), size);
    }
    Overwrite(segment, 0, before);  // repaired: the log is whole again
    auto writer = Writer("p");
    ASSERT_NE(writer, nullptr);
    EXPECT_EQ(*writer->ResumeSequence(), 100);
  }
}

TEST_F(EmbeddedLogRecoveryTest, AHoleOfZerosBeforeSurvivingDataIsATornTail) {
  // A power loss can keep later pages of an unsynced tail and lose earlier ones (zeros).
  config_.partitions = 1;
  OwnedRecords in = OwnedRecords::Make(0, 50);
  ASSERT_EQ(AppendAndCrash(config_, "p", in.records, 10), 0);
  const std::string segment = Segments(0).back();
  const std::vector<int64_t> starts = BatchStarts(segment);
  ASSERT_EQ(starts.size(), 5u);
  Overwrite(segment, starts[3], std::string(starts[4] - starts[3], '\0'));
  auto writer = Writer("p");
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(segment)), starts[3]);
  EXPECT_EQ(*writer->ResumeSequence(), 30);
}

TEST_F(EmbeddedLogRecoveryTest, AFailedOpenLeavesTheRecoveryStateAlone) {
  // A cleanly closed log has its recovery point at the end; damage before it fails the open.
  // The failed writer must not rewrite the producer snapshot: that would make the next open
  // check the damaged batch as if it were unsynced and cut it, with everything after it.
  config_.partitions = 2;
  OwnedRecords in = OwnedRecords::Make(0, 200);
  {
    auto writer = Writer("p");
    for (size_t i = 0; i < 200; i += 20) {
      ASSERT_TRUE(writer->Append({in.records.data() + i, 20}).ok());
    }
  }
  const std::string segment = Segments(0).back();
  const std::vector<int64_t> starts = BatchStarts(segment);
  ASSERT_GT(starts.size(), 3u);
  const auto size = std::filesystem::file_size(segment);
  Overwrite(segment, starts[2], "#");
  std::vector<std::string> snapshots;
  for (int p = 0; p < 2; ++p)
    snapshots.push_back(ReadBytes(PartitionDir(p) + "/producers.snapshot"));
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto writer = OpenEmbeddedWriter(config_, "p");
    ASSERT_FALSE(writer.ok());
    EXPECT_NE(writer.status().message().find(segment), std::string::npos)
        << writer.status().ToString();
    for (int p = 0; p < 2; ++p) {
      EXPECT_EQ(ReadBytes(PartitionDir(p) + "/producers.snapshot"), snapshots[p]) << p;
    }
    EXPECT_EQ(std::filesystem::file_size(segment), size);
  }
  EXPECT_FALSE(std::filesystem::exists("/producers.snapshot.tmp"));
}

TEST_F(EmbeddedLogRecoveryTest, ReplayedSequencesAreDroppedAcrossWriterRestarts) {
  OwnedRecords all = OwnedRecords::Make(0, 300);
  ASSERT_TRUE(Writer("csv:a")->Append({all.records.data(), 100}).ok());
  auto writer = Writer("csv:a");
  ASSERT_TRUE(writer->Append(all.records).ok());
  EXPECT_EQ(writer->delivered(), 200);
  ASSERT_TRUE(writer->Append(all.records).ok());
  EXPECT_EQ(writer->delivered(), 200);
  writer.reset();

  auto reader = Reader();
  EXPECT_EQ(Sequences(ReadAvailable(*reader)), Range(0, 300));
}

TEST_F(EmbeddedLogRecoveryTest, ReplayedSequencesAreDroppedAfterACrash) {
  config_.partitions = 1;
  OwnedRecords all = OwnedRecords::Make(0, 500);
  ASSERT_EQ(AppendAndCrash(config_, "csv:a", {all.records.data(), 350}, 50), 0);
  auto writer = Writer("csv:a");
  EXPECT_EQ(*writer->ResumeSequence(), 350);
  ASSERT_TRUE(writer->Append(all.records).ok());
  EXPECT_EQ(writer->delivered(), 150);
  writer.reset();
  auto reader = Reader();
  EXPECT_EQ(Sequences(ReadAvailable(*reader)), Range(0, 500));
}

TEST_F(EmbeddedLogRecoveryTest, AnotherProducerIsNotDeduplicatedAgainstThisOne) {
  OwnedRecords in = OwnedRecords::Make(0, 50);
  ASSERT_TRUE(Writer("csv:a")->Append(in.records).ok());
  auto other = Writer("gen:b");
  EXPECT_EQ(*other->ResumeSequence(), 0);
  ASSERT_TRUE(other->Append(in.records).ok());
  EXPECT_EQ(other->delivered(), 50);
  other.reset();
  auto reader = Reader();
  EXPECT_EQ(ReadAvailable(*reader).size(), 100u);
}

TEST_F(EmbeddedLogRecoveryTest, ResumeSequenceIsTheFirstSequenceMissingFromSomePartition) {
  auto writer = Writer();
  EXPECT_EQ(*writer->ResumeSequence(), 0);
  OwnedRecords first = OwnedRecords::Make(0, 100);
  ASSERT_TRUE(writer->Append(first.records).ok());
  const int64_t after_first = ExpectedResume(first, 3);
  EXPECT_GT(after_first, 50);  // every partition got records
  EXPECT_EQ(*writer->ResumeSequence(), after_first);

  // Sequences that all land in partition 0 move only its high mark.
  OwnedRecords later = OwnedRecords::Make(100, 60);
  OwnedRecords only_zero;
  for (const OutgoingRecord& r : later.records) {
    if (EmbeddedLogPartition(r.key, 3) == 0) only_zero.records.push_back(r);
  }
  ASSERT_TRUE(writer->Append(only_zero.records).ok());
  EXPECT_EQ(*writer->ResumeSequence(), after_first);
  writer.reset();

  EXPECT_EQ(*Writer()->ResumeSequence(), after_first);
  for (int p = 0; p < 3; ++p) fs::remove(PartitionDir(p) + "/producers.snapshot");
  EXPECT_EQ(*Writer()->ResumeSequence(), after_first);
  EXPECT_EQ(*Writer("someone else")->ResumeSequence(), 0);
}

TEST_F(EmbeddedLogRecoveryTest, ProducerStateSurvivesACrashAfterSegmentsRolled) {
  config_.partitions = 1;
  EmbeddedLogOptions options;
  options.segment_bytes = 2000;
  OwnedRecords in = OwnedRecords::Make(0, 200);
  {
    auto a = Writer("a", options);
    for (size_t i = 0; i < 100; i += 10) {
      ASSERT_TRUE(a->Append({in.records.data() + i, 10}).ok());
    }
  }
  // "b" writes after "a", rolling segments, so "a"'s last batch ends up in an older segment.
  ASSERT_EQ(AppendAndCrash(config_, "b", in.records, 10, options), 0);
  ASSERT_GT(Segments(0).size(), 5u);
  for (bool snapshot : {true, false}) {
    if (!snapshot) fs::remove(PartitionDir(0) + "/producers.snapshot");
    EXPECT_EQ(*Writer("a", options)->ResumeSequence(), 100) << snapshot;
    EXPECT_EQ(*Writer("b", options)->ResumeSequence(), 200) << snapshot;
  }
  auto a = Writer("a", options);
  ASSERT_TRUE(a->Append({in.records.data(), 150}).ok());
  EXPECT_EQ(a->delivered(), 50);
}

TEST_F(EmbeddedLogRecoveryTest, DamagedProducerSnapshotIsIgnored) {
  OwnedRecords in = OwnedRecords::Make(0, 60);
  ASSERT_TRUE(Writer()->Append(in.records).ok());
  for (int p = 0; p < 3; ++p) {
    std::ofstream(PartitionDir(p) + "/producers.snapshot") << "pizzastream-producers 1\nvalid_to";
  }
  auto writer = Writer();
  EXPECT_EQ(*writer->ResumeSequence(), ExpectedResume(in, 3));
  ASSERT_TRUE(writer->Append(in.records).ok());
  EXPECT_EQ(writer->delivered(), 0);
}

TEST_F(EmbeddedLogRecoveryTest, TornTailIsCutWhenTheNextWriterOpens) {
  config_.partitions = 1;
  OwnedRecords in = OwnedRecords::Make(0, 20);
  ASSERT_EQ(AppendAndCrash(config_, "p", {in.records.data(), 10}), 0);
  const std::string segment = Segments(0).back();
  const auto whole = fs::file_size(segment);
  ASSERT_EQ(AppendAndCrash(config_, "p", {in.records.data() + 10, 10}), 0);
  fs::resize_file(segment, whole + (fs::file_size(segment) - whole) / 2);  // half a batch

  auto reader = Reader();
  EXPECT_EQ(Sequences(ReadAvailable(*reader)), Range(0, 10));  // the half batch waits
  auto writer = Writer("p");
  EXPECT_EQ(fs::file_size(segment), whole);
  EXPECT_EQ(*writer->ResumeSequence(), 10);
  ASSERT_TRUE(writer->Append(in.records).ok());
  EXPECT_EQ(writer->delivered(), 10);
  std::vector<Received> rest = ReadAvailable(*reader);
  EXPECT_EQ(Sequences(rest), Range(10, 20));
  for (size_t i = 0; i < rest.size(); ++i) EXPECT_EQ(rest[i].offset, 10 + int64_t(i));
}

TEST_F(EmbeddedLogRecoveryTest, LostWritesInAnOlderSegmentCutTheLogThereAndDropLaterSegments) {
  // A power loss before any Flush can lose the end of a segment while later segments survive.
  config_.partitions = 1;
  EmbeddedLogOptions options;
  options.segment_bytes = 2000;
  OwnedRecords in = OwnedRecords::Make(0, 200);
  ASSERT_EQ(AppendAndCrash(config_, "p", in.records, 10, options), 0);
  std::vector<std::string> segments = Segments(0);
  ASSERT_GT(segments.size(), 5u);
  const std::string damaged = segments[2];
  const auto size = fs::file_size(damaged);
  fs::resize_file(damaged, size - 100);  // the last batch of segment 2 is cut short

  auto writer = Writer("p", options);
  EXPECT_EQ(Segments(0), std::vector<std::string>(segments.begin(), segments.begin() + 3));
  EXPECT_LT(fs::file_size(damaged), size - 100);
  const int64_t resume = *writer->ResumeSequence();
  // One partition and one batch of 10 per Append: the cut batch held the 10 records before
  // the first offset of segment 3.
  EXPECT_EQ(resume, std::stoll(fs::path(segments[3]).stem().string()) - 10);
  ASSERT_TRUE(writer->Append(in.records).ok());
  EXPECT_EQ(writer->delivered(), 200 - resume);
  writer.reset();
  auto reader = Reader();
  std::vector<Received> out = ReadAvailable(*reader);
  EXPECT_EQ(Sequences(out), Range(0, 200));
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].offset, static_cast<int64_t>(i));
}

TEST_F(EmbeddedLogRecoveryTest, GarbageAfterTheLastBatchIsReportedByReadersAndCutByWriters) {
  config_.partitions = 1;
  OwnedRecords in = OwnedRecords::Make(0, 20);
  for (const std::string& garbage :
       {std::string("what a crash can leave behind at the end of a segment file.........."),
        std::string(4096, '\0')}) {
    ASSERT_EQ(AppendAndCrash(config_, "p", {in.records.data(), 10}), 0);
    const std::string segment = Segments(0).back();
    const auto whole = fs::file_size(segment);
    AppendBytes(segment, garbage);
    {
      auto reader = Reader();
      std::vector<Message> batch;
      Status status = reader->Poll(100, std::chrono::milliseconds(0), &batch);
      EXPECT_TRUE(status.IsIOError());
      EXPECT_NE(status.message().find(segment), std::string::npos) << status.ToString();
    }
    auto writer = Writer("p");
    EXPECT_EQ(fs::file_size(segment), whole);
    ASSERT_TRUE(writer->Append(in.records).ok());
    writer.reset();
    auto reader = Reader();
    EXPECT_EQ(Sequences(ReadAvailable(*reader)), Range(0, 20));
    fs::remove_all(config_.log_dir);
  }
}

TEST_F(EmbeddedLogRecoveryTest, BatchStillBeingWrittenIsReturnedOnlyOnceComplete) {
  config_.partitions = 1;
  OwnedRecords in = OwnedRecords::Make(0, 8);
  ASSERT_TRUE(Writer("p")->Append({in.records.data(), 5}).ok());
  // The next batch as a writer in another process would write it, arriving in three pieces.
  std::string batch(embedded_log::kBatchHeaderBytes, '\0');
  embedded_log::BatchHeader header;
  header.base_offset = 5;
  header.record_count = 3;
  for (size_t i = 5; i < 8; ++i) {
    embedded_log::AppendRecord(in.records[i].key, in.records[i].value, &batch);
  }
  header.payload_bytes = static_cast<uint32_t>(batch.size() - embedded_log::kBatchHeaderBytes);
  embedded_log::SealBatch(header, batch.data());
  const std::string segment = Segments(0).back();

  auto reader = Reader();
  EXPECT_EQ(ReadAvailable(*reader).size(), 5u);
  AppendBytes(segment, batch.substr(0, 30));
  EXPECT_TRUE(ReadAvailable(*reader).empty());
  AppendBytes(segment, batch.substr(30, 40));
  EXPECT_TRUE(ReadAvailable(*reader).empty());
  AppendBytes(segment, batch.substr(70));
  std::vector<Received> rest = ReadAvailable(*reader);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].offset, 5);
  EXPECT_EQ(rest[2].value, in.values[7]);
}

TEST_F(EmbeddedLogRecoveryTest, CorruptBatchIsReportedAndSyncedDataIsNotCut) {
  config_.partitions = 1;
  OwnedRecords in = OwnedRecords::Make(0, 30);
  {
    auto writer = Writer("p");
    for (size_t i = 0; i < 30; i += 10) {
      ASSERT_TRUE(writer->Append({in.records.data() + i, 10}).ok());
    }
  }
  const std::string segment = Segments(0).back();
  const auto size = fs::file_size(segment);
  {
    std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(size / 2));
    file.put('#');
  }
  auto reader = Reader();
  std::vector<Message> batch;
  Status status = reader->Poll(100, std::chrono::milliseconds(0), &batch);
  EXPECT_TRUE(status.IsIOError());
  EXPECT_NE(status.message().find(segment), std::string::npos) << status.ToString();
  EXPECT_NE(status.message().find("checksum"), std::string::npos) << status.ToString();
  EXPECT_TRUE(Writer("p") != nullptr);
  EXPECT_EQ(fs::file_size(segment), size);
}

}  // namespace
}  // namespace pizzastream::transport::testing
