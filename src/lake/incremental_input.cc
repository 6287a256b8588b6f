#include "lake/incremental_input.h"

#include <arrow/table.h>

namespace pizzastream::lake {

Result<int64_t> TxnVersion(DeltaLog& log, const std::string& app_id) {
  ARROW_ASSIGN_OR_RAISE(auto snapshot, log.Update());
  auto it = snapshot->txns.find(app_id);
  return it == snapshot->txns.end() ? int64_t{-1} : it->second;
}

Result<int64_t> MaxTxnVersion(const std::vector<DeltaLog*>& logs, const std::string& app_id) {
  int64_t max = -1;
  for (DeltaLog* log : logs) {
    ARROW_ASSIGN_OR_RAISE(int64_t v, TxnVersion(*log, app_id));
    max = std::max(max, v);
  }
  return max;
}

Result<InputRange> NextRange(DeltaLog& input, int64_t after_version, int64_t max_records,
                             int64_t forced_end) {
  InputRange range;
  range.after_version = range.to_version = after_version;
  ARROW_ASSIGN_OR_RAISE(auto snapshot, input.Update());
  const bool forced = forced_end > after_version;
  bool took_all = true;
  for (const AddFile& f : snapshot->files) {  // files are in commit order
    if (f.version <= after_version) continue;
    const bool over_budget = range.records > 0 && range.records + f.num_records > max_records &&
                             f.version != range.to_version;  // never split a commit
    if (forced ? f.version > forced_end : over_budget) {
      took_all = false;
      break;
    }
    range.files.push_back(f);
    range.records += f.num_records;
    range.to_version = f.version;
  }
  // Commits that added no file (txn only) move the range forward too.
  if (forced) {
    range.to_version = std::min(forced_end, snapshot->version);
  } else if (took_all) {
    range.to_version = snapshot->version;
  }
  return range;
}

Result<std::vector<std::shared_ptr<arrow::RecordBatch>>> ReadRange(const Lakehouse& lake,
                                                                   const std::string& table,
                                                                   const InputRange& range) {
  std::vector<std::shared_ptr<arrow::RecordBatch>> out;
  for (const AddFile& f : range.files) {
    ARROW_ASSIGN_OR_RAISE(auto t, lake.ReadParquet(table, f));
    ARROW_ASSIGN_OR_RAISE(t, t->CombineChunks());
    arrow::TableBatchReader reader(*t);
    reader.set_chunksize(INT64_MAX);
    std::shared_ptr<arrow::RecordBatch> batch;
    while (true) {
      ARROW_RETURN_NOT_OK(reader.ReadNext(&batch));
      if (!batch) break;
      out.push_back(batch);
    }
  }
  return out;
}

Result<int64_t> RecordsAfter(DeltaLog& input, int64_t after_version) {
  ARROW_ASSIGN_OR_RAISE(auto snapshot, input.Update());
  int64_t n = 0;
  for (const AddFile& f : snapshot->files) {
    if (f.version > after_version) n += f.num_records;
  }
  return n;
}

Status CommitStep(const Lakehouse& lake, const std::string& app_id, const InputRange& range,
                  std::vector<StepOutput>& outputs, const std::string& operation) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    StepOutput& out = outputs[i];
    const bool primary = i + 1 == outputs.size();
    ARROW_ASSIGN_OR_RAISE(int64_t done, TxnVersion(*out.log, app_id));
    if (done >= range.to_version) continue;  // committed before a crash
    // Another writer of the same appId committed part of this range: ours would repeat it.
    if (done > range.after_version) {
      return Status::Cancelled("conflict: ", app_id, " moved to ", done, " in ", out.table,
                               " during a step over (", range.after_version, ", ",
                               range.to_version, "]");
    }
    int64_t rows = 0;
    for (const auto& b : out.batches) rows += b->num_rows();
    if (rows == 0 && !primary) continue;
    Commit commit;
    commit.operation = operation;
    commit.txns[app_id] = range.to_version;
    if (rows > 0) {
      ARROW_ASSIGN_OR_RAISE(auto add, lake.WriteParquet(out.table, out.schema, out.batches, out.hints));
      commit.adds.push_back(std::move(add));
    }
    ARROW_RETURN_NOT_OK(out.log->CommitAppend(commit, {{app_id, done}}).status());
  }
  return Status::OK();
}

}  // namespace pizzastream::lake
