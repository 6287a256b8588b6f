#include "lake/delta_log.h"

#include <arrow/buffer.h>
#include <arrow/filesystem/api.h>
#include <arrow/io/interfaces.h>
#include <arrow/type.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>

#include "core/clock.h"
#include "lake/delta_checkpoint.h"
#include "lake/delta_log_listing.h"
#include "lake/delta_protocol.h"

namespace pizzastream::lake {

using json = nlohmann::json;

namespace {

std::string CommitName(int64_t version) { return fmt::format("{:020d}.json", version); }

std::string NewTableId() {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  const uint64_t a = gen(), b = gen();
  return fmt::format("{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}", a >> 32, (a >> 16) & 0xffff,
                     a & 0xfff, b >> 52 & 0xfff, b & 0xffffffffffffULL);
}

Result<std::string> DeltaTypeName(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::STRING:
      return std::string("string");
    case arrow::Type::INT64:
      return std::string("long");
    case arrow::Type::INT32:
      return std::string("integer");
    case arrow::Type::INT16:
      return std::string("short");
    case arrow::Type::BOOL:
      return std::string("boolean");
    case arrow::Type::DOUBLE:
      return std::string("double");
    case arrow::Type::FLOAT:
      return std::string("float");
    case arrow::Type::INT8:
      return std::string("byte");
    case arrow::Type::BINARY:
      return std::string("binary");
    case arrow::Type::DATE32:
      return std::string("date");
    case arrow::Type::TIMESTAMP:
      return std::string("timestamp");
    case arrow::Type::DECIMAL128: {
      const auto& dec = static_cast<const arrow::Decimal128Type&>(type);
      return fmt::format("decimal({},{})", dec.precision(), dec.scale());
    }
    default:
      return Status::NotImplemented("no Delta type for Arrow type ", type.ToString());
  }
}

Result<std::shared_ptr<arrow::DataType>> ArrowTypeFor(const std::string& name) {
  if (name == "string") return arrow::utf8();
  if (name == "long") return arrow::int64();
  if (name == "integer") return arrow::int32();
  if (name == "short") return arrow::int16();
  if (name == "boolean") return arrow::boolean();
  if (name == "double") return arrow::float64();
  if (name == "float") return arrow::float32();
  if (name == "byte") return arrow::int8();
  if (name == "binary") return arrow::binary();
  if (name == "timestamp_ntz") return arrow::timestamp(arrow::TimeUnit::MICRO);
  if (name == "date") return arrow::date32();
  if (name == "timestamp") return arrow::timestamp(arrow::TimeUnit::MICRO, "UTC");
  int precision = 0, scale = 0;
  if (std::sscanf(name.c_str(), "decimal(%d,%d)", &precision, &scale) == 2 && precision >= 1 &&
      precision <= 38 && scale >= 0 && scale <= precision) {
    return arrow::decimal128(precision, scale);
  }
  return Status::NotImplemented("unsupported Delta type '", name, "'");
}

constexpr int64_t kDefaultCheckpointInterval = 10;
constexpr int64_t kTombstoneRetentionMs = 7LL * 24 * 3600 * 1000;  // Delta's default, 1 week
constexpr size_t kMaxCachedChangeVersions = 4096;
constexpr int64_t kAutoCleanupEveryMs = 3600LL * 1000;

// The data changes of one commit: its dataChange adds, unless it also removes files with
// dataChange=true (a delete, update or overwrite: Delta streaming's skipChangeCommits).
std::vector<AddFile> DataAdds(const std::vector<Action>& actions, int64_t version,
                              bool* change_commit) {
  *change_commit = false;
  for (const auto& a : actions) {
    if (a.remove && a.remove->data_change) *change_commit = true;
  }
  std::vector<AddFile> out;
  if (*change_commit) return out;
  for (const auto& a : actions) {
    if (a.add && a.add->data_change) {
      out.push_back(*a.add);
      out.back().version = version;
    }
  }
  return out;
}

}  // namespace

Result<std::string> DeltaSchemaJson(const arrow::Schema& schema) {
  json fields = json::array();
  for (const auto& f : schema.fields()) {
    ARROW_ASSIGN_OR_RAISE(auto type, DeltaTypeName(*f->type()));
    fields.push_back({{"name", f->name()},
                      {"type", type},
                      {"nullable", f->nullable()},
                      {"metadata", json::object()}});
  }
  return json{{"type", "struct"}, {"fields", fields}}.dump();
}

