#include "lake/delta_log_cleanup.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <map>
#include <optional>

#include "lake/delta_log_listing.h"

namespace pizzastream::lake {

namespace {

std::optional<int64_t> Version(std::string_view name) {
  if (name.size() < 21 || name[20] != '.') return std::nullopt;
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + 20, v);
  if (ec != std::errc() || end != name.data() + 20) return std::nullopt;
  return v;
}

// The version a file of the log belongs to when clean-up may delete it (commits, checkpoints,
// checksums: their version; log compaction files: their start), or nullopt (keep).
std::optional<int64_t> DeletableVersion(std::string_view name, bool* is_commit) {
  *is_commit = false;
  const auto v = Version(name);
  if (!v) return std::nullopt;
  const std::string_view rest = name.substr(21);
  if (rest.find(".tmp") != std::string_view::npos) return std::nullopt;  // a writer's, in flight
  if (rest == "json") {
    *is_commit = true;
    return v;
  }
  if (rest == "crc" || rest.starts_with("checkpoint.")) return v;
  if (rest.size() == 20 + 15 && rest.substr(20) == ".compacted.json") return v;
  return std::nullopt;
}

}  // namespace

Result<int64_t> ParseDeltaIntervalMs(std::string_view text) {
  auto bad = [&] {
    return Status::Invalid("'", text,
                           "' is not an interval (e.g. 'interval 30 days', 'interval 12 hours')");
  };
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  size_t i = !words.empty() && words[0] == "interval" ? 1 : 0;
  if (i >= words.size() || (words.size() - i) % 2 != 0) return bad();
  static const std::map<std::string, int64_t> kUnitMs = {
      {"millisecond", 1},  {"second", 1000},    {"minute", 60'000},
      {"hour", 3'600'000}, {"day", 86'400'000}, {"week", 7 * 86'400'000LL}};
  int64_t total = 0;
  for (; i < words.size(); i += 2) {
    int64_t n = 0;
    const std::string& number = words[i];
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
    if (ec != std::errc() || end != number.data() + number.size() || n < 0) return bad();
    std::string unit = words[i + 1];
    if (unit.ends_with("s")) unit.pop_back();
    const auto it = kUnitMs.find(unit);
    if (it == kUnitMs.end() || n > INT64_MAX / 4 / it->second) return bad();
    total += n * it->second;
  }
  return total;
}

Result<LogRetention> LogRetentionOf(const MetadataAction& metadata, std::string_view table) {
  LogRetention r;
  const auto& conf = metadata.configuration;
  if (auto it = conf.find("delta.enableExpiredLogCleanup"); it != conf.end()) {
    std::string value = it->second;
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (value != "true" && value != "false") {
      return Status::Invalid("Delta table ", table, ": delta.enableExpiredLogCleanup is '",
                             it->second, "', not true or false");
    }
    r.enabled = value == "true";
  }
  if (auto it = conf.find("delta.logRetentionDuration"); it != conf.end()) {
    auto ms = ParseDeltaIntervalMs(it->second);
    if (!ms.ok()) {
      return Status::Invalid("Delta table ", table,
                             ": delta.logRetentionDuration: ", ms.status().message());
    }
    r.retention_ms = *ms;
  }
  return r;
}

Result<LogCleanup> CleanUpExpiredLogFiles(arrow::fs::FileSystem& fs, const std::string& log_dir,
                                          int64_t cutoff_ms) {
  LogCleanup out;
  arrow::fs::FileSelector selector;
  selector.base_dir = log_dir;
  selector.allow_not_found = true;
  ARROW_ASSIGN_OR_RAISE(auto infos, fs.GetFileInfo(selector));
  out.listed = static_cast<int64_t>(infos.size());
  LogListing listing;
  std::map<int64_t, int64_t> commit_ms;  // version -> modification time
  struct Candidate {
    int64_t version;
    bool is_commit;
    std::string name;
  };
  std::vector<Candidate> candidates;
  for (const auto& info : infos) {
    if (!info.IsFile()) continue;
    const std::string name = info.base_name();
    AddLogFileName(name, &listing);
    bool is_commit = false;
    const auto v = DeletableVersion(name, &is_commit);
    if (!v) continue;
    candidates.push_back({*v, is_commit, name});
    if (is_commit) {
      commit_ms[*v] =
          std::chrono::duration_cast<std::chrono::milliseconds>(info.mtime().time_since_epoch())
              .count();
    }
  }
  // The cut-off commit: the newest one that, with every older commit, is old enough.
  std::optional<int64_t> cutoff_commit;
  for (const auto& [version, ms] : commit_ms) {
    if (ms > cutoff_ms) break;
    cutoff_commit = version;
  }
  if (!cutoff_commit) return out;
  for (auto it = listing.checkpoints.rbegin(); it != listing.checkpoints.rend(); ++it) {
    if (it->first <= *cutoff_commit && it->second.complete()) {
      out.cutoff_checkpoint = it->first;
      break;
    }
  }
  if (out.cutoff_checkpoint < 0) return out;
  // Oldest first; within a version, its commit last (a reader then never finds a checkpoint
  // gone while the commit it replaces is still there and the one before is not).
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.version != b.version ? a.version < b.version : a.is_commit < b.is_commit;
  });
  for (const auto& c : candidates) {
    const bool compaction = c.name.ends_with(".compacted.json");
    if (compaction ? c.version > out.cutoff_checkpoint : c.version >= out.cutoff_checkpoint) {
      continue;
    }
    ARROW_RETURN_NOT_OK(fs.DeleteFile(log_dir + "/" + c.name));
    out.deleted.push_back(c.name);
  }
  return out;
}

}  // namespace pizzastream::lake
