#include "lake/compaction.h"

#include <spdlog/spdlog.h>

#include <map>

#include "core/clock.h"

namespace pizzastream::lake {

namespace {

constexpr int64_t kDefaultMinFiles = 16;
constexpr int64_t kDefaultTargetBytes = 128LL << 20;

// Rewrites `files` into one file per ~target_bytes and commits the swap.
Result<CompactionResult> Rewrite(const Lakehouse& lake, DeltaLog& log, const std::string& table,
                                 const std::vector<AddFile>& files, int64_t target_bytes,
                                 const std::string& trigger) {
  ARROW_ASSIGN_OR_RAISE(auto snapshot, log.Update());
  const auto schema = snapshot->schema;
  CompactionResult result;
  Commit commit;
  commit.operation = "OPTIMIZE";
  commit.parameters = {{"trigger", trigger}, {"targetSize", std::to_string(target_bytes)}};
  const int64_t now = WallClockMillis();
  std::vector<std::shared_ptr<arrow::RecordBatch>> pending;
  int64_t pending_bytes = 0;
  auto flush = [&]() -> Status {
    if (pending.empty()) return Status::OK();
    ARROW_ASSIGN_OR_RAISE(auto add, lake.WriteParquet(table, schema, pending));
    add.data_change = false;
    result.rows += add.num_records;
    commit.adds.push_back(std::move(add));
    pending.clear();
    pending_bytes = 0;
    return Status::OK();
  };
  for (const AddFile& f : files) {
    ARROW_ASSIGN_OR_RAISE(auto t, lake.ReadParquet(table, f, schema));
    ARROW_ASSIGN_OR_RAISE(auto batch, t->CombineChunksToBatch());
    if (batch->num_rows() > 0) pending.push_back(std::move(batch));
    pending_bytes += f.size;
    commit.removes.push_back({f.path, now, /*data_change=*/false, f.size});
    if (pending_bytes >= target_bytes) ARROW_RETURN_NOT_OK(flush());
  }
  ARROW_RETURN_NOT_OK(flush());
  auto version = log.CommitAppend(commit, {});
  if (!version.ok()) {
    // Our new files are referenced by nothing: remove them (VACUUM would, later).
    for (const auto& add : commit.adds) {
      (void)lake.fs()->DeleteFile(lake.TablePath(table) + "/" + add.path);
    }
    return version.status();
  }
  result.version = *version;
  result.files_removed = static_cast<int64_t>(commit.removes.size());
  result.files_added = static_cast<int64_t>(commit.adds.size());
  return result;
}

int Tier(int64_t size, int64_t fanout) {
  int tier = 0;
  for (int64_t s = std::max<int64_t>(size, 1); s >= fanout; s /= fanout) ++tier;
  return tier;
}

}  // namespace

Result<CompactionResult> CompactSmallFiles(const Lakehouse& lake, DeltaLog& log,
                                           const std::string& table, int64_t target_bytes) {
  ARROW_ASSIGN_OR_RAISE(auto snapshot, log.Update());
  std::vector<AddFile> small;
  for (const auto& [path, f] : snapshot->files) {
    if (f.size < target_bytes) small.push_back(f);
  }
  if (small.size() < 2) return CompactionResult{};
  return Rewrite(lake, log, table, small, target_bytes, "manual");
}

Result<CompactionResult> AutoCompact(const Lakehouse& lake, DeltaLog& log,
                                     const std::string& table) {
  CompactionResult total;
  for (int round = 0; round < 8; ++round) {  // a merge can fill the next tier
    ARROW_ASSIGN_OR_RAISE(auto snapshot, log.Update());
    if (snapshot->version < 0) return total;
    auto it = snapshot->metadata.configuration.find("delta.autoOptimize.autoCompact");
    if (it != snapshot->metadata.configuration.end() && it->second == "false") return total;
    const int64_t fanout = std::max<int64_t>(
        2, TableProperty(*snapshot, "pizzastream.autoCompact.minFiles", kDefaultMinFiles));
    const int64_t target =
        TableProperty(*snapshot, "pizzastream.autoCompact.targetFileBytes", kDefaultTargetBytes);
    std::map<int, std::vector<AddFile>> tiers;
    for (const auto& [path, f] : snapshot->files) {
      if (f.size < target) tiers[Tier(f.size, fanout)].push_back(f);
    }
    const std::vector<AddFile>* chosen = nullptr;
    for (const auto& [tier, files] : tiers) {
      if (static_cast<int64_t>(files.size()) >= fanout) {
        chosen = &files;
        break;
      }
    }
    if (chosen == nullptr) return total;
    auto result = Rewrite(lake, log, table, *chosen, target, "auto");
    if (result.status().IsCancelled()) {
      spdlog::warn("{}: compaction skipped: {}", table, result.status().message());
      return total;
    }
    ARROW_RETURN_NOT_OK(result.status());
    total.files_removed += result->files_removed;
    total.files_added += result->files_added;
    total.rows += result->rows;
    total.version = result->version;
  }
  return total;
}

}  // namespace pizzastream::lake
