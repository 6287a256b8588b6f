#include "bronze/bronze_stage.h"

#include <arrow/api.h>
#include <arrow/util/base64.h>
#include <arrow/util/utf8.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "bronze/bronze_schema.h"
#include "lake/lakehouse.h"
#include "support/process.h"
#include "transport/open_topic.h"
#include "transport/producer.h"
#include "transport/sent_records.h"

namespace pizzastream::bronze {
namespace {

using testing::TempDir;

struct Landed {
  std::vector<std::string> reasons;
  int64_t lines = 0;
};

Landed ReadBronze(const lake::Lakehouse& lake) {
  Landed out;
  for (const char* table : {lake::tables::kBronzeOrderLines, lake::tables::kBronzeQuarantine}) {
    auto log = lake.Log(table);
    const bool lines = table == std::string(lake::tables::kBronzeOrderLines);
    for (const auto& [path, f] : log->Update().ValueOrDie()->files) {
      auto t =
          lake.ReadParquet(table, f, lines ? OrderLinesSchema() : QuarantineSchema()).ValueOrDie();
      if (table == std::string(lake::tables::kBronzeOrderLines)) {
        out.lines += t->num_rows();
        continue;
      }
      auto reasons = t->GetColumnByName("reason");
      for (const auto& chunk : reasons->chunks()) {
        const auto& a = static_cast<const arrow::StringArray&>(*chunk);
        for (int64_t i = 0; i < a.length(); ++i) out.reasons.emplace_back(a.GetView(i));
      }
    }
  }
  return out;
}

// Sends `values` to the topic, one record each, as one producer.
void Send(const transport::TransportConfig& config, const std::vector<std::string>& values,
          const std::string& producer = "test") {
  auto writer = transport::OpenTopicWriter(config, producer).ValueOrDie();
  std::vector<transport::OutgoingRecord> records;
  for (size_t i = 0; i < values.size(); ++i) {
    records.push_back({"1", values[i], static_cast<int64_t>(i)});
  }
  ASSERT_TRUE(writer->Append(records).ok());
  ASSERT_TRUE(writer->Flush().ok());
}

// One bronze step of a fresh worker.
StepResult LandOnce(const std::shared_ptr<lake::Lakehouse>& lake,
                    const transport::TransportConfig& config) {
  BronzeOptions options;
  options.transport = config;
  auto stage = BronzeStage::Open(lake, options).ValueOrDie();
  return stage->Step().ValueOrDie();
}

TEST(BronzeStage, LandsObjectsAndQuarantinesWhatIsNotAnOrderLine) {
  TempDir dir;
  transport::TransportConfig config;
  config.log_dir = dir / "log";
  Send(config,
       {
           R"({"pizza_id":"1","order_id":"1","quantity":"1"})",
           "not json at all",
           "",
           "[1,2,3]",
           R"({"_malformed":"1,2,3","_reason":"csv_field_count: expected 12 fields, got 3"})",
           R"({"pizza_id":2,"order_id":"1","quantity":true})",
           R"({"pizza_id":{"nested":1}})",
       });
  auto lake = lake::Lakehouse::Open(dir / "lake").ValueOrDie();
  auto r = LandOnce(lake, config);
  EXPECT_EQ(r.rows_in, 7);
  EXPECT_EQ(r.rows_out, 2);
  EXPECT_EQ(r.rejected, 5);
  Landed landed = ReadBronze(*lake);
  EXPECT_EQ(landed.lines, 2);
  ASSERT_EQ(landed.reasons.size(), 5u);
  EXPECT_EQ(landed.reasons[0].rfind("invalid_json", 0), 0u) << landed.reasons[0];
  EXPECT_EQ(landed.reasons[1], "empty_message");
  EXPECT_EQ(landed.reasons[2].rfind("not_a_json_object", 0), 0u) << landed.reasons[2];
  EXPECT_EQ(landed.reasons[3], "csv_field_count: expected 12 fields, got 3");
  EXPECT_EQ(landed.reasons[4].rfind("nested_value", 0), 0u) << landed.reasons[4];

  // A restarted worker resumes from the positions in the lake: nothing lands twice.
  EXPECT_EQ(LandOnce(lake, config).rows_in, 0);
  EXPECT_EQ(ReadBronze(*lake).lines, 2);
}

// A source of fixed batches.
class BatchesSource final : public sources::OrderSource {
 public:
  explicit BatchesSource(std::vector<sources::SourceBatch> batches)
      : batches_(std::move(batches)) {}
  std::string id() const override { return "test:batches"; }
  Result<bool> Next(sources::SourceBatch* out) override {
    if (next_ == batches_.size()) return false;
    *out = batches_[next_++];
    return true;
  }
  Status SkipTo(int64_t) override { return Status::OK(); }

