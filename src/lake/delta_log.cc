#include "lake/delta_log.h"

#include <arrow/buffer.h>
#include <arrow/io/interfaces.h>
#include <arrow/type.h>
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>

namespace pizzastream::lake {

using json = nlohmann::json;

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

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
  if (name == "date") return arrow::date32();
  if (name == "timestamp") return arrow::timestamp(arrow::TimeUnit::MICRO, "UTC");
  int precision = 0, scale = 0;
  if (std::sscanf(name.c_str(), "decimal(%d,%d)", &precision, &scale) == 2) {
    return arrow::decimal128(precision, scale);
  }
  return Status::NotImplemented("unsupported Delta type '", name, "'");
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
  if (doc.is_discarded() || !doc.contains("fields")) return Status::Invalid("bad Delta schema");
  arrow::FieldVector fields;
  for (const auto& f : doc["fields"]) {
    if (!f.contains("type") || !f["type"].is_string()) {
      return Status::NotImplemented("nested Delta types are not supported");
    }
    ARROW_ASSIGN_OR_RAISE(auto type, ArrowTypeFor(f["type"].get<std::string>()));
    fields.push_back(arrow::field(f.value("name", ""), type, f.value("nullable", true)));
  }
  return arrow::schema(fields);
}

DeltaLog::DeltaLog(std::shared_ptr<arrow::fs::FileSystem> fs, std::shared_ptr<LogStore> store,
                   std::string table_path)
    : fs_(std::move(fs)), store_(std::move(store)), table_path_(std::move(table_path)) {}

Status DeltaLog::ReadCommit(int64_t version, bool* found) {
  const std::string path = table_path_ + "/_delta_log/" + CommitName(version);
  auto maybe_in = fs_->OpenInputStream(path);
  if (!maybe_in.ok()) {
    ARROW_ASSIGN_OR_RAISE(auto info, fs_->GetFileInfo(path));
    if (info.type() == arrow::fs::FileType::NotFound) {
      *found = false;
      return Status::OK();
    }
    // A writer created it between the two calls: it is complete (commits appear atomically).
    maybe_in = fs_->OpenInputStream(path);
    if (!maybe_in.ok()) return maybe_in.status();
  }
  auto in = *maybe_in;
  std::string text;
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto buf, in->Read(1 << 20));
    if (buf->size() == 0) break;
    text.append(reinterpret_cast<const char*>(buf->data()), buf->size());
  }
  *found = true;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    const json action = json::parse(line, nullptr, false);
    if (action.is_discarded()) return Status::Invalid("corrupt Delta commit ", path);
    if (action.contains("metaData")) {
      ARROW_ASSIGN_OR_RAISE(snapshot_.schema,
                            SchemaFromDeltaJson(action["metaData"].value("schemaString", "")));
    } else if (action.contains("add")) {
      const json& a = action["add"];
      AddFile f;
      f.path = a.value("path", "");
      f.size = a.value("size", int64_t{0});
      f.modification_time_ms = a.value("modificationTime", int64_t{0});
      f.version = version;
      if (a.contains("stats") && a["stats"].is_string()) {
        const json stats = json::parse(a["stats"].get<std::string>(), nullptr, false);
        if (!stats.is_discarded()) f.num_records = stats.value("numRecords", int64_t{0});
      }
      snapshot_.num_records += f.num_records;
      snapshot_.files.push_back(std::move(f));
    } else if (action.contains("remove")) {
      const std::string removed = action["remove"].value("path", "");
      std::erase_if(snapshot_.files, [&](const AddFile& f) {
        if (f.path != removed) return false;
        snapshot_.num_records -= f.num_records;
        return true;
      });
    } else if (action.contains("txn")) {
      snapshot_.txns[action["txn"].value("appId", "")] =
          action["txn"].value("version", int64_t{-1});
    } else if (action.contains("commitInfo")) {
      snapshot_.last_commit_ms = action["commitInfo"].value("timestamp", int64_t{0});
    }
  }
  snapshot_.version = version;
  return Status::OK();
}

Result<const Snapshot*> DeltaLog::Update() {
  while (true) {
    bool found = false;
    ARROW_RETURN_NOT_OK(ReadCommit(snapshot_.version + 1, &found));
    if (!found) break;
  }
  return &snapshot_;
}

Status DeltaLog::CreateIfMissing(const std::shared_ptr<arrow::Schema>& schema) {
  ARROW_RETURN_NOT_OK(Update().status());
  if (snapshot_.version >= 0) return Status::OK();
  ARROW_RETURN_NOT_OK(fs_->CreateDir(table_path_ + "/_delta_log", /*recursive=*/true));
  ARROW_ASSIGN_OR_RAISE(auto schema_json, DeltaSchemaJson(*schema));
  const int64_t now = NowMs();
  std::string body;
  body += json{{"protocol", {{"minReaderVersion", 1}, {"minWriterVersion", 2}}}}.dump() + "\n";
  body += json{{"metaData",
                {{"id", NewTableId()},
                 {"format", {{"provider", "parquet"}, {"options", json::object()}}},
                 {"schemaString", schema_json},
                 {"partitionColumns", json::array()},
                 {"configuration", json::object()},
                 {"createdTime", now}}}}
              .dump() +
          "\n";
  body += json{{"commitInfo",
                {{"timestamp", now},
                 {"operation", "CREATE TABLE"},
                 {"operationParameters", json::object()},
                 {"engineInfo", "pizzastream/0.1"}}}}
              .dump() +
          "\n";
  ARROW_RETURN_NOT_OK(
      store_->PutIfAbsent(table_path_ + "/_delta_log/" + CommitName(0), body).status());
  return Update().status();  // created by us or by a concurrent writer: both fine
}

Result<int64_t> DeltaLog::CommitAppend(const Commit& commit,
                                       const std::map<std::string, int64_t>& expected) {
  const int64_t now = NowMs();
  std::string body;
  for (const auto& [app_id, version] : commit.txns) {
    body += json{{"txn", {{"appId", app_id}, {"version", version}, {"lastUpdated", now}}}}.dump() +
            "\n";
  }
  for (const AddFile& f : commit.adds) {
    body += json{{"add",
                  {{"path", f.path},
                   {"partitionValues", json::object()},
                   {"size", f.size},
                   {"modificationTime", f.modification_time_ms},
                   {"dataChange", true},
                   {"stats", json{{"numRecords", f.num_records}}.dump()}}}}
                .dump() +
            "\n";
  }
  body += json{{"commitInfo",
                {{"timestamp", now},
                 {"operation", commit.operation},
                 {"operationParameters", json::object()},
                 {"isBlindAppend", true},
                 {"engineInfo", "pizzastream/0.1"}}}}
              .dump() +
          "\n";
  while (true) {
    ARROW_RETURN_NOT_OK(Update().status());
    if (snapshot_.version < 0)
      return Status::Invalid("Delta table ", table_path_, " does not exist");
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
    const int64_t version = snapshot_.version + 1;
    ARROW_ASSIGN_OR_RAISE(
        bool written,
        store_->PutIfAbsent(table_path_ + "/_delta_log/" + CommitName(version), body));
    if (written) {
      ARROW_RETURN_NOT_OK(Update().status());
      return version;
    }
    // Someone else wrote this version: re-read and check our appIds again.
  }
}

Result<std::vector<AddFile>> DeltaLog::FilesAddedAfter(int64_t after_version) {
  ARROW_RETURN_NOT_OK(Update().status());
  std::vector<AddFile> out;
  for (const AddFile& f : snapshot_.files) {
    if (f.version > after_version) out.push_back(f);
  }
  return out;
}

}  // namespace pizzastream::lake
