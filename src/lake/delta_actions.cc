#include "lake/delta_actions.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace pizzastream::lake {

using json = nlohmann::json;

namespace {

// Typed access to one JSON object's fields; every mismatch is an Invalid status naming the
// action and the field.
class Fields {
 public:
  Fields(const json& obj, std::string_view where, std::string_view action)
      : obj_(obj), where_(where), action_(action) {}

  Result<std::string> String(const char* key, bool required) const {
    const json* v = Find(key);
    if (v == nullptr) return Missing(key, required, std::string());
    if (!v->is_string()) return Wrong(key, "a string");
    return v->get_ref<const std::string&>();
  }
  Result<int64_t> Int(const char* key, bool required, int64_t fallback = 0) const {
    const json* v = Find(key);
    if (v == nullptr) return Missing(key, required, fallback);
    if (!v->is_number_integer()) return Wrong(key, "an integer");
    return v->is_number_unsigned() ? static_cast<int64_t>(v->get<uint64_t>()) : v->get<int64_t>();
  }
  Result<bool> Bool(const char* key, bool required, bool fallback) const {
    const json* v = Find(key);
    if (v == nullptr) return Missing(key, required, fallback);
    if (!v->is_boolean()) return Wrong(key, "a boolean");
    return v->get<bool>();
  }
  Result<std::vector<std::string>> Strings(const char* key) const {
    std::vector<std::string> out;
    const json* v = Find(key);
    if (v == nullptr) return out;
    if (!v->is_array()) return Wrong(key, "an array of strings");
    for (const json& item : *v) {
      if (!item.is_string()) return Wrong(key, "an array of strings");
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  Result<std::map<std::string, std::string>> StringMap(const char* key) const {
    std::map<std::string, std::string> out;
    const json* v = Find(key);
    if (v == nullptr) return out;
    if (!v->is_object()) return Wrong(key, "an object of strings");
    for (const auto& [k, item] : v->items()) {
      if (item.is_null()) continue;
      if (!item.is_string()) return Wrong(key, "an object of strings");
      out[k] = item.get<std::string>();
    }
    return out;
  }
  bool Has(const char* key) const { return Find(key) != nullptr; }

 private:
  const json* Find(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() || it->is_null() ? nullptr : &*it;
  }
  template <typename T>
  Result<T> Missing(const char* key, bool required, T fallback) const {
    if (required) {
      return Status::Invalid(where_, ": '", action_, "' action without '", key, "'");
    }
    return fallback;
  }
  Status Wrong(const char* key, const char* expected) const {
    return Status::Invalid(where_, ": '", action_, ".", key, "' is not ", expected);
  }
  const json& obj_;
  std::string_view where_;
  std::string_view action_;
};

Result<AddFile> ParseAdd(const Fields& f, std::string_view where) {
  AddFile add;
  ARROW_ASSIGN_OR_RAISE(add.path, f.String("path", true));
  ARROW_ASSIGN_OR_RAISE(add.size, f.Int("size", true));
  ARROW_ASSIGN_OR_RAISE(add.modification_time_ms, f.Int("modificationTime", false));
  ARROW_ASSIGN_OR_RAISE(add.data_change, f.Bool("dataChange", false, true));
  ARROW_ASSIGN_OR_RAISE(add.stats, f.String("stats", false));
  add.has_deletion_vector = f.Has("deletionVector");
  if (!add.stats.empty()) {
    const json stats = json::parse(add.stats, nullptr, /*allow_exceptions=*/false);
    if (stats.is_discarded() || !stats.is_object()) {
      return Status::Invalid(where, ": 'add.stats' of ", add.path, " is not a JSON object");
    }
    ARROW_ASSIGN_OR_RAISE(add.num_records,
                          Fields(stats, where, "add.stats").Int("numRecords", false));
  }
  return add;
}

Result<RemoveFile> ParseRemove(const Fields& f) {
  RemoveFile remove;
  ARROW_ASSIGN_OR_RAISE(remove.path, f.String("path", true));
  ARROW_ASSIGN_OR_RAISE(remove.deletion_timestamp_ms, f.Int("deletionTimestamp", false));
  ARROW_ASSIGN_OR_RAISE(remove.data_change, f.Bool("dataChange", false, true));
  ARROW_ASSIGN_OR_RAISE(remove.size, f.Int("size", false));
  return remove;
}

Result<ProtocolAction> ParseProtocol(const Fields& f) {
  ProtocolAction p;
  ARROW_ASSIGN_OR_RAISE(int64_t reader, f.Int("minReaderVersion", true));
  ARROW_ASSIGN_OR_RAISE(int64_t writer, f.Int("minWriterVersion", true));
  p.min_reader_version = static_cast<int32_t>(std::clamp<int64_t>(reader, 0, INT32_MAX));
  p.min_writer_version = static_cast<int32_t>(std::clamp<int64_t>(writer, 0, INT32_MAX));
  ARROW_ASSIGN_OR_RAISE(p.reader_features, f.Strings("readerFeatures"));
  ARROW_ASSIGN_OR_RAISE(p.writer_features, f.Strings("writerFeatures"));
  return p;
}

Result<MetadataAction> ParseMetadata(const Fields& f) {
  MetadataAction m;
  ARROW_ASSIGN_OR_RAISE(m.id, f.String("id", true));
  ARROW_ASSIGN_OR_RAISE(m.schema_string, f.String("schemaString", true));
  ARROW_ASSIGN_OR_RAISE(m.partition_columns, f.Strings("partitionColumns"));
  ARROW_ASSIGN_OR_RAISE(m.configuration, f.StringMap("configuration"));
  ARROW_ASSIGN_OR_RAISE(m.created_time_ms, f.Int("createdTime", false));
  return m;
}

Result<TxnAction> ParseTxn(const Fields& f) {
  TxnAction t;
  ARROW_ASSIGN_OR_RAISE(t.app_id, f.String("appId", true));
  ARROW_ASSIGN_OR_RAISE(t.version, f.Int("version", true));
  ARROW_ASSIGN_OR_RAISE(t.last_updated_ms, f.Int("lastUpdated", false));
  return t;
}

std::string Line(const json& j) {
  // Replace rather than throw on invalid UTF-8 (nothing we write should hold any).
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

Result<Action> ParseAction(std::string_view line, std::string_view where) {
  const json doc = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::Invalid(where, ": a line is not valid JSON");
  if (!doc.is_object() || doc.size() != 1) {
    return Status::Invalid(where, ": a line is not an object with exactly one action");
  }
  // Through a named iterator: a structured binding to *items().begin() outlives the proxy.
  const auto first = doc.begin();
  const std::string name = first.key();
  const json& body = first.value();
  if (name.empty()) return Status::Invalid(where, ": an action has an empty name");
  Action action;
  if (!body.is_object()) {
    return Status::Invalid(where, ": action '", name, "' is not an object");
  }
  const Fields f(body, where, name);
  if (name == "add") {
    ARROW_ASSIGN_OR_RAISE(action.add, ParseAdd(f, where));
  } else if (name == "remove") {
    ARROW_ASSIGN_OR_RAISE(action.remove, ParseRemove(f));
  } else if (name == "protocol") {
    ARROW_ASSIGN_OR_RAISE(action.protocol, ParseProtocol(f));
  } else if (name == "metaData") {
    ARROW_ASSIGN_OR_RAISE(action.metadata, ParseMetadata(f));
  } else if (name == "txn") {
    ARROW_ASSIGN_OR_RAISE(action.txn, ParseTxn(f));
  } else if (name == "commitInfo") {
    CommitInfoAction info;
    ARROW_ASSIGN_OR_RAISE(info.timestamp_ms, f.Int("timestamp", false));
    ARROW_ASSIGN_OR_RAISE(info.operation, f.String("operation", false));
    info.json = body.dump(-1, ' ', false, json::error_handler_t::replace);
    action.commit_info = std::move(info);
  } else {
    action.other = name;
  }
  return action;
}

Result<std::vector<Action>> ParseCommit(std::string_view text, std::string_view where) {
  std::vector<Action> actions;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    ARROW_ASSIGN_OR_RAISE(auto action, ParseAction(line, where));
    actions.push_back(std::move(action));
  }
  return actions;
}

std::string AddLine(const AddFile& add) {
  json body = {{"path", add.path},
               {"partitionValues", json::object()},
               {"size", add.size},
               {"modificationTime", add.modification_time_ms},
               {"dataChange", add.data_change}};
  if (!add.stats.empty()) {
    body["stats"] = add.stats;
  } else if (add.num_records > 0) {
    body["stats"] = json{{"numRecords", add.num_records}}.dump();
  }
  return Line({{"add", body}});
}

std::string RemoveLine(const RemoveFile& remove) {
  return Line({{"remove",
                {{"path", remove.path},
                 {"deletionTimestamp", remove.deletion_timestamp_ms},
                 {"dataChange", remove.data_change},
                 {"extendedFileMetadata", true},
                 {"partitionValues", json::object()},
                 {"size", remove.size}}}});
}

std::string TxnLine(const TxnAction& txn) {
  return Line(
      {{"txn",
        {{"appId", txn.app_id}, {"version", txn.version}, {"lastUpdated", txn.last_updated_ms}}}});
}

std::string ProtocolLine(const ProtocolAction& protocol) {
  json body = {{"minReaderVersion", protocol.min_reader_version},
               {"minWriterVersion", protocol.min_writer_version}};
  if (protocol.min_reader_version >= 3) body["readerFeatures"] = protocol.reader_features;
  if (protocol.min_writer_version >= 7) body["writerFeatures"] = protocol.writer_features;
  return Line({{"protocol", body}});
}

std::string MetadataLine(const MetadataAction& metadata) {
  return Line({{"metaData",
                {{"id", metadata.id},
                 {"format", {{"provider", "parquet"}, {"options", json::object()}}},
                 {"schemaString", metadata.schema_string},
                 {"partitionColumns", metadata.partition_columns},
                 {"configuration", metadata.configuration},
                 {"createdTime", metadata.created_time_ms}}}});
}

std::string CommitInfoLine(int64_t timestamp_ms, std::string_view operation,
                           const std::map<std::string, std::string>& parameters,
                           bool blind_append) {
  return Line({{"commitInfo",
                {{"timestamp", timestamp_ms},
                 {"operation", operation},
                 {"operationParameters", parameters},
                 {"isBlindAppend", blind_append},
                 {"engineInfo", "pizzastream/0.1"}}}});
}

}  // namespace pizzastream::lake
