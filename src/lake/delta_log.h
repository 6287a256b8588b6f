// A Delta Lake transaction log (`<table>/_delta_log/NNNNNNNNNNNNNNNNNNNN.json`), written and
// read per the Delta protocol (reader 1 / writer 2) so Spark, delta-rs and DuckDB read our
// tables. Each commit is one JSON file with one action per line: protocol + metaData in
// version 0, then `add` for each new Parquet file, `txn` for each source position the commit
// covers, and `commitInfo`.
//
// Exactly-once: a stage commits its output files together with `txn` actions
// (appId = the input it read, version = how far it read). A commit is created with
// put-if-absent, so two writers never both write version N; the loser re-reads the log and
// retries unless one of its appIds moved meanwhile (then it gets a Conflict status and must
// re-read its input position). Not thread-safe; one DeltaLog per writer.
#pragma once

#include <arrow/filesystem/filesystem.h>
#include <arrow/type_fwd.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "lake/log_store.h"

namespace pizzastream::lake {

struct AddFile {
  std::string path;         // relative to the table root
  int64_t size = 0;         // bytes
  int64_t num_records = 0;  // from stats.numRecords
  int64_t modification_time_ms = 0;
  int64_t version = 0;  // the commit that added it
};

// What a table looks like at some version.
struct Snapshot {
  int64_t version = -1;  // -1: the table does not exist yet
  std::shared_ptr<arrow::Schema> schema;
  std::vector<AddFile> files;           // live files, in commit order
  std::map<std::string, int64_t> txns;  // appId -> version
  int64_t num_records = 0;              // sum of files' numRecords
  int64_t last_commit_ms = 0;           // commitInfo timestamp of the newest commit
};

struct Commit {
  std::vector<AddFile> adds;
  std::map<std::string, int64_t> txns;  // appId -> new version
  std::string operation = "WRITE";      // commitInfo.operation
};

class DeltaLog {
 public:
  // `table_path` is the table root inside `fs` (no scheme); commits are created through `store`.
  DeltaLog(std::shared_ptr<arrow::fs::FileSystem> fs, std::shared_ptr<LogStore> store,
           std::string table_path);
  DeltaLog(const DeltaLog&) = delete;
  DeltaLog& operator=(const DeltaLog&) = delete;

  const std::string& table_path() const { return table_path_; }
  const std::shared_ptr<arrow::fs::FileSystem>& fs() const { return fs_; }

  // Reads commits newer than the cached snapshot and returns the table as of the newest one.
  Result<const Snapshot*> Update();
  // Creates version 0 with `schema` unless the table exists (then checks nothing and returns).
  Status CreateIfMissing(const std::shared_ptr<arrow::Schema>& schema);
  // Writes `commit` as the next version. Fails with Status::Cancelled ("conflict") when a
  // concurrent commit moved one of commit.txns' appIds past `expected` (appId -> version the
  // writer started from; missing = -1). Returns the version written.
  Result<int64_t> CommitAppend(const Commit& commit,
                               const std::map<std::string, int64_t>& expected);
  // Files added by commits in (after_version, snapshot version], in commit order.
  Result<std::vector<AddFile>> FilesAddedAfter(int64_t after_version);

 private:
  Status ReadCommit(int64_t version, bool* found);
  std::shared_ptr<arrow::fs::FileSystem> fs_;
  std::shared_ptr<LogStore> store_;
  std::string table_path_;
  Snapshot snapshot_;
};

// Delta's schemaString (Spark StructType JSON) for an Arrow schema, and back.
Result<std::string> DeltaSchemaJson(const arrow::Schema& schema);
Result<std::shared_ptr<arrow::Schema>> SchemaFromDeltaJson(std::string_view json);

}  // namespace pizzastream::lake
