// The actions of a Delta commit (protocol, metaData, add, remove, txn, commitInfo), parsed
// from one JSON line with every field's type checked, and written back as JSON lines.
//
// Contract: a parse never throws (nlohmann is used without exceptions); a field of the wrong
// type, a missing required field or invalid JSON is an Invalid status naming the field, so a
// hand-edited or corrupt commit is a clear error, never an abort. Unknown actions (cdc,
// domainMetadata, checkpointMetadata, sidecar...) are reported by name so the log can decide.
// Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pizzastream::lake {

struct AddFile {
  std::string path;         // relative to the table root, a URI as in the log (%-escaped)
  int64_t size = 0;         // bytes
  int64_t num_records = 0;  // from stats.numRecords (0 when the writer gave no stats)
  int64_t modification_time_ms = 0;
  int64_t version = -1;     // the commit that added it (-1: known only from a checkpoint)
  bool data_change = true;  // false: a rewrite of rows already in the table (compaction)
  std::string stats;        // the stats JSON as written ("" when none)
  bool has_deletion_vector = false;
};

struct RemoveFile {
  std::string path;
  int64_t deletion_timestamp_ms = 0;
  bool data_change = true;
  int64_t size = 0;
};

struct ProtocolAction {
  int32_t min_reader_version = 1;
  int32_t min_writer_version = 2;
  std::vector<std::string> reader_features;  // reader version 3 only
  std::vector<std::string> writer_features;  // writer version 7 only
};

struct MetadataAction {
  std::string id;
  std::string schema_string;
  std::vector<std::string> partition_columns;
  std::map<std::string, std::string> configuration;
  int64_t created_time_ms = 0;
};

struct TxnAction {
  std::string app_id;
  int64_t version = -1;
  int64_t last_updated_ms = 0;
};

struct CommitInfoAction {
  int64_t timestamp_ms = 0;
  std::string operation;
  std::string json;  // the whole commitInfo object, for `lake history`
};

// One parsed line: exactly one of the members is set, or `other` names an action pizzastream
// does not interpret.
struct Action {
  std::optional<AddFile> add;
  std::optional<RemoveFile> remove;
  std::optional<ProtocolAction> protocol;
  std::optional<MetadataAction> metadata;
  std::optional<TxnAction> txn;
  std::optional<CommitInfoAction> commit_info;
  std::string other;  // e.g. "cdc", "domainMetadata", "checkpointMetadata"
};

// Parses one line of a commit file. `where` (e.g. "silver/silver_cleaned version 12") prefixes
// errors.
Result<Action> ParseAction(std::string_view line, std::string_view where);

// Parses every non-empty line of a commit file.
Result<std::vector<Action>> ParseCommit(std::string_view text, std::string_view where);

// JSON lines (with their trailing newline) for the actions pizzastream writes.
std::string AddLine(const AddFile& add);
std::string RemoveLine(const RemoveFile& remove);
std::string TxnLine(const TxnAction& txn);
std::string ProtocolLine(const ProtocolAction& protocol);
std::string MetadataLine(const MetadataAction& metadata);
std::string CommitInfoLine(int64_t timestamp_ms, std::string_view operation,
                           const std::map<std::string, std::string>& parameters, bool blind_append);

}  // namespace pizzastream::lake