Result<std::shared_ptr<arrow::Schema>> SchemaFromDeltaJson(std::string_view text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("fields") ||
      !doc["fields"].is_array()) {
    return Status::Invalid("bad Delta schema: not a struct with a 'fields' array");
  }
  arrow::FieldVector fields;
  for (const auto& f : doc["fields"]) {
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string()) {
      return Status::Invalid("bad Delta schema: a field without a name");
    }
    const std::string name = f["name"].get<std::string>();
    if (!f.contains("type") || !f["type"].is_string()) {
      return Status::NotImplemented("column '", name,
                                    "' has a nested Delta type, which pizzastream does not read");
    }
    bool nullable = true;
    if (f.contains("nullable")) {
      if (!f["nullable"].is_boolean()) {
        return Status::Invalid("bad Delta schema: 'nullable' of '", name, "' is not a boolean");
      }
      nullable = f["nullable"].get<bool>();
    }
    ARROW_ASSIGN_OR_RAISE(auto type, ArrowTypeFor(f["type"].get<std::string>()));
    fields.push_back(arrow::field(name, type, nullable));
  }
  return arrow::schema(fields);
}

int64_t TableProperty(const Snapshot& snapshot, const std::string& key, int64_t fallback) {
  auto it = snapshot.metadata.configuration.find(key);
  if (it == snapshot.metadata.configuration.end()) return fallback;
  int64_t value = 0;
  const auto& text = it->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() ? value : fallback;
}

DeltaLog::DeltaLog(std::shared_ptr<arrow::fs::FileSystem> fs, std::shared_ptr<LogStore> store,
                   std::string table_path)
    : fs_(std::move(fs)), store_(std::move(store)), table_path_(std::move(table_path)) {}

std::string DeltaLog::Where(int64_t version) const {
  return fmt::format("Delta table {} version {}", table_path_, version);
}

Result<std::optional<std::string>> DeltaLog::ReadLogFile(const std::string& name) {
  const std::string path = LogDir() + "/" + name;
  auto maybe_in = fs_->OpenInputStream(path);
  if (!maybe_in.ok()) {
    ARROW_ASSIGN_OR_RAISE(auto info, fs_->GetFileInfo(path));
    if (info.type() == arrow::fs::FileType::NotFound) return std::optional<std::string>();
    // A writer created it between the two calls: it is complete (commits appear atomically).
    maybe_in = fs_->OpenInputStream(path);
    if (!maybe_in.ok()) return maybe_in.status();
  }
  ++log_files_read_;
  auto in = *maybe_in;
  std::string text;
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto buf, in->Read(1 << 20));
    if (buf->size() == 0) break;
    text.append(reinterpret_cast<const char*>(buf->data()), buf->size());
  }
  ARROW_RETURN_NOT_OK(in->Close());
  return std::optional<std::string>(std::move(text));
}

Status DeltaLog::Apply(const std::vector<Action>& actions, int64_t version, bool from_checkpoint) {
  bool change_commit = false;
  std::vector<AddFile> data_adds = DataAdds(actions, version, &change_commit);
  for (const auto& a : actions) {
    if (a.protocol) {
      snapshot_.protocol = *a.protocol;
    } else if (a.metadata) {
      auto schema = SchemaFromDeltaJson(a.metadata->schema_string);
      if (!schema.ok()) {
        return schema.status().WithMessage(Where(version), ": ", schema.status().message());
      }
      snapshot_.schema = *schema;
      snapshot_.metadata = *a.metadata;
    } else if (a.add) {
      if (a.add->has_deletion_vector) {
        return Status::NotImplemented(Where(version), ": ", a.add->path,
                                      " has a deletion vector, which pizzastream does not read");
      }
      AddFile f = *a.add;
      f.version = from_checkpoint ? -1 : version;
      snapshot_.tombstones.erase(f.path);
      auto [it, inserted] = snapshot_.files.try_emplace(f.path, f);
      if (!inserted) {
        snapshot_.num_records -= it->second.num_records;
        it->second = f;
      }
      snapshot_.num_records += f.num_records;
    } else if (a.remove) {
      auto it = snapshot_.files.find(a.remove->path);
      if (it != snapshot_.files.end()) {
        snapshot_.num_records -= it->second.num_records;
        snapshot_.files.erase(it);
      }
      snapshot_.tombstones[a.remove->path] = *a.remove;
    } else if (a.txn) {
      snapshot_.txns[a.txn->app_id] = a.txn->version;
    } else if (a.commit_info) {
      snapshot_.last_commit_ms = a.commit_info->timestamp_ms;
    } else if (a.other == "checkpointMetadata" || a.other == "sidecar") {
      return Status::NotImplemented(Where(version),
                                    ": V2 checkpoints are not supported by pizzastream");
    }
  }
  if (change_commit && !from_checkpoint) {
    spdlog::warn("{}: the commit changes existing rows; its files are not taken as new data",
                 Where(version));
  }
  if (!from_checkpoint && !data_adds.empty()) changes_[version] = std::move(data_adds);
  if (changes_.size() > kMaxCachedChangeVersions) {  // readers re-read older ones if they must
    auto cut = std::next(changes_.begin(), static_cast<long>(changes_.size() / 2));
    changes_from_ = cut->first;
    changes_.erase(changes_.begin(), cut);
  }
  snapshot_.version = version;
  return Status::OK();
}

