#include "bronze/bronze_stage.h"

#include <arrow/builder.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cstring>

#include "bronze/bronze_schema.h"
#include "lake/compaction.h"
#include "sources/order_source.h"

namespace pizzastream::bronze {

namespace {

constexpr size_t kFields = sources::kSourceColumns.size();

constexpr std::array<std::string_view, kFields> kFieldNames = [] {
  std::array<std::string_view, kFields> names;
  for (size_t i = 0; i < kFields; ++i) names[i] = sources::kSourceColumns[i];
  return names;
}();

// The field `key` names, or -1; `hint` is where it usually is (producers write the fields in
// order), so the common case is one comparison.
int FieldIndex(std::string_view key, size_t hint) {
  if (hint < kFields && key == kFieldNames[hint]) return static_cast<int>(hint);
  for (size_t i = 0; i < kFields; ++i) {
    if (key == kFieldNames[i]) return static_cast<int>(i);
  }
  return -1;
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Result of decoding one message.
struct Decoded {
  std::array<std::string_view, kFields> fields;
  std::array<bool, kFields> present{};
  std::string_view reason;  // non-empty: quarantine
  std::string reason_storage;
};

}  // namespace

// Column builders for one step's output, reused from step to step.
class BronzeStage::Batch {
 public:
  Batch() { Reset(); }

  void Reset() {
    for (auto& b : fields_) b.Reset();
    q_raw_.Reset();
    q_reason_.Reset();
    for (auto* pos : {&lines_pos_, &q_pos_}) {
      pos->time.Reset();
      pos->topic.Reset();
      pos->partition.Reset();
      pos->offset.Reset();
    }
  }

  Status AddLine(const Decoded& d, const transport::Message& m, int64_t now,
                 std::string_view topic) {
    for (size_t i = 0; i < kFields; ++i) {
      ARROW_RETURN_NOT_OK(d.present[i] ? fields_[i].Append(d.fields[i]) : fields_[i].AppendNull());
    }
    return lines_pos_.Add(m, now, topic);
  }

  Status AddQuarantine(std::string_view reason, const transport::Message& m, int64_t now,
                       std::string_view topic) {
    ARROW_RETURN_NOT_OK(q_raw_.Append(m.value));
    ARROW_RETURN_NOT_OK(q_reason_.Append(reason));
    return q_pos_.Add(m, now, topic);
  }

  int64_t lines() const { return lines_pos_.offset.length(); }
  int64_t quarantined() const { return q_pos_.offset.length(); }

  Result<std::shared_ptr<arrow::RecordBatch>> FinishLines() {
    arrow::ArrayVector cols;
    for (auto& b : fields_) {
      ARROW_ASSIGN_OR_RAISE(auto a, b.Finish());
      cols.push_back(a);
    }
    ARROW_RETURN_NOT_OK(lines_pos_.Finish(&cols));
    return arrow::RecordBatch::Make(OrderLinesSchema(), cols[0]->length(), cols);
  }

  Result<std::shared_ptr<arrow::RecordBatch>> FinishQuarantine() {
    arrow::ArrayVector cols;
    ARROW_ASSIGN_OR_RAISE(auto raw, q_raw_.Finish());
    ARROW_ASSIGN_OR_RAISE(auto reason, q_reason_.Finish());
    cols = {raw, reason};
    ARROW_RETURN_NOT_OK(q_pos_.Finish(&cols));
    return arrow::RecordBatch::Make(QuarantineSchema(), raw->length(), cols);
  }

