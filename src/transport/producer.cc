#include "transport/producer.h"

#include <arrow/array.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "transport/record_json.h"
#include "transport/sent_records.h"

namespace pizzastream::transport {

namespace {

// Encodes one source batch into `arena` + `records`, ordered by sequence.
class BatchEncoder {
 public:
  // Encodes records [from, end) of `batch` and, in sequence order between them, the malformed
  // records from *next_malformed on (all that remain when `end` is the batch's end).
  // Fails on a batch whose columns are not text (lake/text_column.h).
  Status Encode(const sources::SourceBatch& batch, int64_t from, int64_t end,
                size_t* next_malformed) {
    spans_.clear();
    rows_.clear();
    const auto& rb = *batch.records;
    columns_ = std::make_shared<const transport::SourceColumns>(rb);
    const transport::SourceColumns& columns = *columns_;
    ARROW_RETURN_NOT_OK(columns.status());
    // Room for the whole batch, made once: each record is then written with no capacity check.
    size_t room = columns.JsonBytesAtMost(from, end);
    for (size_t m = *next_malformed; m < batch.malformed.size(); ++m) {
      room += transport::MalformedJsonBytesAtMost(batch.malformed[m]);
    }
    if (room > arena_capacity_) {  // grown, never zeroed: every byte read was written first
      arena_capacity_ = room + room / 8;
      arena_ = std::make_unique_for_overwrite<char[]>(arena_capacity_);
    }
    char* const base = arena_.get();
    char* out = base;
    auto add_malformed_before = [&](int64_t sequence) {
      for (; *next_malformed < batch.malformed.size() &&
             batch.malformed[*next_malformed].sequence < sequence;
           ++*next_malformed) {
        const auto& bad = batch.malformed[*next_malformed];
        char* const start = out;
        out = transport::WriteMalformedJson(bad, out);
        spans_.push_back({{},
                          static_cast<size_t>(start - base),
                          static_cast<size_t>(out - start),
                          bad.sequence});
        rows_.push_back(-1);
      }
    };
    for (int64_t i = from; i < end; ++i) {
      const int64_t seq = batch.sequences.empty() ? batch.first_sequence + i : batch.sequences[i];
      add_malformed_before(seq);
      char* const start = out;
      out = transport::WriteRecordJson(columns, i, out);
      std::string_view key;  // the order id (none when null)
      columns.Get(sources::field::kOrderId, i, &key);
      spans_.push_back(
          {key, static_cast<size_t>(start - base), static_cast<size_t>(out - start), seq});
      rows_.push_back(i);
    }
    if (end == rb.num_rows()) add_malformed_before(INT64_MAX);
    return Status::OK();
  }

  std::vector<transport::OutgoingRecord>& Records() {
    records_.clear();
    for (const auto& s : spans_) {
      records_.push_back({s.key, std::string_view(arena_.get() + s.offset, s.length), s.sequence});
    }
    return records_;
  }

  // The columns of the batch encoded last, and the row each record came from (-1: none).
  const std::shared_ptr<const transport::SourceColumns>& columns() const { return columns_; }
  std::span<const int64_t> rows() const { return rows_; }

 private:
  struct Span {
    std::string_view key;
    size_t offset, length;
    int64_t sequence;
  };
  std::unique_ptr<char[]> arena_;  // the batch's records, one after another
  size_t arena_capacity_ = 0;
  std::vector<Span> spans_;
  std::vector<int64_t> rows_;  // per span
  std::shared_ptr<const transport::SourceColumns> columns_;
  std::vector<transport::OutgoingRecord> records_;
};

}  // namespace

Status RunProducer(sources::OrderSource& source, transport::TopicWriter& writer,
                   const ProducerOptions& options, const std::atomic<bool>& stop,
                   const std::function<void(const ProducerProgress&)>& on_progress,
                   ProducerProgress* progress) {
  ARROW_ASSIGN_OR_RAISE(progress->resumed_from, writer.ResumeSequence());
  ARROW_RETURN_NOT_OK(source.SkipTo(progress->resumed_from));
  auto started = std::chrono::steady_clock::now();
  BatchEncoder encoder;
  sources::SourceBatch batch;
  constexpr auto kFlushEvery = std::chrono::milliseconds(250);
  auto last_flush = std::chrono::steady_clock::now();
  int64_t chunk = std::max<int64_t>(1, options.batch_size);
  if (options.rate > 0)
    chunk = std::min(chunk, std::max<int64_t>(1, static_cast<int64_t>(options.rate / 20)));
  while (!stop.load()) {
    ARROW_ASSIGN_OR_RAISE(bool more, source.Next(&batch));
    if (!more) break;
    const int64_t rows = batch.records->num_rows();
    size_t next_malformed = 0;
    // Malformed-only batches still need one pass.
    for (int64_t from = 0; from < rows || (from == 0 && rows == 0); from += chunk) {
      int64_t count = std::min(chunk, rows - from);
      if (options.max_records >= 0) count = std::min(count, options.max_records - progress->sent);
      ARROW_RETURN_NOT_OK(encoder.Encode(batch, from, from + count, &next_malformed));
      auto& records = encoder.Records();
      ARROW_RETURN_NOT_OK(writer.Append(records));
      if (options.sent_records != nullptr) {
        options.sent_records->Offer(encoder.columns(), encoder.rows(), writer.LastPositions(),
                                    &stop);
      }
      // Durable every kFlushEvery and at the end, not per batch: a replay from the source
      // re-sends whatever a crash lost, so per-batch syncs would only slow the stream.
      if (std::chrono::steady_clock::now() - last_flush >= kFlushEvery) {
        ARROW_RETURN_NOT_OK(writer.Flush());
        last_flush = std::chrono::steady_clock::now();
      }
      progress->sent += static_cast<int64_t>(records.size());
      progress->fraction = source.Fraction();
      if (on_progress) on_progress(*progress);
      if (options.max_records >= 0 && progress->sent >= options.max_records) {
        progress->finished = true;
        return Status::OK();
      }
      if (options.rate > 0) {  // sleep until the rate allows what was sent so far
        auto due = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                 std::chrono::duration<double>(progress->sent / options.rate));
        // Held up (a slow source or topic) by more than a few sends: go on at the rate from
        // here rather than burst to catch up.
        const auto now = std::chrono::steady_clock::now();
        if (now - due > std::chrono::milliseconds(200)) {
          started += now - due;
          due = now;
        }
        while (!stop.load() && std::chrono::steady_clock::now() < due) {
          std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
              due - std::chrono::steady_clock::now(), std::chrono::milliseconds(50)));
        }
      }
      if (options.interval.count() > 0) std::this_thread::sleep_for(options.interval);
      if (stop.load() || rows == 0) break;
    }
  }
  ARROW_RETURN_NOT_OK(writer.Flush());
  progress->finished = !stop.load();
  return Status::OK();
}

}  // namespace pizzastream::transport