Status DeltaLog::CheckReaderProtocol() const {
  if (snapshot_.version < 0) return Status::OK();
  if (snapshot_.schema == nullptr) {
    return Status::Invalid("Delta table ", table_path_, " is corrupt: no metaData action");
  }
  return CheckReadable(snapshot_.protocol, snapshot_.metadata, table_path_);
}

Status DeltaLog::StartFromCheckpoint(const std::vector<std::string>& part_names, int64_t version) {
  std::vector<std::string> paths;
  for (const auto& file : part_names) paths.push_back(LogDir() + "/" + file);
  ARROW_ASSIGN_OR_RAISE(auto actions, ReadCheckpoint(*fs_, paths, Where(version)));
  log_files_read_ += static_cast<int64_t>(paths.size());
  ARROW_RETURN_NOT_OK(Apply(actions, version, /*from_checkpoint=*/true));
  snapshot_.checkpoint_version = version;
  for (const auto& [path, f] : snapshot_.files) {
    checkpoint_files_.push_back(f);
    checkpoint_files_.back().version = version;
  }
  changes_from_ = version + 1;
  return Status::OK();
}

Result<bool> DeltaLog::LoadFromLastCheckpoint() {
  auto hint_text = ReadLogFile("_last_checkpoint");
  if (!hint_text.ok() || !*hint_text) return false;
  --log_files_read_;  // the hint is not a log file (the counter is commits and checkpoints)
  const json hint = json::parse(**hint_text, nullptr, /*allow_exceptions=*/false);
  // A half-written, foreign or V2 hint: list the log instead.
  if (hint.is_discarded() || !hint.is_object() || !hint.contains("version") ||
      !hint["version"].is_number_integer() || hint["version"].get<int64_t>() < 0 ||
      hint.contains("v2Checkpoint")) {
    return false;
  }
  const int64_t version = hint["version"].get<int64_t>();
  int64_t parts = 1;
  if (hint.contains("parts") && !hint["parts"].is_null()) {
    if (!hint["parts"].is_number_integer() || hint["parts"].get<int64_t>() < 1 ||
        hint["parts"].get<int64_t>() > 100000) {
      return false;
    }
    parts = hint["parts"].get<int64_t>();
  }
  std::vector<std::string> names;
  if (parts == 1) {
    names.push_back(fmt::format("{:020d}.checkpoint.parquet", version));
  } else {
    for (int64_t p = 1; p <= parts; ++p) {
      names.push_back(fmt::format("{:020d}.checkpoint.{:010d}.{:010d}.parquet", version, p, parts));
    }
  }
  // Verified by reading it: a stale hint (its checkpoint cleaned up) or a broken checkpoint
  // falls back to the listing, which starts from whatever complete checkpoint there is.
  if (!StartFromCheckpoint(names, version).ok()) {
    snapshot_ = Snapshot{};
    checkpoint_files_.clear();
    changes_.clear();
    changes_from_ = 0;
    return false;
  }
  ARROW_RETURN_NOT_OK(ReadNextCommits());
  // A commit after the first missing one means a hole: the listing reports it.
  ARROW_ASSIGN_OR_RAISE(auto after,
                        fs_->GetFileInfo(LogDir() + "/" + CommitName(snapshot_.version + 2)));
  if (after.type() != arrow::fs::FileType::NotFound) {
    snapshot_ = Snapshot{};
    checkpoint_files_.clear();
    changes_.clear();
    changes_from_ = 0;
    return false;
  }
  return true;
}