 private:
  std::vector<sources::SourceBatch> batches_;
  size_t next_ = 0;
};

// A source batch of `rows` rows whose field c of row r is values[(r + c) % values.size()]
// (nullopt: null).
sources::SourceBatch TextBatch(int64_t rows, const std::vector<std::optional<std::string>>& values,
                               int64_t first_sequence) {
  arrow::ArrayVector columns;
  for (size_t c = 0; c < sources::kSourceColumns.size(); ++c) {
    arrow::StringBuilder b;
    for (int64_t r = 0; r < rows; ++r) {
      const auto& v = values[(static_cast<size_t>(r) + c) % values.size()];
      EXPECT_TRUE((v ? b.Append(*v) : b.AppendNull()).ok());
    }
    columns.push_back(b.Finish().ValueOrDie());
  }
  sources::SourceBatch batch;
  batch.records = arrow::RecordBatch::Make(sources::SourceSchema(), rows, columns);
  batch.first_sequence = first_sequence;
  return batch;
}

// Both bronze tables, without the ingest time (the only column a second landing changes).
std::vector<std::shared_ptr<arrow::Table>> BronzeTables(const lake::Lakehouse& lake) {
  std::vector<std::shared_ptr<arrow::Table>> out;
  for (const char* table : {lake::tables::kBronzeOrderLines, lake::tables::kBronzeQuarantine}) {
    const bool lines = table == std::string(lake::tables::kBronzeOrderLines);
    std::vector<std::shared_ptr<arrow::Table>> parts;
    auto log = lake.Log(table);
    for (const auto& [path, f] : log->Update().ValueOrDie()->files) {
      parts.push_back(
          lake.ReadParquet(table, f, lines ? OrderLinesSchema() : QuarantineSchema()).ValueOrDie());
    }
    auto all = arrow::ConcatenateTables(parts).ValueOrDie();
    out.push_back(all->RemoveColumn(all->schema()->GetFieldIndex("ingest_time")).ValueOrDie());
  }
  return out;
}

// In `run`, bronze takes the records its producer sent from their source rows instead of
// parsing their JSON (transport/sent_records.h): it must land exactly what parsing lands, for
// text that needs escapes, control characters and NUL, text beyond ASCII, empty and absent
// fields, text that is not UTF-8 (quarantined) and lines the source could not split.
TEST(BronzeStage, LandsARecordTakenFromItsSourceRowAsItsJsonWouldLand) {
  const std::vector<std::optional<std::string>> values = {"plain",
                                                          "with \"quotes\"",
                                                          "back\\slash",
                                                          "line\nfeed\ttab\rreturn",
                                                          std::string("nul\0byte", 8),
                                                          "\x01\x1f"
                                                          " controls",
                                                          "pizza \xf0\x9f\x8d\x95",
                                                          "\xc3\x91"
                                                          "duja",
                                                          "",
                                                          std::nullopt,
                                                          "\x7f del",
                                                          "\xe2\x82\xac 3",
                                                          "a/slash",
                                                          "{\"json\":1}"};
  std::vector<sources::SourceBatch> batches = {TextBatch(300, values, 0)};
  // Then a row that is not UTF-8 (a Latin-1 byte in its first field), a line the source could
  // not split, and a plain row.
  std::vector<std::optional<std::string>> one_latin1(14, "fine");
  one_latin1[0] = "Caf\xe9";
  sources::SourceBatch mixed = TextBatch(2, one_latin1, 0);
  mixed.sequences = {300, 302};
  mixed.malformed.push_back({301, "1,2,3", "csv_field_count: expected 12 fields, got 3"});
  batches.push_back(mixed);

  std::vector<std::vector<std::shared_ptr<arrow::Table>>> landed;
  for (bool from_rows : {false, true}) {
    TempDir dir;
    transport::TransportConfig config;
    config.log_dir = dir / "log";
    config.partitions = 2;
    if (from_rows) {
      config.sent_records =
          std::make_shared<transport::SentRecords>(1 << 20, std::chrono::milliseconds(0));
    }
    {
      auto writer = transport::OpenTopicWriter(config, "test").ValueOrDie();
      BatchesSource source(batches);
      transport::ProducerOptions options;
      options.sent_records = config.sent_records;
      std::atomic<bool> stop{false};
      transport::ProducerProgress progress;
      ASSERT_TRUE(transport::RunProducer(source, *writer, options, stop, nullptr, &progress).ok());
      EXPECT_EQ(progress.sent, 303);
    }
    auto lake = lake::Lakehouse::Open(dir / "lake").ValueOrDie();
    auto r = LandOnce(lake, config);
    EXPECT_EQ(r.rows_in, 303);
    EXPECT_EQ(r.rejected, 2);
    if (from_rows) {
      const auto figures = config.sent_records->figures();
      EXPECT_EQ(figures.given, 300);  // the first batch's rows, from their rows
      EXPECT_EQ(figures.refused, 2);  // the second batch's: one of them is not UTF-8
    }
    landed.push_back(BronzeTables(*lake));
  }
  for (size_t t = 0; t < 2; ++t) {
    EXPECT_EQ(landed[0][t]->num_rows(), t == 0 ? 301 : 2);
    EXPECT_TRUE(landed[0][t]->Equals(*landed[1][t])) << landed[0][t]->ToString() << "\n"
                                                     << landed[1][t]->ToString();
  }
}

TEST(BronzeStage, QuarantinesAMessageThatIsNotUtf8LosslesslyAsValidText) {
  TempDir dir;
  transport::TransportConfig config;
  config.log_dir = dir / "log";
  // A Latin-1 byte inside an otherwise valid order line, and an invalid UTF-8 lead byte alone.
  const std::string latin1 = "{\"pizza_id\":\"1\",\"pizza_name\":\"Caf\xe9\"}";
  const std::string lone = std::string("\xc3(", 2);
  Send(config, {latin1, R"({"pizza_id":"2"})", lone});
  auto lake = lake::Lakehouse::Open(dir / "lake").ValueOrDie();
  auto r = LandOnce(lake, config);
  EXPECT_EQ(r.rows_out, 1);
  EXPECT_EQ(r.rejected, 2);

  auto log = lake->Log(lake::tables::kBronzeQuarantine);
  std::vector<std::string> payloads, reasons;
  for (const auto& [path, f] : log->Update().ValueOrDie()->files) {
    auto t = lake->ReadParquet(lake::tables::kBronzeQuarantine, f, QuarantineSchema()).ValueOrDie();
    auto batch = t->CombineChunksToBatch().ValueOrDie();
    const auto& raw =
        static_cast<const arrow::StringArray&>(*batch->GetColumnByName("raw_payload"));
    const auto& why = static_cast<const arrow::StringArray&>(*batch->GetColumnByName("reason"));
    ASSERT_TRUE(raw.ValidateFull().ok());  // every string in the column is UTF-8
    for (int64_t i = 0; i < batch->num_rows(); ++i) {
      payloads.emplace_back(raw.GetView(i));
      reasons.emplace_back(why.GetView(i));
    }
  }
  ASSERT_EQ(payloads.size(), 2u);
  EXPECT_EQ(reasons[0].rfind("invalid_utf8", 0), 0u) << reasons[0];
  EXPECT_NE(reasons[0].find("base64"), std::string::npos) << reasons[0];
  EXPECT_EQ(arrow::util::base64_decode(payloads[0]).ValueOrDie(), latin1);
  EXPECT_EQ(arrow::util::base64_decode(payloads[1]).ValueOrDie(), lone);
}

// A backlog lands in one commit per step, gathered over several polls, up to max_step_records;
// a step's quarantined records are kept across its polls, and the file's stats are those of
// all its lines.
// A first poll that is not full but brings a backlog's worth of records (bronze keeping up with
// a fast producer) makes the step go on gathering what arrives after it, up to the step's size:
// one file, not a file per poll.
TEST(BronzeStage, AStepGathersWhatArrivesAfterAFirstPollThatBroughtABacklog) {
  TempDir dir;
  transport::TransportConfig config;
  config.log_dir = dir / "log";
  auto line = [](int64_t i) { return R"({"order_details_id":")" + std::to_string(i) + R"("})"; };
  std::vector<std::string> first;
  for (int64_t i = 1; i <= 40; ++i) first.push_back(line(i));
  Send(config, first, "first");
  auto lake = lake::Lakehouse::Open(dir / "lake").ValueOrDie();
  BronzeOptions options;
  options.transport = config;
  options.max_batch = 5000;                   // polls are never full here
  options.backlog_records = 10;               // but the first one brings a backlog
  options.max_step_records = 1000;            // the step ends once it holds 1,000
  options.linger = std::chrono::seconds(60);  // bounds the test only if nothing arrives
  options.gather_poll_timeout = std::chrono::seconds(60);  // however slow the producer is
  auto stage = BronzeStage::Open(lake, options).ValueOrDie();
  // A producer sending ten records at a time while the step runs.
  std::atomic<bool> stepped = false;
  std::thread producer([&] {
    auto writer = transport::OpenTopicWriter(config, "second").ValueOrDie();
    for (int64_t seq = 0; !stepped; seq += 10) {
      std::vector<std::string> texts;  // records are views of these
      for (int64_t i = seq; i < seq + 10; ++i) texts.push_back(line(41 + i));
      std::vector<transport::OutgoingRecord> records;
      for (int64_t i = 0; i < 10; ++i) records.push_back({"1", texts[i], seq + i});
      ASSERT_TRUE(writer->Append(records).ok());
      ASSERT_TRUE(writer->Flush().ok());
    }
  });
  auto r = stage->Step();
  stepped = true;
  producer.join();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows_in, 1000);
  auto log = lake->Log(lake::tables::kBronzeOrderLines);
  EXPECT_EQ(log->Update().ValueOrDie()->files.size(), 1u);
}

TEST(BronzeStage, ABacklogLandsInOneFilePerStepAcrossPolls) {
  TempDir dir;
  transport::TransportConfig config;
  config.log_dir = dir / "log";
  std::vector<std::string> values;
  for (int i = 1; i <= 250; ++i) {
    values.push_back(i % 50 == 0 ? std::string("not json")
                                 : R"({"order_details_id":")" + std::to_string(i) + R"("})");
  }
  Send(config, values);
  auto lake = lake::Lakehouse::Open(dir / "lake").ValueOrDie();
  BronzeOptions options;
  options.transport = config;
  options.max_batch = 40;          // records per poll
  options.max_step_records = 100;  // per commit
  auto stage = BronzeStage::Open(lake, options).ValueOrDie();
  const std::vector<int64_t> expected_in = {100, 100, 50};
  for (int64_t in : expected_in) {
    auto r = stage->Step().ValueOrDie();
    EXPECT_EQ(r.rows_in, in);
    EXPECT_EQ(r.rejected, in / 50);
    EXPECT_EQ(r.rows_out, in - in / 50);
  }
  EXPECT_EQ(stage->Step().ValueOrDie().rows_in, 0);

  auto log = lake->Log(lake::tables::kBronzeOrderLines);
  const lake::Snapshot* snapshot = log->Update().ValueOrDie();
  ASSERT_EQ(snapshot->files.size(), 3u);
  std::vector<std::pair<std::string, std::string>> ranges;
  int64_t lines = 0;
  for (const auto& [path, f] : snapshot->files) {
    const auto stats = nlohmann::json::parse(f.stats);
    EXPECT_EQ(stats["numRecords"], f.num_records);
    const auto t = lake->ReadParquet(lake::tables::kBronzeOrderLines, f, OrderLinesSchema())
                       .ValueOrDie()
                       ->CombineChunksToBatch()
                       .ValueOrDie();
    EXPECT_EQ(t->num_rows(), f.num_records);
    lines += t->num_rows();
    // The offsets the file holds, from its stats and from its rows.
    const auto& offsets =
        static_cast<const arrow::Int64Array&>(*t->GetColumnByName("source_offset"));
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (int64_t i = 0; i < offsets.length(); ++i) {
      lo = std::min(lo, offsets.Value(i));
      hi = std::max(hi, offsets.Value(i));
    }
    EXPECT_EQ(stats["minValues"]["source_offset"], lo) << f.stats;
    EXPECT_EQ(stats["maxValues"]["source_offset"], hi) << f.stats;
  }
  EXPECT_EQ(lines, 245);
  EXPECT_EQ(ReadBronze(*lake).reasons.size(), 5u);
}

}  // namespace
}  // namespace pizzastream::bronze
