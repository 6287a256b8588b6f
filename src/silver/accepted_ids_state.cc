#include "silver/accepted_ids_state.h"

#include <arrow/buffer.h>
#include <arrow/io/interfaces.h>

#include <nlohmann/json.hpp>

namespace pizzastream::silver {

using json = nlohmann::json;

namespace {
std::string StateDir(const std::string& table_path) { return table_path + "/_pizzastream"; }
std::string StatePath(const std::string& table_path) {
  return StateDir(table_path) + "/accepted_ids.json";
}
}  // namespace

Result<std::optional<SavedIds>> LoadAcceptedIds(arrow::fs::FileSystem& fs,
                                                const std::string& table_path,
                                                const std::string& table_id,
                                                int64_t table_version) {
  const std::string path = StatePath(table_path);
  ARROW_ASSIGN_OR_RAISE(auto info, fs.GetFileInfo(path));
  if (info.type() == arrow::fs::FileType::NotFound) return std::optional<SavedIds>();
  ARROW_ASSIGN_OR_RAISE(auto in, fs.OpenInputStream(path));
  std::string text;
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto buf, in->Read(1 << 20));
    if (buf->size() == 0) break;
    text.append(reinterpret_cast<const char*>(buf->data()), buf->size());
  }
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  // An unreadable state is not an error: the ids are rebuilt from the table itself.
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("table_id") ||
      !doc["table_id"].is_string() || doc["table_id"].get<std::string>() != table_id ||
      !doc.contains("version") || !doc["version"].is_number_integer() || !doc.contains("ranges") ||
      !doc["ranges"].is_array()) {
    return std::optional<SavedIds>();
  }
  SavedIds saved;
  saved.version = doc["version"].get<int64_t>();
  if (saved.version > table_version) return std::optional<SavedIds>();
  int64_t previous_last = INT64_MIN;
  bool first = true;
  for (const auto& r : doc["ranges"]) {
    if (!r.is_array() || r.size() != 2 || !r[0].is_number_integer() || !r[1].is_number_integer()) {
      return std::optional<SavedIds>();
    }
    const int64_t lo = r[0].get<int64_t>(), hi = r[1].get<int64_t>();
    if (hi < lo || (!first && lo <= previous_last)) return std::optional<SavedIds>();
    saved.ids.AppendRange(lo, hi);
    previous_last = hi;
    first = false;
  }
  return std::optional<SavedIds>(std::move(saved));
}

Status SaveAcceptedIds(lake::LogStore& store, const std::string& table_path,
                       const std::string& table_id, int64_t version, const IdRanges& ids) {
  json ranges = json::array();
  for (const auto& [first, last] : ids.ranges()) ranges.push_back({first, last});
  const std::string text =
      json{{"table_id", table_id}, {"version", version}, {"ranges", ranges}}.dump() + "\n";
  return store.AtomicReplace(StatePath(table_path), text);
}

}  // namespace pizzastream::silver
