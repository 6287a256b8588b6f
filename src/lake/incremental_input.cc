#include "lake/incremental_input.h"

#include <arrow/table.h>
#include <spdlog/spdlog.h>

#include "lake/compaction.h"

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
  const int64_t end = forced ? std::min(forced_end, snapshot->version) : snapshot->version;
  ARROW_ASSIGN_OR_RAISE(auto files, input.DataAddedIn(after_version, end));
  bool took_all = true;
  for (AddFile& f : files) {  // in commit order
    const bool over_budget = range.records > 0 && range.records + f.num_records > max_records &&
                             f.version != range.to_version;  // never split a commit
    if (!forced && over_budget) {
      took_all = false;
      break;
    }
    range.records += f.num_records;
    range.to_version = f.version;
    range.files.push_back(std::move(f));
  }
  // Commits that added no data (txn only, compactions) move the range forward too.
  if (took_all) range.to_version = std::max(range.to_version, end);
  return range;
}

namespace {

// The batches of `f` as this process wrote them (lake/written_batches.h), each upgraded and
// conformed to `expected` like a read of the file; nullopt when they were not kept. Each on its
// own: a text column may be a dictionary in one batch and plain in the next
// (lake/text_dictionary_builder.h), and conformed they may stay so.
Result<std::optional<std::vector<std::shared_ptr<arrow::Table>>>> TakeWritten(
    const Lakehouse& lake, const std::string& table, const AddFile& f,
    const std::shared_ptr<arrow::Schema>& expected, const FileUpgrade& upgrade) {
  auto written = lake.written().Take(table, f.path);
  if (!written) return std::nullopt;
  std::vector<std::shared_ptr<arrow::Table>> tables;
  for (const auto& batch : *written) {
    ARROW_ASSIGN_OR_RAISE(auto t, arrow::Table::FromRecordBatches({batch}));
    if (upgrade) {
      ARROW_ASSIGN_OR_RAISE(t, upgrade(t));
    }
    ARROW_ASSIGN_OR_RAISE(t,
                          ConformTable(t, expected, table + " file " + f.path + " (as written)"));
    tables.push_back(std::move(t));
  }
  return tables;
}

// Hands `each` the batches of `t`, one per chunk (no copy into one batch).
Status EachBatch(const arrow::Table& t,
                 const std::function<Status(std::shared_ptr<arrow::RecordBatch>)>& each) {
  arrow::TableBatchReader reader(t);
  reader.set_chunksize(INT64_MAX);
  std::shared_ptr<arrow::RecordBatch> batch;
  while (true) {
    ARROW_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (!batch) return Status::OK();
    ARROW_RETURN_NOT_OK(each(std::move(batch)));
  }
}

}  // namespace

Result<std::vector<std::shared_ptr<arrow::RecordBatch>>> ReadRange(
    const Lakehouse& lake, const std::string& table, const InputRange& range,
    const std::shared_ptr<arrow::Schema>& expected, const FileUpgrade& upgrade) {
  std::vector<std::shared_ptr<arrow::RecordBatch>> out;
  const auto keep = [&](std::shared_ptr<arrow::RecordBatch> batch) {
    out.push_back(std::move(batch));
    return Status::OK();
  };
  for (const AddFile& f : range.files) {
    ARROW_ASSIGN_OR_RAISE(auto written, TakeWritten(lake, table, f, expected, upgrade));
    if (written) {
      for (const auto& t : *written) ARROW_RETURN_NOT_OK(EachBatch(*t, keep));
      continue;
    }
    ARROW_ASSIGN_OR_RAISE(auto t, lake.ReadParquet(table, f, expected, upgrade));
    ARROW_RETURN_NOT_OK(EachBatch(*t, keep));
  }
  return out;
}

Status ScanRange(const Lakehouse& lake, const std::string& table, const InputRange& range,
                 const std::shared_ptr<arrow::Schema>& expected, int64_t batch_rows,
                 const std::function<Status(const arrow::RecordBatch&)>& each,
                 const FileUpgrade& upgrade) {
  const auto pass = [&](std::shared_ptr<arrow::RecordBatch> batch) { return each(*batch); };
  for (const AddFile& f : range.files) {
    ARROW_ASSIGN_OR_RAISE(auto written, TakeWritten(lake, table, f, expected, upgrade));
    if (written) {
      for (const auto& t : *written) ARROW_RETURN_NOT_OK(EachBatch(*t, pass));
    } else {
      ARROW_RETURN_NOT_OK(lake.ScanParquet(table, f, expected, batch_rows, pass, upgrade));
    }
  }
  return Status::OK();
}

Result<int64_t> RecordsAfter(DeltaLog& input, int64_t after_version) {
  ARROW_ASSIGN_OR_RAISE(auto snapshot, input.Update());
  ARROW_ASSIGN_OR_RAISE(auto files, input.DataAddedIn(after_version, snapshot->version));
  int64_t n = 0;
  for (const AddFile& f : files) n += f.num_records;
  return n;
}

Result<int64_t> CommitStep(const Lakehouse& lake, const std::string& app_id,
                           const InputRange& range, std::vector<StepOutput>& outputs,
                           const std::string& operation) {
  int64_t primary_version = -1;
  for (size_t i = 0; i < outputs.size(); ++i) {
    StepOutput& out = outputs[i];
    const bool primary = i + 1 == outputs.size();
    ARROW_ASSIGN_OR_RAISE(int64_t done, TxnVersion(*out.log, app_id));
    if (done >= range.to_version) continue;  // committed before a crash
    // Another writer of the same appId committed part of this range: ours would repeat it.
    if (done > range.after_version) {
      return Status::Cancelled("conflict: ", app_id, " moved to ", done, " in ", out.table,
                               " during a step over (", range.after_version, ", ", range.to_version,
                               "]");
    }
    int64_t rows = 0;
    if (out.file) {
      rows = out.file->num_records;
    } else {
      for (const auto& b : out.batches) rows += b->num_rows();
    }
    if (rows == 0 && !primary) continue;
    Commit commit;
    commit.operation = operation;
    commit.txns[app_id] = range.to_version;
    if (rows > 0) {
      AddFile add;
      if (out.file) {
        add = *out.file;
      } else {
        ARROW_ASSIGN_OR_RAISE(add,
                              lake.WriteParquet(out.table, out.schema, out.batches, out.hints));
      }
      // Offered before the commit: a reader may take the file as soon as it is committed.
      lake.written().Offer(out.table, add.path, out.batches);
      commit.adds.push_back(std::move(add));
    }
    auto committed = out.log->CommitAppend(commit, {{app_id, done}});
    if (!committed.ok()) {
      for (const AddFile& add : commit.adds) lake.written().Take(out.table, add.path);
      return committed.status();
    }
    const int64_t version = *committed;
    if (primary) primary_version = version;
    if (auto compacted = AutoCompact(lake, *out.log, out.table, out.hints); !compacted.ok()) {
      spdlog::warn("{}: automatic compaction failed: {}", out.table, compacted.status().message());
    }
  }
  return primary_version;
}

}  // namespace pizzastream::lake
