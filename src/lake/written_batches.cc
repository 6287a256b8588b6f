#include "lake/written_batches.h"

#include <arrow/util/byte_size.h>
#include <spdlog/spdlog.h>

namespace pizzastream::lake {

WrittenBatches::~WrittenBatches() {
  if (figures_.kept + figures_.refused == 0) return;
  spdlog::debug("batches handed over in memory: {} kept, {} taken, {} refused (budget full)",
                figures_.kept, figures_.taken, figures_.refused);
}

void WrittenBatches::Expect(const std::string& table) {
  std::lock_guard lock(mu_);
  expected_.insert(table);
}

bool WrittenBatches::Expects(const std::string& table) const {
  std::lock_guard lock(mu_);
  return expected_.contains(table);
}

void WrittenBatches::Offer(const std::string& table, const std::string& path,
                           const Batches& batches) {
  if (batches.empty()) return;  // nothing kept: the reader reads the file
  int64_t bytes = 0;
  for (const auto& b : batches) bytes += arrow::util::TotalBufferSize(*b);
  std::lock_guard lock(mu_);
  if (!expected_.contains(table)) return;
  if (figures_.bytes + bytes > budget_bytes_) DropStale();
  if (figures_.bytes + bytes > budget_bytes_) {
    ++figures_.refused;
    return;
  }
  entries_[{table, path}] = Entry{batches, bytes, std::chrono::steady_clock::now()};
  figures_.bytes += bytes;
  ++figures_.kept;
}

std::optional<Batches> WrittenBatches::Take(const std::string& table, const std::string& path) {
  std::lock_guard lock(mu_);
  auto it = entries_.find({table, path});
  if (it == entries_.end()) return std::nullopt;
  Batches batches = std::move(it->second.batches);
  figures_.bytes -= it->second.bytes;
  ++figures_.taken;
  entries_.erase(it);
  return batches;
}

void WrittenBatches::DropStale() {
  const auto cutoff = std::chrono::steady_clock::now() - std::chrono::minutes(10);
  std::erase_if(entries_, [&](const auto& kv) {
    if (kv.second.offered > cutoff) return false;
    figures_.bytes -= kv.second.bytes;
    return true;
  });
}

WrittenBatches::Figures WrittenBatches::figures() const {
  std::lock_guard lock(mu_);
  return figures_;
}

void HandOffBatches::Add(const std::shared_ptr<arrow::RecordBatch>& batch) {
  if (!collecting_) return;
  bytes_ += arrow::util::TotalBufferSize(*batch);
  if (bytes_ > budget_bytes_) {
    collecting_ = false;
    batches_ = {};
    return;
  }
  batches_.push_back(batch);
}

}  // namespace pizzastream::lake