Status DeltaLog::Load() {
  snapshot_ = Snapshot{};
  changes_.clear();
  checkpoint_files_.clear();
  changes_from_ = 0;
  ARROW_ASSIGN_OR_RAISE(bool from_hint, LoadFromLastCheckpoint());
  if (from_hint) {
    loaded_ = true;
    return CheckReaderProtocol();
  }
  arrow::fs::FileSelector selector;
  selector.base_dir = LogDir();
  selector.allow_not_found = true;
  ARROW_ASSIGN_OR_RAISE(auto infos, fs_->GetFileInfo(selector));
  log_entries_listed_ += static_cast<int64_t>(infos.size());
  LogListing listing;
  for (const auto& info : infos) {
    if (info.IsFile()) AddLogFileName(info.base_name(), &listing);
  }
  if (listing.empty()) {
    loaded_ = true;
    return Status::OK();
  }
  ARROW_ASSIGN_OR_RAISE(auto plan, PlanLogRead(listing, table_path_));
  if (plan.checkpoint) {
    ARROW_RETURN_NOT_OK(StartFromCheckpoint(plan.checkpoint_files, *plan.checkpoint));
  }
  changes_from_ = plan.first_commit;
  for (int64_t v = plan.first_commit; v <= plan.last_version; ++v) {
    ARROW_ASSIGN_OR_RAISE(auto text, ReadLogFile(CommitName(v)));
    if (!text) {
      return Status::Invalid("Delta table ", table_path_, " is corrupt: commit ", v,
                             " disappeared while it was read");
    }
    ARROW_ASSIGN_OR_RAISE(auto actions, ParseCommit(*text, Where(v)));
    ARROW_RETURN_NOT_OK(Apply(actions, v, /*from_checkpoint=*/false));
  }
  loaded_ = true;
  return CheckReaderProtocol();
}

Status DeltaLog::ReadNextCommits() {
  while (true) {
    const int64_t next = snapshot_.version + 1;
    ARROW_ASSIGN_OR_RAISE(auto text, ReadLogFile(CommitName(next)));
    if (!text) break;
    ARROW_ASSIGN_OR_RAISE(auto actions, ParseCommit(*text, Where(next)));
    ARROW_RETURN_NOT_OK(Apply(actions, next, /*from_checkpoint=*/false));
  }
  return Status::OK();
}

Result<const Snapshot*> DeltaLog::Update() {
  if (!loaded_) {
    auto st = Load();
    if (!st.ok()) {
      loaded_ = false;
      return st;
    }
  }
  const int64_t before = snapshot_.version;
  ARROW_RETURN_NOT_OK(ReadNextCommits());
  if (snapshot_.version != before) ARROW_RETURN_NOT_OK(CheckReaderProtocol());
  return &snapshot_;
}

Status DeltaLog::CreateIfMissing(const std::shared_ptr<arrow::Schema>& schema) {
  ARROW_RETURN_NOT_OK(Update().status());
  if (snapshot_.version >= 0) return Status::OK();
  ARROW_RETURN_NOT_OK(fs_->CreateDir(LogDir(), /*recursive=*/true));
  ARROW_ASSIGN_OR_RAISE(auto schema_json, DeltaSchemaJson(*schema));
  const int64_t now = WallClockMillis();
  MetadataAction metadata;
  metadata.id = NewTableId();
  metadata.schema_string = schema_json;
  metadata.created_time_ms = now;
  const std::string body = ProtocolLine(DefaultProtocol()) + MetadataLine(metadata) +
                           CommitInfoLine(now, "CREATE TABLE", {}, false);
  ARROW_RETURN_NOT_OK(store_->PutIfAbsent(LogDir() + "/" + CommitName(0), body).status());
  return Update().status();  // created by us or by a concurrent writer: both fine
}

