#include "lake/vacuum.h"

#include <arrow/filesystem/api.h>
#include <arrow/util/uri.h>

#include <chrono>
#include <set>

#include "core/clock.h"
#include "lake/delta_protocol.h"

namespace pizzastream::lake {

namespace {

bool Hidden(const std::string& relative) {
  size_t start = 0;
  while (start < relative.size()) {
    size_t end = relative.find('/', start);
    if (end == std::string::npos) end = relative.size();
    if (relative[start] == '_' || relative[start] == '.') return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

Result<VacuumResult> Vacuum(const Lakehouse& lake, DeltaLog& log, const std::string& table,
                            int64_t retention_ms, bool dry_run) {
  ARROW_ASSIGN_OR_RAISE(auto snapshot, log.Update());
  if (snapshot->version < 0) return Status::Invalid("Delta table ", table, " does not exist");
  ARROW_RETURN_NOT_OK(CheckWritable(snapshot->protocol, snapshot->metadata, table));
  std::set<std::string> live, tombstoned, tombstoned_recently;
  const int64_t now = WallClockMillis();
  const int64_t cutoff = now - retention_ms;
  for (const auto& [path, f] : snapshot->files) live.insert(arrow::util::UriUnescape(path));
  for (const auto& [path, r] : snapshot->tombstones) {
    tombstoned.insert(arrow::util::UriUnescape(path));
    if (r.deletion_timestamp_ms > cutoff) {
      tombstoned_recently.insert(arrow::util::UriUnescape(path));
    }
  }
  arrow::fs::FileSelector selector;
  selector.base_dir = lake.TablePath(table);
  selector.recursive = true;
  ARROW_ASSIGN_OR_RAISE(auto infos, lake.fs()->GetFileInfo(selector));
  VacuumResult result;
  const std::string prefix = selector.base_dir + "/";
  for (const auto& info : infos) {
    if (!info.IsFile() || info.path().rfind(prefix, 0) != 0) continue;
    const std::string relative = info.path().substr(prefix.size());
    if (Hidden(relative)) continue;
    if (live.count(relative)) {
      ++result.kept_live;
      continue;
    }
    if (tombstoned_recently.count(relative)) continue;
    const int64_t mtime_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(info.mtime().time_since_epoch())
            .count();
    if (!tombstoned.count(relative) && mtime_ms > cutoff) continue;
    if (!dry_run) ARROW_RETURN_NOT_OK(lake.fs()->DeleteFile(info.path()));
    result.deleted.push_back(relative);
  }
  return result;
}

}  // namespace pizzastream::lake
