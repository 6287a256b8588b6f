// The directory of one embedded-log topic (layout in transport/embedded_log.h): finding or
// creating it, its partition count, and the segment files of a partition.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "transport/open_topic.h"

namespace pizzastream::transport::embedded_log {

struct TopicLayout {
  std::string dir;  // <log_dir>/<topic>
  int32_t partitions = 0;

  std::string PartitionDir(int32_t partition) const;
  std::string WriterLockPath() const;
  std::string GroupLockPath(const std::string& group) const;
  std::string GroupOffsetsPath(const std::string& group) const;
};

// Opens the topic `config.topic` under `config.log_dir`, creating it with `config.partitions`
// partitions if it does not exist yet. Safe against a concurrent creator in another process.
Result<TopicLayout> OpenTopic(const TransportConfig& config);

// Checks that `name` can be a file name of the log: [A-Za-z0-9._-]+, not "." or "..".
Status CheckName(const std::string& name, const char* what);

// Base offsets of the segment files in `partition_dir`, ascending (empty if it has none).
Result<std::vector<int64_t>> ListSegments(const std::string& partition_dir);

}  // namespace pizzastream::transport::embedded_log
