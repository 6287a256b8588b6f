#include "bronze/bronze_stage.h"

#include <arrow/builder.h>
#include <arrow/util/base64.h>
#include <arrow/util/utf8.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>

#include "bronze/bronze_record.h"
#include "bronze/bronze_schema.h"
#include "bronze/order_line_rows.h"
#include "bronze/position_columns.h"
#include "core/clock.h"
#include "lake/compaction.h"
#include "lake/streamed_file.h"
#include "sources/order_source.h"

namespace pizzastream::bronze {

namespace {

constexpr std::string_view kNotUtf8Reason =
    "invalid_utf8: the message is not UTF-8; raw_payload holds its bytes in base64";

}  // namespace

// Column builders, reused from step to step: the order lines of one poll (written to the
// step's file after each poll), the quarantined records of the whole step (rare; written at
// its end).
class BronzeStage::Batch {
 public:
  Batch() { Reset(); }

  void Reset() {
    lines_.Reset();
    q_raw_.Reset();
    q_reason_.Reset();
    q_pos_.Reset();
  }

  Status AddLine(const DecodedRecord& d, const transport::Message& m, int64_t now,
                 std::string_view topic) {
    return lines_.Add(d.fields, d.present, now, topic, m.partition, m.offset);
  }

  // raw_payload is the message as received, or, when it is not UTF-8 (Parquet readers reject
  // such strings), its bytes in base64 with a reason that says so: lossless either way.
  Status AddQuarantine(std::string_view reason, const transport::Message& m, int64_t now,
                       std::string_view topic) {
    if (arrow::util::ValidateUTF8(m.value)) {
      ARROW_RETURN_NOT_OK(q_raw_.Append(m.value));
      ARROW_RETURN_NOT_OK(q_reason_.Append(reason));
    } else {
      ARROW_RETURN_NOT_OK(q_raw_.Append(arrow::util::base64_encode(m.value)));
      ARROW_RETURN_NOT_OK(
          q_reason_.Append(std::string(kNotUtf8Reason).append(" (").append(reason).append(")")));
    }
    return q_pos_.Add(now, topic, m.partition, m.offset);
  }

  // Room for `rows` more order lines, reserved once per step; their messages hold `bytes`.
  Status ReserveLines(int64_t rows, int64_t bytes) { return lines_.Reserve(rows, bytes); }
  int64_t quarantined() const { return q_pos_.rows(); }

  Result<std::shared_ptr<arrow::RecordBatch>> FinishLines() { return lines_.Finish(); }

  Result<std::shared_ptr<arrow::RecordBatch>> FinishQuarantine() {
    arrow::ArrayVector cols;
    ARROW_ASSIGN_OR_RAISE(auto raw, q_raw_.Finish());
    ARROW_ASSIGN_OR_RAISE(auto reason, q_reason_.Finish());
    cols = {raw, reason};
    ARROW_RETURN_NOT_OK(q_pos_.Finish(&cols));
    return arrow::RecordBatch::Make(QuarantineSchema(), raw->length(), cols);
  }

