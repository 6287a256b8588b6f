// A Delta Lake transaction log (`<table>/_delta_log/`), read and written per the Delta protocol
// so Spark, delta-rs and DuckDB read, maintain and write the same tables.
//
// Reading: the first Update starts from the checkpoint `_last_checkpoint` names, verified (it
// must parse, name a classic checkpoint that exists and reads), and probes the JSON commits
// after it one version at a time, so start-up lists nothing and costs the same at any history
// length. Without a usable hint it lists `_delta_log` (through the Arrow FileSystem, so S3 too),
// starts from the newest complete classic checkpoint and reads only the JSON commits after it;
// a log whose older commits were cleaned up works. Versions must be contiguous from there on: a
// missing commit is reported as corruption, never taken for the end of the table. Later
// Updates read the commits that appeared since. Every action's fields are type-checked
// (lake/delta_actions.h) and the protocol is checked (lake/delta_protocol.h). Snapshots honour
// `remove`; incremental readers ask for the *data changes* of a version range: files added
// with dataChange=true by commits that remove nothing with dataChange=true (a compaction's
// rewrite is not new data, and like Delta streaming's skipChangeCommits a commit that deletes
// or rewrites existing rows contributes no new rows).
//
// Writing: commits are created put-if-absent through the LogStore, so two writers never both
// write version N; the loser re-reads and retries unless one of its txn appIds moved (then a
// Cancelled "conflict" status) or a file it removes is gone (compaction lost a race: Cancelled).
// After a commit, a checkpoint is written every `delta.checkpointInterval` versions (default 10),
// then the log files older than the retention are cleaned up (lake/delta_log_cleanup.h; at
// most once an hour per handle).
// A table is created only where `_delta_log` holds nothing.
//
// Not thread-safe; one DeltaLog per writer or reader.
#pragma once

#include <arrow/filesystem/filesystem.h>
#include <arrow/type_fwd.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "lake/delta_actions.h"
#include "lake/delta_log_cleanup.h"
#include "lake/log_store.h"

namespace pizzastream::lake {

// What a table looks like at some version.
struct Snapshot {
  int64_t version = -1;  // -1: the table does not exist yet
  std::shared_ptr<arrow::Schema> schema;
  ProtocolAction protocol;
  MetadataAction metadata;
  std::map<std::string, AddFile> files;          // live files by path
  std::map<std::string, RemoveFile> tombstones;  // removed files by path
  std::map<std::string, int64_t> txns;           // appId -> version
  int64_t num_records = 0;                       // sum of live files' numRecords
  int64_t last_commit_ms = 0;                    // commitInfo timestamp of the newest commit
  int64_t checkpoint_version = -1;               // newest checkpoint known (-1: none)
};

struct Commit {
  std::vector<AddFile> adds;
  std::vector<RemoveFile> removes;                // must all be live when the commit lands
  std::map<std::string, int64_t> txns;            // appId -> new version
  std::string operation = "WRITE";                // commitInfo.operation
  std::map<std::string, std::string> parameters;  // commitInfo.operationParameters
  // When set, the commit also changes the table's schema to this one (a metaData action; the
  // table id, partitioning and configuration stay). Used with a rewrite of every live file
  // (adds and removes with dataChange=false), so the files and the schema change together.
  std::shared_ptr<arrow::Schema> new_schema;
};

// One entry of `lake history`.
struct HistoryEntry {
  int64_t version = 0;
  int64_t timestamp_ms = 0;
  std::string operation;
  std::string commit_info_json;  // "" when the commit is no longer in the log
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
  const std::shared_ptr<LogStore>& store() const { return store_; }
  std::string LogDir() const { return table_path_ + "/_delta_log"; }

