// The lake: one root (`file:///.../lakehouse` or `s3://bucket/lakehouse`) holding
// bronze/, silver/ and gold/, each table a Delta table written with Parquet through Arrow.
// Commit files are created through a LogStore: link(2) on local disks, a conditional PUT on
// S3 (see s3_log_store.h). On local disks a data file and its directory are fsynced before
// WriteParquet returns, so a commit never names a file a crash could lose. Thread-safe for
// reads and writes of distinct files; each writer keeps its own DeltaLog.
#pragma once

#include <arrow/filesystem/filesystem.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "lake/delta_log.h"
#include "lake/schema_conformance.h"
#include "lake/written_batches.h"

namespace pizzastream::lake {

// Table names, as paths under the lake root.
namespace tables {
inline constexpr const char* kBronzeOrderLines = "bronze/order_lines";
inline constexpr const char* kBronzeQuarantine = "bronze/quarantine";
inline constexpr const char* kSilverCleaned = "silver/silver_cleaned";
inline constexpr const char* kSilverOrderItems = "silver/silver_order_items";
inline constexpr const char* kSilverPizzaCatalog = "silver/silver_pizza_catalog";
inline constexpr const char* kSilverTimestamp = "silver/silver_timestamp";
inline constexpr const char* kSilverQuarantine = "silver/quarantine";
inline constexpr const char* kSilverDuplicates = "silver/duplicates";
inline constexpr const char* kGoldDimDate = "gold/dim_date";
inline constexpr const char* kGoldDimTime = "gold/dim_time";
inline constexpr const char* kGoldDimPizza = "gold/dim_pizza";
inline constexpr const char* kGoldFact = "gold/fact_order_item";
}  // namespace tables

// How a table's columns are best written, by column name.
struct ParquetHints {
  // Columns whose values (almost) never repeat, e.g. ids: no dictionary, which would only grow
  // until Parquet gives up on it (costs time, and the files come out larger). Integer, date and
  // time columns among them are delta-encoded (DELTA_BINARY_PACKED): ids that mostly ascend take
  // a few bits a value instead of 8 bytes to compress; text ones are written plain.
  std::vector<std::string> unique_values;
  // Columns nobody filters by (raw text as received): no min/max statistics.
  std::vector<std::string> no_statistics;
};

// How a data file is compressed: streaming steps write Snappy (cheap to write, what Spark
// writes by default); compaction, which rewrites small files into large long-lived ones off
// the stream's path, writes zstd (smaller, dearer to write).
enum class FileCompression { kSnappy, kZstd };

struct LakeOpenOptions {
  // S3: create the bucket when it does not exist (`pizzastream lake init`); otherwise a
  // missing bucket is an error that names the command creating it.
  bool create_bucket = false;
};

// A Parquet data file of a table written a batch at a time: memory holds the open row group's
// encoded pages, never all the rows. Finish() closes it (fsynced with its directory on local
// disks) and returns its add action, with the Delta stats of its rows read from the Parquet
// footer (lake/file_statistics.h). Dropped unfinished (a step that
// failed part way), the file is abandoned: its upload aborted on S3, the partial file deleted
// on a local disk, so a step retried after an error leaves nothing behind. Not thread-safe.
class ParquetFileSink {
 public:
  virtual ~ParquetFileSink() = default;
  virtual Status Write(const arrow::RecordBatch& batch) = 0;
  virtual int64_t rows() const = 0;
  virtual Result<AddFile> Finish() = 0;
};

class Lakehouse {
 public:
  // `root_uri`: a filesystem URI (file://, s3://) or a local path. An S3 lake is checked on
  // open: the bucket exists, the credentials are accepted, and the store honours conditional
  // writes (once per process and bucket); each failure is one clear error, with no
  // credential in it. An unreachable store gives an error for which IsUnreachable() holds.
  static Result<std::shared_ptr<Lakehouse>> Open(const std::string& root_uri,
                                                 const LakeOpenOptions& options = {});

  const std::shared_ptr<arrow::fs::FileSystem>& fs() const { return fs_; }
  const std::string& root() const { return root_; }
  // The root as shown to users: no credentials, scheme included.
  const std::string& shown_uri() const { return shown_uri_; }
  std::string TablePath(const std::string& table) const { return root_ + "/" + table; }

  // A fresh log handle for `table` (each writer/reader keeps its own).
  std::unique_ptr<DeltaLog> Log(const std::string& table) const;

  // Writes `batches` (all of `schema`) as one Parquet file under the table; returns the add.
  Result<AddFile> WriteParquet(const std::string& table,
                               const std::shared_ptr<arrow::Schema>& schema,
                               const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches,
                               const ParquetHints& hints = {}) const;
  // The same, a batch at a time (see ParquetFileSink); the caller states the file's stats.
  Result<std::unique_ptr<ParquetFileSink>> OpenParquetSink(
      const std::string& table, const std::shared_ptr<arrow::Schema>& schema,
      const ParquetHints& hints = {}, FileCompression compression = FileCompression::kSnappy) const;
  // Reads one data file of `table` as `expected`: only its columns, found by name and
  // conformed to its types (lake/schema_conformance.h); a file that does not fit is an error
  // naming the table, the file and the column. A text column `expected` types as a
  // dictionary is read as one, from the file's dictionary pages when it has them.
  // `upgrade`, when given, first turns a file of an older layout into the current one (it
  // sees the file's columns as read, and returns them unchanged when the file is current).
  Result<std::shared_ptr<arrow::Table>> ReadParquet(const std::string& table, const AddFile& file,
                                                    const std::shared_ptr<arrow::Schema>& expected,
                                                    const FileUpgrade& upgrade = {}) const;
  // The same, handing `each` batches of at most `batch_rows` rows in file order (memory holds
  // about one batch, not the file). `upgrade` is applied to each batch: it must work row by row.
  Status ScanParquet(const std::string& table, const AddFile& file,
                     const std::shared_ptr<arrow::Schema>& expected, int64_t batch_rows,
                     const std::function<Status(std::shared_ptr<arrow::RecordBatch>)>& each,
                     const FileUpgrade& upgrade = {}) const;

  // Batches committed by this process, handed to its readers (lake/written_batches.h).
  WrittenBatches& written() const { return *written_; }

 private:
  Lakehouse(std::shared_ptr<arrow::fs::FileSystem> fs, std::shared_ptr<LogStore> store,
            std::string root, std::string shown_uri, bool local)
      : fs_(std::move(fs)),
        store_(std::move(store)),
        root_(std::move(root)),
        shown_uri_(std::move(shown_uri)),
        local_(local),
        written_(std::make_shared<WrittenBatches>(kWrittenBatchesBudget)) {}
  // About 80k lines of silver_cleaned: a slow stream's steps are handed over whole; a backlog's
  // steps (up to 250k lines) are read back from their files. At 5M lines, 8 MiB ran as fast as
  // 24 MiB with ~40 MiB less peak RSS (the step's chunks were collected, then refused).
  static constexpr int64_t kWrittenBatchesBudget = 8LL << 20;
  static Result<std::shared_ptr<Lakehouse>> OpenS3(const std::string& root_uri,
                                                   const LakeOpenOptions& options);
  std::shared_ptr<arrow::fs::FileSystem> fs_;
  std::shared_ptr<LogStore> store_;
  std::string root_;
  std::string shown_uri_;
  bool local_ = true;
  std::shared_ptr<WrittenBatches> written_;
};

}  // namespace pizzastream::lake