 private:
  struct Position {
    arrow::TimestampBuilder time{arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                                 arrow::default_memory_pool()};
    arrow::StringBuilder topic;
    arrow::Int32Builder partition;
    arrow::Int64Builder offset;
    Status Add(const transport::Message& m, int64_t now, std::string_view topic_name) {
      ARROW_RETURN_NOT_OK(time.Append(now));
      ARROW_RETURN_NOT_OK(topic.Append(topic_name));
      ARROW_RETURN_NOT_OK(partition.Append(m.partition));
      return offset.Append(m.offset);
    }
    Status Finish(arrow::ArrayVector* cols) {
      for (arrow::ArrayBuilder* b :
           std::initializer_list<arrow::ArrayBuilder*>{&time, &topic, &partition, &offset}) {
        ARROW_ASSIGN_OR_RAISE(auto a, b->Finish());
        cols->push_back(a);
      }
      return Status::OK();
    }
  };
  std::array<arrow::StringBuilder, kFields> fields_;
  arrow::StringBuilder q_raw_, q_reason_;
  Position lines_pos_, q_pos_;
};

namespace {

// Decodes one message into `out`; `scratch` is a reused padded copy for simdjson.
void DecodeMessage(simdjson::ondemand::parser& parser, std::string& scratch, std::string_view value,
                   Decoded* out) {
  out->present.fill(false);
  out->reason = {};
  if (value.empty()) {
    out->reason = "empty_message";
    return;
  }
  scratch.assign(value);
  scratch.resize(value.size() + simdjson::SIMDJSON_PADDING);
  auto fail = [&](std::string_view what, simdjson::error_code code) {
    out->reason_storage.assign(what);
    out->reason_storage.append(": ");
    out->reason_storage.append(simdjson::error_message(code));
    out->reason = out->reason_storage;
  };
  simdjson::ondemand::document doc;
  if (auto err = parser.iterate(scratch.data(), value.size(), scratch.size()).get(doc)) {
    return fail("invalid_json", err);
  }
  simdjson::ondemand::object object;
  if (auto err = doc.get_object().get(object)) {
    // On-Demand reads lazily: tell a JSON value that is not an object from text that is no JSON.
    std::string_view text = value;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
      text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
      text.remove_suffix(1);
    const bool json_value =
        text == "true" || text == "false" || text == "null" ||
        (!text.empty() && std::strchr("[\"-0123456789", text.front()) != nullptr);
    return fail(json_value ? "not_a_json_object" : "invalid_json", err);
  }
  std::string_view malformed, malformed_reason;
  size_t hint = 0;
  for (auto field : object) {
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return fail("invalid_json", err);
    simdjson::ondemand::value v;
    if (auto err = field.value().get(v)) return fail("invalid_json", err);
    simdjson::ondemand::json_type type;
    if (auto err = v.type().get(type)) return fail("invalid_json", err);
    std::string_view text;
    if (type == simdjson::ondemand::json_type::string) {
      if (auto err = v.get_string().get(text)) return fail("invalid_json", err);
    } else if (type == simdjson::ondemand::json_type::null) {
      continue;
    } else if (type == simdjson::ondemand::json_type::object ||
               type == simdjson::ondemand::json_type::array) {
      out->reason_storage = "nested_value: field '" + std::string(key) + "' is not a scalar";
      out->reason = out->reason_storage;
      return;
    } else {
      text = v.raw_json_token();  // numbers and booleans keep their text as received
      while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
    }
    if (key == "_malformed") {
      malformed = text;
    } else if (key == "_reason") {
      malformed_reason = text;
    } else if (int i = FieldIndex(key, hint); i >= 0) {
      out->fields[i] = text;
      out->present[i] = true;
      hint = static_cast<size_t>(i) + 1;
    }
  }
  if (!malformed.empty() || !malformed_reason.empty()) {
    out->reason_storage.assign(malformed_reason.empty() ? "malformed_source_record"
                                                        : malformed_reason);
    out->reason = out->reason_storage;
  }
}

}  // namespace

BronzeStage::BronzeStage(std::shared_ptr<lake::Lakehouse> lake, BronzeOptions options)
    : lake_(std::move(lake)),
      options_(std::move(options)),
      lines_log_(lake_->Log(lake::tables::kBronzeOrderLines)),
      quarantine_log_(lake_->Log(lake::tables::kBronzeQuarantine)),
      batch_(std::make_unique<Batch>()) {}

BronzeStage::~BronzeStage() = default;

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

Result<orchestration::StepResult> BronzeStage::Step() {
  orchestration::StepResult result;
  ARROW_RETURN_NOT_OK(reader_->Poll(options_.max_batch, options_.poll_timeout, &messages_));
  if (messages_.empty()) return result;

  static thread_local simdjson::ondemand::parser parser;
  static thread_local std::string scratch;
  Decoded decoded;
  batch_->Reset();
  const int64_t now = NowMicros();
  const std::string& topic = options_.transport.topic;
  // Per partition in this batch: the next offset after it, and from which offsets on each
  // table still lacks the records (they hold up to there after a half-done step).
  struct PartitionState {
    int64_t next = 0, lines_from = 0, quarantine_from = 0;
  };
  std::map<int32_t, PartitionState> partitions;
  int32_t current_partition = -1;
  PartitionState* current = nullptr;
  for (const auto& m : messages_) {
    if (m.partition != current_partition || current == nullptr) {
      const std::string app = PositionAppId(topic, m.partition);
      current = &partitions[m.partition];
      current->lines_from = lines_expected_[app];
      current->quarantine_from = quarantine_expected_[app];
      current_partition = m.partition;
    }
    current->next = m.offset + 1;
    DecodeMessage(parser, scratch, m.value, &decoded);
    if (decoded.reason.empty()) {
      if (m.offset >= current->lines_from)
        ARROW_RETURN_NOT_OK(batch_->AddLine(decoded, m, now, topic));
    } else if (m.offset >= current->quarantine_from) {
      ARROW_RETURN_NOT_OK(batch_->AddQuarantine(decoded.reason, m, now, topic));
    }
  }
  result.rows_in = static_cast<int64_t>(messages_.size());
  result.rejected = batch_->quarantined();
  result.rows_out = batch_->lines();

  lake::Commit lines_commit, quarantine_commit;
  std::vector<transport::PartitionOffset> offsets;
  for (const auto& [partition, state] : partitions) {
    const int64_t next = state.next;
    const std::string app = PositionAppId(topic, partition);
    lines_commit.txns[app] = next;
    if (next > quarantine_expected_[app]) quarantine_commit.txns[app] = next;
    offsets.push_back({partition, next});
  }
  // Quarantine first: the order-lines commit is the one restarts resume from.
  auto commit = [&](lake::DeltaLog& log, lake::Commit& c, std::map<std::string, int64_t>& expected,
                    const char* table, const std::shared_ptr<arrow::Schema>& schema,
                    std::shared_ptr<arrow::RecordBatch> rows,
                    const lake::ParquetHints& hints) -> Status {
    if (rows->num_rows() > 0) {
      ARROW_ASSIGN_OR_RAISE(auto add, lake_->WriteParquet(table, schema, {rows}, hints));
      c.adds.push_back(add);
    }
    auto written = log.CommitAppend(c, expected);
    if (!written.ok()) return written.status();
    for (const auto& [app, version] : c.txns) expected[app] = version;
    if (auto compacted = lake::AutoCompact(*lake_, log, table); !compacted.ok()) {
      spdlog::warn("{}: automatic compaction failed: {}", table, compacted.status().message());
    }
    return Status::OK();
  };
  ARROW_ASSIGN_OR_RAISE(auto q_rows, batch_->FinishQuarantine());
  ARROW_ASSIGN_OR_RAISE(auto l_rows, batch_->FinishLines());
  Status st;
  if (q_rows->num_rows() > 0) {
    st = commit(*quarantine_log_, quarantine_commit, quarantine_expected_,
                lake::tables::kBronzeQuarantine, QuarantineSchema(), q_rows, {});
  }
  if (st.ok()) {
    st = commit(*lines_log_, lines_commit, lines_expected_, lake::tables::kBronzeOrderLines,
                OrderLinesSchema(), l_rows, OrderLinesParquetHints());
  }
  if (st.IsCancelled()) {  // another worker committed these partitions: re-read our positions
    spdlog::warn("bronze: {}; resuming from the lake's positions", st.message());
    ARROW_RETURN_NOT_OK(Resync());
    return orchestration::StepResult{};
  }
  ARROW_RETURN_NOT_OK(st);
  if (auto cs = reader_->CommitOffsets(offsets); !cs.ok()) {
    spdlog::warn("bronze: could not record consumer offsets: {}", cs.message());
  }
  return result;
}

Result<int64_t> BronzeStage::Lag() { return reader_->Lag(); }

}  // namespace pizzastream::bronze
