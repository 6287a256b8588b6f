#include "lake/delta_log_listing.h"

#include <charconv>
#include <string_view>

namespace pizzastream::lake {

namespace {

bool ParseDigits(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

void AddLogFileName(const std::string& name, LogListing* listing) {
  if (name == "_last_checkpoint") {
    listing->has_last_checkpoint = true;
    return;
  }
  if (name.size() < 21 || name[20] != '.') return;
  int64_t version = 0;
  if (!ParseDigits(std::string_view(name).substr(0, 20), &version)) return;
  const std::string_view rest = std::string_view(name).substr(21);
  if (rest == "json") {
    listing->commits.insert(version);
    return;
  }
  if (rest == "checkpoint.parquet") {
    auto& cp = listing->checkpoints[version];
    cp.expected = 1;
    cp.parts[1] = name;
    return;
  }
  if (rest.rfind("checkpoint.", 0) != 0) return;  // .crc, compacted logs, temporary files
  const std::string_view tail = rest.substr(11);  // after "checkpoint."
  if (tail.size() == 10 + 1 + 10 + 8 && tail.substr(10, 1) == "." &&
      tail.substr(21) == ".parquet") {  // multi-part: P.N.parquet with 10-digit numbers
    int64_t part = 0, parts = 0;
    if (ParseDigits(tail.substr(0, 10), &part) && ParseDigits(tail.substr(11, 10), &parts) &&
        part >= 1 && part <= parts) {
      auto& cp = listing->checkpoints[version];
      cp.expected = static_cast<int32_t>(parts);
      cp.parts[static_cast<int32_t>(part)] = name;
      return;
    }
  }
  if ((tail.size() > 8 && tail.substr(tail.size() - 8) == ".parquet") ||
      (tail.size() > 5 && tail.substr(tail.size() - 5) == ".json")) {
    if (tail.find(".tmp") == std::string_view::npos) listing->v2_checkpoints.insert(version);
  }
}

Result<LogPlan> PlanLogRead(const LogListing& listing, std::string_view table) {
  LogPlan plan;
  // The newest complete classic checkpoint.
  for (auto it = listing.checkpoints.rbegin(); it != listing.checkpoints.rend(); ++it) {
    if (!it->second.complete()) continue;
    plan.checkpoint = it->first;
    for (const auto& [part, file] : it->second.parts) plan.checkpoint_files.push_back(file);
    break;
  }
  const int64_t newest_commit = listing.commits.empty() ? -1 : *listing.commits.rbegin();
  const int64_t newest_v2 = listing.v2_checkpoints.empty() ? -1 : *listing.v2_checkpoints.rbegin();
  if (newest_v2 > plan.checkpoint.value_or(-1) &&
      (listing.commits.empty() || *listing.commits.begin() > 0)) {
    return Status::NotImplemented("Delta table ", table, " starts from a V2 checkpoint (version ",
                                  newest_v2, "), which pizzastream does not read");
  }
  if (plan.checkpoint) {
    plan.first_commit = *plan.checkpoint + 1;
    plan.last_version = std::max(*plan.checkpoint, newest_commit);
  } else {
    if (listing.commits.empty()) {
      return Status::Invalid("Delta table ", table,
                             " is corrupt: _delta_log holds no commit and no complete checkpoint");
    }
    if (*listing.commits.begin() != 0) {
      return Status::Invalid("Delta table ", table, " is corrupt: its log starts at version ",
                             *listing.commits.begin(), " and has no checkpoint to start from");
    }
    plan.first_commit = 0;
    plan.last_version = newest_commit;
  }
  // Contiguous after the start, and among the older commits still there (log clean-up removes
  // only the oldest ones).
  for (int64_t v = plan.first_commit; v <= plan.last_version; ++v) {
    if (!listing.commits.count(v)) {
      return Status::Invalid("Delta table ", table, " is corrupt: commit ", v,
                             " is missing (the log goes on to version ", plan.last_version, ")");
    }
  }
  if (!listing.commits.empty()) {
    for (int64_t v = *listing.commits.begin(); v < plan.first_commit; ++v) {
      if (!listing.commits.count(v)) {
        return Status::Invalid("Delta table ", table, " is corrupt: commit ", v,
                               " is missing between versions ", *listing.commits.begin(), " and ",
                               plan.last_version);
      }
    }
  }
  return plan;
}

}  // namespace pizzastream::lake