  // Reads commits newer than the cached snapshot and returns the table as of the newest one.
  Result<const Snapshot*> Update();
  // Creates version 0 with `schema` when `_delta_log` holds nothing; otherwise reads the table
  // (and fails if it cannot be read).
  Status CreateIfMissing(const std::shared_ptr<arrow::Schema>& schema);
  // Writes `commit` as the next version. Fails with Status::Cancelled ("conflict") when a
  // concurrent commit moved one of commit.txns' appIds past `expected` (appId -> version the
  // writer started from; missing = -1) or removed a file commit.removes removes. Returns the
  // version written. Adds with data_change=false and the removes make a rewrite (compaction).
  Result<int64_t> CommitAppend(const Commit& commit,
                               const std::map<std::string, int64_t>& expected);

  // The data changes of commits in (after_version, to_version], in commit order: files added
  // with dataChange=true outside commits that change existing rows. Reads older commits from
  // the log when needed; a reader that has read nothing (after_version -1) of a log cleaned up
  // below its checkpoint gets the checkpoint's files, then the changes after it. A KeyError
  // status names the version when log clean-up removed commits a reader still needs.
  Result<std::vector<AddFile>> DataAddedIn(int64_t after_version, int64_t to_version);

  // Writes a checkpoint of the current snapshot (no-op if one exists at this version), then
  // cleans up expired log files with the table's retention, at most once an hour per handle
  // (a failed clean-up is logged).
  Status Checkpoint();
  // Deletes the log files older than the retention (the table's delta.logRetentionDuration, or
  // `retention_ms` when given); nothing when delta.enableExpiredLogCleanup is false (then
  // `disabled` is set).
  struct CleanupOutcome {
    LogCleanup cleanup;
    bool disabled = false;
  };
  Result<CleanupOutcome> CleanUpExpiredLogs(std::optional<int64_t> retention_ms = std::nullopt);
  // Checkpoints when `delta.checkpointInterval` versions (default 10) passed since the last.
  Status CheckpointIfDue();

  // The newest `limit` commits, newest first.
  Result<std::vector<HistoryEntry>> History(int64_t limit);

  // Log files (JSON commits and checkpoint parts) this handle has opened: start-up cost.
  int64_t log_files_read() const { return log_files_read_; }
  // Entries of `_delta_log` this handle's loads listed (0 when `_last_checkpoint` was used).
  int64_t log_entries_listed() const { return log_entries_listed_; }

 private:
  Status Load();
  // Loads from the checkpoint `_last_checkpoint` names; false when the hint is missing or
  // unusable (the caller then lists the log).
  Result<bool> LoadFromLastCheckpoint();
  Status StartFromCheckpoint(const std::vector<std::string>& part_names, int64_t version);
  // Applies the commits after the snapshot's version, one at a time, until one is missing.
  Status ReadNextCommits();
  Result<std::optional<std::string>> ReadLogFile(const std::string& name);
  Status Apply(const std::vector<Action>& actions, int64_t version, bool from_checkpoint);
  Status CheckReaderProtocol() const;
  std::string Where(int64_t version) const;

  std::shared_ptr<arrow::fs::FileSystem> fs_;
  std::shared_ptr<LogStore> store_;
  std::string table_path_;
  Snapshot snapshot_;
  bool loaded_ = false;
  // Data changes of versions >= changes_from_ (versions without any have no entry).
  std::map<int64_t, std::vector<AddFile>> changes_;
  int64_t changes_from_ = 0;
  std::vector<AddFile> checkpoint_files_;  // live files of the checkpoint the snapshot started from
  int64_t log_files_read_ = 0;
  int64_t log_entries_listed_ = 0;
  int64_t last_auto_cleanup_ms_ = 0;  // when Checkpoint last ran the clean-up
};

// Delta's schemaString (Spark StructType JSON) for an Arrow schema, and back.
Result<std::string> DeltaSchemaJson(const arrow::Schema& schema);
Result<std::shared_ptr<arrow::Schema>> SchemaFromDeltaJson(std::string_view json);

// The table property `key` of `snapshot` as an integer, or `fallback`.
int64_t TableProperty(const Snapshot& snapshot, const std::string& key, int64_t fallback);

}  // namespace pizzastream::lake
