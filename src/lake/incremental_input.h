// Reading a Delta table incrementally: the commits after the version a stage has processed,
// at most about `max_records` of them per step (always at least one commit), and the txn
// bookkeeping that makes a multi-table output exactly-once.
//
// A stage writes several output tables per step. Each output records, in a txn action under
// one appId, the input version it has covered. The primary output is committed last; a
// restart resumes from the primary's version, and an output that is already ahead (the step
// crashed after committing it) is skipped, after the step's range is set to end where that
// output's range ended, so the recomputed step is exactly the one that crashed.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lake/lakehouse.h"

namespace pizzastream::lake {

struct InputRange {
  int64_t after_version = -1;  // processed up to here already
  int64_t to_version = -1;     // this step covers (after_version, to_version]
  std::vector<AddFile> files;
  int64_t records = 0;
  bool empty() const { return to_version <= after_version; }
};

// The version `app_id` has reached in `log`'s table (-1: never).
Result<int64_t> TxnVersion(DeltaLog& log, const std::string& app_id);

// Chooses the next range of `input` after `after_version`: the data changes (DeltaLog::
// DataAddedIn: dataChange adds, not compactions nor rewrites) of whole commits, about
// `max_records` of them. `forced_end` > after_version pins the end (crash recovery, see above).
Result<InputRange> NextRange(DeltaLog& input, int64_t after_version, int64_t max_records,
                             int64_t forced_end);

// Reads all files of `range` as record batches of `expected` (each file's schema checked and
// conformed, lake/schema_conformance.h; files of an older layout upgraded first by `upgrade`).
Result<std::vector<std::shared_ptr<arrow::RecordBatch>>> ReadRange(
    const Lakehouse& lake, const std::string& table, const InputRange& range,
    const std::shared_ptr<arrow::Schema>& expected, const FileUpgrade& upgrade = {});

// The same, a batch at a time: `each` gets at most `batch_rows` rows of a file at once (batches
// handed over in memory come as they were written), so memory holds one batch, not the range.
// `upgrade` is applied a batch at a time, so it must work row by row. The range can be scanned
// again (batches handed over in memory are taken once; a second scan reads the files).
Status ScanRange(const Lakehouse& lake, const std::string& table, const InputRange& range,
                 const std::shared_ptr<arrow::Schema>& expected, int64_t batch_rows,
                 const std::function<Status(const arrow::RecordBatch&)>& each,
                 const FileUpgrade& upgrade = {});

// Records available after `after_version` in `input` (the stage's lag).
Result<int64_t> RecordsAfter(DeltaLog& input, int64_t after_version);

// One output table of a multi-table step: its rows as `batches`, written by CommitStep, or
// as `file`, which the stage already wrote (lake/streamed_file.h); then `batches`, when given,
// are that file's rows, handed to a reader in this process (lake/written_batches.h).
struct StepOutput {
  std::string table;
  DeltaLog* log = nullptr;
  std::shared_ptr<arrow::Schema> schema;
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  ParquetHints hints = {};
  std::optional<AddFile> file = std::nullopt;
};

// Commits `outputs` in order (the last one is the primary) with txn {app_id: range.to_version},
// skipping those whose txn already covers the range. Empty non-primary outputs write nothing.
// Returns the version of the primary's commit (-1 when it was already committed). Each output
// is then checkpointed and compacted when due (lake/compaction.h).
Result<int64_t> CommitStep(const Lakehouse& lake, const std::string& app_id,
                           const InputRange& range, std::vector<StepOutput>& outputs,
                           const std::string& operation);

// The highest txn version of `app_id` among `logs` (for the forced end after a crash).
Result<int64_t> MaxTxnVersion(const std::vector<DeltaLog*>& logs, const std::string& app_id);

}  // namespace pizzastream::lake