Result<int64_t> DeltaLog::CommitAppend(const Commit& commit,
                                       const std::map<std::string, int64_t>& expected) {
  const int64_t now = WallClockMillis();
  std::string actions;
  for (const auto& [app_id, version] : commit.txns) actions += TxnLine({app_id, version, now});
  for (const RemoveFile& r : commit.removes) actions += RemoveLine(r);
  for (const AddFile& f : commit.adds) actions += AddLine(f);
  actions += CommitInfoLine(now, commit.operation, commit.parameters, commit.removes.empty());
  std::string new_schema_json;
  if (commit.new_schema) {
    ARROW_ASSIGN_OR_RAISE(new_schema_json, DeltaSchemaJson(*commit.new_schema));
  }
  while (true) {
    ARROW_RETURN_NOT_OK(Update().status());
    if (snapshot_.version < 0) {
      return Status::Invalid("Delta table ", table_path_, " does not exist");
    }
    ARROW_RETURN_NOT_OK(CheckWritable(snapshot_.protocol, snapshot_.metadata, table_path_));
    std::string body;
    if (commit.new_schema) {
      MetadataAction metadata = snapshot_.metadata;
      metadata.schema_string = new_schema_json;
      body = MetadataLine(metadata);
    }
    body += actions;
    for (const auto& [app_id, version] : commit.txns) {
      auto it = snapshot_.txns.find(app_id);
      const int64_t current = it == snapshot_.txns.end() ? -1 : it->second;
      auto exp = expected.find(app_id);
      const int64_t want = exp == expected.end() ? -1 : exp->second;
      if (current != want) {
        return Status::Cancelled("conflict: ", app_id, " is at ", current, " in ", table_path_,
                                 ", expected ", want);
      }
    }
    for (const RemoveFile& r : commit.removes) {
      if (!snapshot_.files.count(r.path)) {
        return Status::Cancelled("conflict: ", r.path, " of ", table_path_,
                                 " was removed by a concurrent commit");
      }
    }
    const int64_t version = snapshot_.version + 1;
    // A commit after the one we would write means the log has a hole here: never fill it.
    ARROW_ASSIGN_OR_RAISE(auto after, fs_->GetFileInfo(LogDir() + "/" + CommitName(version + 1)));
    if (after.type() != arrow::fs::FileType::NotFound) {
      ARROW_ASSIGN_OR_RAISE(auto at, fs_->GetFileInfo(LogDir() + "/" + CommitName(version)));
      if (at.type() == arrow::fs::FileType::NotFound) {
        return Status::Invalid("Delta table ", table_path_, " is corrupt: commit ", version,
                               " is missing but commit ", version + 1, " exists");
      }
      continue;  // concurrent writers got there: read their commits
    }
    ARROW_ASSIGN_OR_RAISE(bool written,
                          store_->PutIfAbsent(LogDir() + "/" + CommitName(version), body));
    if (written) {
      ARROW_RETURN_NOT_OK(Update().status());
      if (auto st = CheckpointIfDue(); !st.ok()) {
        spdlog::warn("{}: checkpoint not written: {}", Where(snapshot_.version), st.message());
      }
      return version;
    }
    // Someone else wrote this version: re-read and check our appIds again.
  }
}

Result<std::vector<AddFile>> DeltaLog::DataAddedIn(int64_t after_version, int64_t to_version) {
  to_version = std::min(to_version, snapshot_.version);
  std::vector<AddFile> out;
  if (to_version <= after_version) return out;
  // Versions older than what the snapshot read (it started from a checkpoint): read them, all
  // of them up to changes_from_ even past `to_version`, as changes_from_ moves down to
  // after_version + 1 below and changes_ must then hold every version from there on.
  for (int64_t v = std::max<int64_t>(after_version + 1, 0); v < changes_from_; ++v) {
    ARROW_ASSIGN_OR_RAISE(auto text, ReadLogFile(CommitName(v)));
    if (!text && after_version < 0 && !checkpoint_files_.empty() &&
        to_version >= snapshot_.checkpoint_version) {
      // A reader that has read nothing starts from the table as of the checkpoint.
      out = checkpoint_files_;
      after_version = snapshot_.checkpoint_version;
      break;
    }
    if (!text) {
      return Status::KeyError("Delta table ", table_path_, ": commit ", v,
                              " is no longer in the log (log clean-up), but a reader is at "
                              "version ",
                              after_version, " and needs its changes");
    }
    ARROW_ASSIGN_OR_RAISE(auto actions, ParseCommit(*text, Where(v)));
    bool change_commit = false;
    auto adds = DataAdds(actions, v, &change_commit);
    if (!adds.empty()) changes_[v] = std::move(adds);
  }
  changes_from_ = std::min(changes_from_, std::max<int64_t>(after_version + 1, 0));
  for (auto it = changes_.upper_bound(after_version);
       it != changes_.end() && it->first <= to_version; ++it) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  // The reader never asks for versions it has processed again.
  changes_.erase(changes_.begin(), changes_.upper_bound(after_version));
  changes_from_ = std::max(changes_from_, after_version + 1);
  return out;
}

