// The batches of data files this process has just committed, kept for a reader in the same
// process: in `run`, gold takes silver_cleaned's batches and the load gold's from memory
// instead of decoding the Parquet files again. A Parquet file is immutable once committed, so
// the batches are exactly what a read of the file would return. (Silver reads bronze's files:
// holding bronze's all-text batches cost ~25 MiB of peak RSS for ~5% of run's CPU.)
//
// Only tables a reader has declared (Expect) are kept, each file's batches until that reader
// takes them (Take: at most once; a second read of the file goes to the file). Writers offer
// a file's batches before committing it, and take them back when the commit fails. Memory is
// bounded: an offer that would go over the budget is not kept (after dropping batches nobody
// took for ten minutes), so a reader far behind its writer reads files, in order, and finds
// the newer batches again once it has caught up. Thread-safe.
#pragma once

#include <arrow/record_batch.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pizzastream::lake {

using Batches = std::vector<std::shared_ptr<arrow::RecordBatch>>;

class WrittenBatches {
 public:
  explicit WrittenBatches(int64_t budget_bytes) : budget_bytes_(budget_bytes) {}
  ~WrittenBatches();  // logs the figures at debug level

  // A stage of this process will read `table` incrementally.
  void Expect(const std::string& table);
  // Whether a reader declared `table` (a writer need not keep batches nobody will take).
  bool Expects(const std::string& table) const;
  // `batches` were committed as `path` of `table`: kept when the table is expected, they are not
  // empty and the budget allows.
  void Offer(const std::string& table, const std::string& path, const Batches& batches);
  // The batches of `path` in `table`, when kept (then forgotten).
  std::optional<Batches> Take(const std::string& table, const std::string& path);

  // The most bytes of batches kept at once.
  int64_t budget_bytes() const { return budget_bytes_; }

  struct Figures {
    int64_t kept = 0, taken = 0, refused = 0, bytes = 0;
  };
  Figures figures() const;

 private:
  struct Entry {
    Batches batches;
    int64_t bytes = 0;
    std::chrono::steady_clock::time_point offered;
  };
  void DropStale();  // with mu_ held
  const int64_t budget_bytes_;
  mutable std::mutex mu_;
  std::set<std::string> expected_;
  std::map<std::pair<std::string, std::string>, Entry> entries_;
  Figures figures_;
};

// The batches of one file a stage is writing a chunk at a time, collected for Offer when a
// reader expects the table. Collecting stops, and what was collected is let go, once they
// outgrow the budget (the offer would be refused): a large step's file is read back instead,
// and memory holds a chunk, not the step.
class HandOffBatches {
 public:
  HandOffBatches(const WrittenBatches& written, const std::string& table)
      : collecting_(written.Expects(table)), budget_bytes_(written.budget_bytes()) {}

  void Add(const std::shared_ptr<arrow::RecordBatch>& batch);
  // The batches collected (none when collecting stopped).
  Batches Take() { return std::move(batches_); }

 private:
  bool collecting_;
  int64_t budget_bytes_;
  int64_t bytes_ = 0;
  Batches batches_;
};

}  // namespace pizzastream::lake
