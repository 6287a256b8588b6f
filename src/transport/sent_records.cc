#include "transport/sent_records.h"

#include <arrow/util/utf8.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace pizzastream::transport {

SentRecords::~SentRecords() {
  if (figures_.kept + figures_.refused == 0) return;
  spdlog::debug(
      "records taken from their rows: {} kept, {} given to the reader, {} refused ({} waits "
      "for room ran out)",
      figures_.kept, figures_.given, figures_.refused, figures_.gave_up);
}

void SentRecords::Offer(const std::shared_ptr<const SourceColumns>& columns,
                        std::span<const int64_t> rows, std::span<const RecordPosition> positions,
                        const std::atomic<bool>* stop) {
  if (columns == nullptr || rows.size() != positions.size()) return;
  int64_t first_row = INT64_MAX, last_row = -1, count = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] < 0 || positions[i].offset < 0) continue;
    first_row = std::min(first_row, rows[i]);
    last_row = std::max(last_row, rows[i]);
    ++count;
  }
  if (count == 0) return;
  if (!columns->status().ok() || last_row >= columns->rows()) return;  // keep nothing
  // The rows' text, column by column: one range of bytes each (a dictionary's values), checked
  // as UTF-8 at once.
  static const bool utf8_ready = (arrow::util::InitializeUTF8(), true);
  (void)utf8_ready;
  bool utf8 = true;
  int64_t bytes = (last_row - first_row + 1) * static_cast<int64_t>(columns->size()) *
                  static_cast<int64_t>(sizeof(int32_t));
  for (size_t c = 0; c < columns->size() && utf8; ++c) {
    const std::string_view text = columns->text(c).Bytes(first_row, last_row + 1);
    utf8 = arrow::util::ValidateUTF8(reinterpret_cast<const uint8_t*>(text.data()),
                                     static_cast<int64_t>(text.size()));
    bytes += static_cast<int64_t>(text.size());
  }
  std::unique_lock lock(mu_);
  auto fits = [&] { return figures_.bytes + bytes <= budget_bytes_; };
  auto stopping = [&] { return stop != nullptr && stop->load(); };
  if (utf8 && !fits() && wait_for_room_) {
    // A stop (Ctrl-C) is seen within kStopCheck: the caller cannot wake this wait.
    constexpr auto kStopCheck = std::chrono::milliseconds(50);
    const auto deadline = std::chrono::steady_clock::now() + max_wait_;
    for (auto now = std::chrono::steady_clock::now(); !fits() && !stopping() && now < deadline;
         now = std::chrono::steady_clock::now()) {
      room_.wait_until(lock, std::min(deadline, now + kStopCheck), fits);
    }
    if (!fits() && !stopping()) {
      wait_for_room_ = false;  // the reader is held up: keep nothing more until it reads on
      ++figures_.gave_up;
    }
  }
  if (!utf8 || !fits()) {
    figures_.refused += count;
    return;
  }
  // One run per partition and stretch of consecutive offsets (one, for a single partition).
  std::map<int32_t, Run> open;
  int64_t runs_bytes = 0;
  auto close = [&](int32_t partition, Run& run) {
    run.bytes = bytes * static_cast<int64_t>(run.rows.size()) / static_cast<int64_t>(rows.size());
    runs_bytes += run.bytes;
    Keep(partition, std::move(run));
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    const RecordPosition& at = positions[i];
    if (at.offset < 0) continue;
    Run& run = open[at.partition];
    if (!run.rows.empty() && run.end_offset() != at.offset) {
      close(at.partition, run);
      run = Run{};
    }
    if (run.rows.empty()) {
      run.first_offset = at.offset;
      run.columns = columns;
      run.rows.reserve(rows.size() - i);
    }
    run.rows.push_back(rows[i]);
  }
  for (auto& [partition, run] : open) close(partition, run);
  figures_.kept += count;
  figures_.bytes += runs_bytes;
}

void SentRecords::Keep(int32_t partition, Run run) {
  std::deque<Run>& runs = partitions_[partition];
  // Offsets only grow while one writer writes; anything else (a writer of this process
  // reopened) makes what was kept before stale.
  if (!runs.empty() && run.first_offset < runs.back().end_offset()) {
    for (const Run& stale : runs) figures_.bytes -= stale.bytes;
    runs.clear();
  }
  runs.push_back(std::move(run));
}

void SentRecords::Annotate(std::span<Message> messages,
                           std::vector<std::shared_ptr<const SourceColumns>>* held) {
  std::unique_lock lock(mu_);
  int32_t partition = -1;
  std::deque<Run>* runs = nullptr;
  bool freed = false;
  for (Message& m : messages) {
    if (runs == nullptr || m.partition != partition) {
      partition = m.partition;
      auto it = partitions_.find(partition);
      runs = it == partitions_.end() ? nullptr : &it->second;
      if (runs == nullptr) continue;
    }
    freed |= LetGoBefore(*runs, m.offset);
    if (m.source != nullptr) continue;
    if (runs->empty() || runs->front().first_offset > m.offset) continue;
    const Run& run = runs->front();
    const int64_t row = run.rows[static_cast<size_t>(m.offset - run.first_offset)];
    if (row < 0) continue;
    m.source = run.columns.get();
    m.source_row = row;
    ++figures_.given;
    if (held->empty() || held->back() != run.columns) held->push_back(run.columns);
  }
  if (freed) Freed(lock);
}

std::shared_ptr<const SourceColumns> SentRecords::Rows(int32_t partition, int64_t from, int64_t end,
                                                       std::vector<int64_t>* rows) {
  std::lock_guard lock(mu_);
  auto it = partitions_.find(partition);
  if (it == partitions_.end()) return nullptr;
  // Nothing is let go here: messages this poll returned before `from` are still to be pointed
  // at their rows (Annotate).
  const std::deque<Run>& runs = it->second;
  auto after = std::upper_bound(runs.begin(), runs.end(), from, [](int64_t offset, const Run& r) {
    return offset < r.first_offset;
  });
  if (after == runs.begin()) return nullptr;
  const Run& run = *(after - 1);
  if (run.end_offset() < end) return nullptr;
  const auto first = run.rows.begin() + (from - run.first_offset);
  const auto last = first + (end - from);
  if (std::find(first, last, -1) != last) return nullptr;
  rows->assign(first, last);
  figures_.given += end - from;
  return run.columns;
}

bool SentRecords::LetGoBefore(std::deque<Run>& runs, int64_t offset) {
  bool freed = false;
  while (!runs.empty() && runs.front().end_offset() <= offset) {
    figures_.bytes -= runs.front().bytes;
    runs.pop_front();
    freed = true;
  }
  return freed;
}

void SentRecords::Freed(std::unique_lock<std::mutex>& lock) {
  wait_for_room_ = true;  // the reader reads on
  lock.unlock();
  room_.notify_all();
  lock.lock();
}

SentRecords::Figures SentRecords::figures() const {
  std::lock_guard lock(mu_);
  return figures_;
}

}  // namespace pizzastream::transport