Status DeltaLog::Checkpoint() {
  ARROW_RETURN_NOT_OK(Update().status());
  if (snapshot_.version < 0 || snapshot_.checkpoint_version == snapshot_.version) {
    return Status::OK();
  }
  ARROW_RETURN_NOT_OK(CheckWritable(snapshot_.protocol, snapshot_.metadata, table_path_));
  CheckpointContent content;
  content.version = snapshot_.version;
  content.protocol = snapshot_.protocol;
  content.metadata = snapshot_.metadata;
  for (const auto& [app_id, version] : snapshot_.txns) content.txns.push_back({app_id, version, 0});
  for (const auto& [path, f] : snapshot_.files) content.adds.push_back(f);
  const int64_t expire_before = WallClockMillis() - kTombstoneRetentionMs;
  for (const auto& [path, r] : snapshot_.tombstones) {
    if (r.deletion_timestamp_ms >= expire_before) content.tombstones.push_back(r);
  }
  ARROW_RETURN_NOT_OK(WriteCheckpoint(*store_, LogDir(), content));
  snapshot_.checkpoint_version = snapshot_.version;
  // Clean-up lists the log: at most once an hour per handle, not at every checkpoint of a
  // stream (the retention is days; an hour more of log costs nothing).
  const int64_t now = WallClockMillis();
  if (now - last_auto_cleanup_ms_ >= kAutoCleanupEveryMs) {
    last_auto_cleanup_ms_ = now;
    if (auto cleaned = CleanUpExpiredLogs(); !cleaned.ok()) {
      spdlog::warn("{}: expired log files not cleaned up: {}", Where(snapshot_.version),
                   cleaned.status().message());
    }
  }
  return Status::OK();
}

Result<DeltaLog::CleanupOutcome> DeltaLog::CleanUpExpiredLogs(std::optional<int64_t> retention_ms) {
  ARROW_RETURN_NOT_OK(Update().status());
  CleanupOutcome out;
  if (snapshot_.version < 0) return out;
  ARROW_ASSIGN_OR_RAISE(auto retention, LogRetentionOf(snapshot_.metadata, table_path_));
  if (!retention.enabled) {
    out.disabled = true;
    return out;
  }
  const int64_t keep_ms = retention_ms.value_or(retention.retention_ms);
  ARROW_ASSIGN_OR_RAISE(out.cleanup,
                        CleanUpExpiredLogFiles(*fs_, LogDir(), WallClockMillis() - keep_ms));
  if (!out.cleanup.deleted.empty()) {
    spdlog::debug("{}: log clean-up deleted {} file(s) older than checkpoint {}", table_path_,
                  out.cleanup.deleted.size(), out.cleanup.cutoff_checkpoint);
  }
  return out;
}

Status DeltaLog::CheckpointIfDue() {
  const int64_t interval =
      TableProperty(snapshot_, "delta.checkpointInterval", kDefaultCheckpointInterval);
  const int64_t v = snapshot_.version;
  if (interval <= 0 || v <= 0) return Status::OK();
  if (v % interval == 0 || v - snapshot_.checkpoint_version > interval) return Checkpoint();
  return Status::OK();
}

Result<std::vector<HistoryEntry>> DeltaLog::History(int64_t limit) {
  ARROW_RETURN_NOT_OK(Update().status());
  std::vector<HistoryEntry> out;
  for (int64_t v = snapshot_.version; v >= 0 && static_cast<int64_t>(out.size()) < limit; --v) {
    HistoryEntry entry;
    entry.version = v;
    ARROW_ASSIGN_OR_RAISE(auto text, ReadLogFile(CommitName(v)));
    if (!text) {  // cleaned up: what is older is gone too
      out.push_back(entry);
      break;
    }
    ARROW_ASSIGN_OR_RAISE(auto actions, ParseCommit(*text, Where(v)));
    for (const auto& a : actions) {
      if (!a.commit_info) continue;
      entry.timestamp_ms = a.commit_info->timestamp_ms;
      entry.operation = a.commit_info->operation;
      entry.commit_info_json = a.commit_info->json;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace pizzastream::lake