 private:
  OrderLineRows lines_;
  arrow::StringBuilder q_raw_, q_reason_;
  PositionColumns q_pos_;
};

BronzeStage::BronzeStage(std::shared_ptr<lake::Lakehouse> lake, BronzeOptions options)
    : lake_(std::move(lake)),
      options_(std::move(options)),
      lines_log_(lake_->Log(lake::tables::kBronzeOrderLines)),
      quarantine_log_(lake_->Log(lake::tables::kBronzeQuarantine)),
      batch_(std::make_unique<Batch>()) {
  arrow::util::InitializeUTF8();
}

BronzeStage::~BronzeStage() {
  // The reader first: closing a Kafka consumer can still run a rebalance, and it must find
  // every member it may touch alive.
  reader_.reset();
}

Result<std::unique_ptr<BronzeStage>> BronzeStage::Open(std::shared_ptr<lake::Lakehouse> lake,
                                                       BronzeOptions options) {
  std::unique_ptr<BronzeStage> stage(new BronzeStage(std::move(lake), std::move(options)));
  ARROW_RETURN_NOT_OK(stage->lines_log_->CreateIfMissing(OrderLinesSchema()));
  ARROW_RETURN_NOT_OK(stage->quarantine_log_->CreateIfMissing(QuarantineSchema()));
  BronzeStage* self = stage.get();
  ARROW_ASSIGN_OR_RAISE(stage->reader_,
                        transport::OpenTopicReader(stage->options_.transport, [self](int32_t p) {
                          return self->StartOffset(p);
                        }));
  return stage;
}

Result<int64_t> BronzeStage::StartOffset(int32_t partition) {
  const std::string app = PositionAppId(options_.transport.topic, partition);
  ARROW_ASSIGN_OR_RAISE(auto lines, lines_log_->Update());
  ARROW_ASSIGN_OR_RAISE(auto quarantine, quarantine_log_->Update());
  auto lookup = [&](const lake::Snapshot* s) {
    auto it = s->txns.find(app);
    return it == s->txns.end() ? int64_t{-1} : it->second;
  };
  lines_expected_[app] = lookup(lines);
  quarantine_expected_[app] = lookup(quarantine);
  return std::max<int64_t>(0, lines_expected_[app]);
}

Status BronzeStage::Resync() {
  for (int32_t p : reader_->Assignment()) {
    ARROW_ASSIGN_OR_RAISE(int64_t offset, StartOffset(p));
    ARROW_RETURN_NOT_OK(reader_->Seek(p, offset));
  }
  return Status::OK();
}

Result<StepResult> BronzeStage::Step() {
  StepResult result;
  if (resync_needed_) {
    ARROW_RETURN_NOT_OK(Resync());
    resync_needed_ = false;
  }
  Partitions partitions;
  lake::StreamedFile lines(*lake_, lake::tables::kBronzeOrderLines, OrderLinesSchema(),
                           OrderLinesParquetHints());
  auto polled = PollAndWrite(&partitions, &lines);
  if (!polled.ok()) {
    // The reader may be past what the lake holds: the next step starts from the lake's positions.
    resync_needed_ = true;
    return polled.status();
  }
  if (*polled == 0) return result;
  result.rows_in = *polled;
  result.rejected = batch_->quarantined();
  result.rows_out = lines.rows();
  const Status st = CommitBatch(partitions, &lines);
  if (st.IsCancelled()) {  // another worker committed these partitions: re-read our positions
    spdlog::warn("bronze: {}; resuming from the lake's positions", st.message());
    ARROW_RETURN_NOT_OK(Resync());
    return StepResult{};
  }
  if (!st.ok()) {  // e.g. the lake's store is unreachable: retried from the lake's positions
    resync_needed_ = true;
    return st;
  }
  std::vector<transport::PartitionOffset> offsets;
  for (const auto& [partition, state] : partitions) offsets.push_back({partition, state.next});
  if (auto cs = reader_->CommitOffsets(offsets); !cs.ok()) {
    spdlog::warn("bronze: could not record consumer offsets: {}", cs.message());
  }
  return result;
}

Result<int64_t> BronzeStage::PollAndWrite(Partitions* partitions, lake::StreamedFile* lines) {
  batch_->Reset();
  int64_t polled = 0;
  auto timeout = options_.poll_timeout;
  std::chrono::steady_clock::time_point deadline;
  while (true) {
    const size_t room = std::min<size_t>(
        options_.max_batch,
        static_cast<size_t>(std::max<int64_t>(options_.max_step_records - polled, 1)));
    ARROW_RETURN_NOT_OK(reader_->Poll(room, timeout, &messages_));
    if (messages_.empty()) return polled;
    const bool first = polled == 0;
    polled += static_cast<int64_t>(messages_.size());
    ARROW_RETURN_NOT_OK(SortMessages(partitions, lines));
    if (polled >= options_.max_step_records) return polled;
    // A first poll that brought a few records: the stream is slow, land them now (freshness).
    // A backlog: records come faster than steps, so the step gathers more for up to `linger`.
    if (first) {
      if (messages_.size() < std::min(room, options_.backlog_records)) return polled;
      deadline = std::chrono::steady_clock::now() + options_.linger;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return polled;
    timeout = std::min(left, options_.gather_poll_timeout);
  }
}

Status BronzeStage::SortMessages(Partitions* partitions, lake::StreamedFile* lines) {
  static thread_local simdjson::ondemand::parser parser;
  static thread_local std::string scratch;
  DecodedRecord decoded;
  // Room for the lines built from messages; those taken from their rows are sliced.
  int64_t built = 0, message_bytes = 0;
  for (const auto& m : messages_) {
    if (m.source != nullptr) continue;
    ++built;
    message_bytes += static_cast<int64_t>(m.value.size());
  }
  if (built > 0) ARROW_RETURN_NOT_OK(batch_->ReserveLines(built, message_bytes));
  const int64_t now = WallClockMicros();
  const std::string& topic = options_.transport.topic;
  // Lines are written in the order of the messages: the rows built so far, then each stretch of
  // messages taken from consecutive rows of one source batch, as a slice of it.
  struct Stretch {
    const transport::SourceColumns* columns = nullptr;
    int64_t first_row = 0, rows = 0, first_offset = 0;
    int32_t partition = 0;
  } stretch;
  auto write_built = [&]() -> Status {
    ARROW_ASSIGN_OR_RAISE(auto rows, batch_->FinishLines());
    return rows->num_rows() > 0 ? lines->Write(rows) : Status::OK();
  };
  auto write_stretch = [&]() -> Status {
    if (stretch.rows == 0) return Status::OK();
    ARROW_RETURN_NOT_OK(write_built());
    ARROW_ASSIGN_OR_RAISE(
        auto rows, OrderLinesFromSource(*stretch.columns, stretch.first_row, stretch.rows, now,
                                        topic, stretch.partition, stretch.first_offset));
    stretch.rows = 0;
    return lines->Write(rows);
  };
  int32_t current_partition = -1;
  PartitionState* current = nullptr;
  for (const auto& m : messages_) {
    if (m.partition != current_partition || current == nullptr) {
      const std::string app = PositionAppId(topic, m.partition);
      auto [it, first] = partitions->try_emplace(m.partition);
      current = &it->second;
      if (first) {
        current->lines_from = lines_expected_[app];
        current->quarantine_from = quarantine_expected_[app];
      }
      current_partition = m.partition;
    }
    // Delivered again within the step (e.g. a Kafka rebalance gave the partition back from
    // the lake's position): this step holds it already.
    if (m.offset < current->next) continue;
    current->next = m.offset + 1;
    if (m.source != nullptr) {  // an order line (its row is text that JSON carries as it is)
      if (m.offset < current->lines_from) continue;
      if (stretch.rows > 0 && m.source == stretch.columns && m.partition == stretch.partition &&
          m.source_row == stretch.first_row + stretch.rows &&
          m.offset == stretch.first_offset + stretch.rows) {
        ++stretch.rows;
        continue;
      }
      ARROW_RETURN_NOT_OK(write_stretch());
      stretch = {m.source, m.source_row, 1, m.offset, m.partition};
      continue;
    }
    ARROW_RETURN_NOT_OK(write_stretch());
    DecodeMessage(parser, scratch, m.value, &decoded, m.readable_after);
    if (decoded.reason.empty()) {
      if (m.offset >= current->lines_from)
        ARROW_RETURN_NOT_OK(batch_->AddLine(decoded, m, now, topic));
    } else if (m.offset >= current->quarantine_from) {
      ARROW_RETURN_NOT_OK(batch_->AddQuarantine(decoded.reason, m, now, topic));
    }
  }
  ARROW_RETURN_NOT_OK(write_stretch());
  return write_built();
}

Status BronzeStage::CommitBatch(const Partitions& partitions, lake::StreamedFile* lines) {
  const std::string& topic = options_.transport.topic;
  lake::Commit lines_commit, quarantine_commit;
  for (const auto& [partition, state] : partitions) {
    const int64_t next = state.next;
    const std::string app = PositionAppId(topic, partition);
    lines_commit.txns[app] = next;
    if (next > quarantine_expected_[app]) quarantine_commit.txns[app] = next;
  }
  // Quarantine first: the order-lines commit is the one restarts resume from.
  ARROW_ASSIGN_OR_RAISE(auto q_rows, batch_->FinishQuarantine());
  ARROW_ASSIGN_OR_RAISE(std::optional<lake::AddFile> lines_file, lines->Finish());
  if (q_rows->num_rows() > 0) {
    ARROW_ASSIGN_OR_RAISE(auto add, lake_->WriteParquet(lake::tables::kBronzeQuarantine,
                                                        QuarantineSchema(), {q_rows}));
    quarantine_commit.adds.push_back(std::move(add));
    ARROW_RETURN_NOT_OK(CommitTable(*quarantine_log_, quarantine_commit, quarantine_expected_,
                                    lake::tables::kBronzeQuarantine, {}));
  }
  if (lines_file) lines_commit.adds.push_back(std::move(*lines_file));
  return CommitTable(*lines_log_, lines_commit, lines_expected_, lake::tables::kBronzeOrderLines,
                     OrderLinesParquetHints());
}

// Bronze's files are not handed over in memory (lake/written_batches.h): silver reads them.
Status BronzeStage::CommitTable(lake::DeltaLog& log, lake::Commit& c,
                                std::map<std::string, int64_t>& expected, const char* table,
                                const lake::ParquetHints& hints) {
  ARROW_RETURN_NOT_OK(log.CommitAppend(c, expected).status());
  for (const auto& [app, version] : c.txns) expected[app] = version;
  if (auto compacted = lake::AutoCompact(*lake_, log, table, hints); !compacted.ok()) {
    spdlog::warn("{}: automatic compaction failed: {}", table, compacted.status().message());
  }
  return Status::OK();
}

Result<int64_t> BronzeStage::Lag() {
  // The whole topic against the positions committed in the lake, whichever worker of the group
  // holds which partition (or none, while a broker is away): 0 means the group has landed every
  // record the topic has. A failure is passed on, never read as "nothing left".
  ARROW_ASSIGN_OR_RAISE(std::vector<transport::PartitionOffset> ends, reader_->EndOffsets());
  ARROW_ASSIGN_OR_RAISE(const lake::Snapshot* lines, lines_log_->Update());
  int64_t lag = 0;
  for (const transport::PartitionOffset& end : ends) {
    const auto it = lines->txns.find(PositionAppId(options_.transport.topic, end.partition));
    const int64_t landed = it == lines->txns.end() ? 0 : it->second;
    lag += std::max<int64_t>(0, end.next_offset - landed);
  }
  return lag;
}

}  // namespace pizzastream::bronze
