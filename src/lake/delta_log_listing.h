// What a table's `_delta_log` directory holds, from its file names: JSON commits, classic
// checkpoints (single- and multi-part), V2 checkpoints, `_last_checkpoint`; and from that, where
// a reader starts (the newest complete classic checkpoint, or version 0) and whether the
// versions after it are contiguous. Temporary files (`*.tmp`), checksums (`*.crc`), log
// compaction files and sub-directories are ignored. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"

namespace pizzastream::lake {

struct LogListing {
  std::set<int64_t> commits;  // versions with a JSON commit
  // Classic checkpoints: version -> parts found (part number -> file name); single-part files
  // are part 1 of 1.
  struct CheckpointParts {
    int32_t expected = 0;
    std::map<int32_t, std::string> parts;
    bool complete() const { return static_cast<int32_t>(parts.size()) == expected; }
  };
  std::map<int64_t, CheckpointParts> checkpoints;
  std::set<int64_t> v2_checkpoints;  // versions with a UUID-named (V2) checkpoint
  bool has_last_checkpoint = false;
  bool empty() const {
    return commits.empty() && checkpoints.empty() && v2_checkpoints.empty() && !has_last_checkpoint;
  }
};

// Classifies one file name of `_delta_log` into `listing`.
void AddLogFileName(const std::string& name, LogListing* listing);

// Where a reader of `listing` starts and up to where it reads.
struct LogPlan {
  std::optional<int64_t> checkpoint;          // start from this checkpoint's version
  std::vector<std::string> checkpoint_files;  // its parts, in order
  int64_t first_commit = 0;                   // then the JSON commits first_commit..last
  int64_t last_version = -1;
};

// The plan for `listing`, or an error naming the table: a missing commit after the start, a
// log starting after version 0 without a checkpoint, only V2 checkpoints to start from.
Result<LogPlan> PlanLogRead(const LogListing& listing, std::string_view table);

}  // namespace pizzastream::lake
