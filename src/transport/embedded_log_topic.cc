#include "transport/embedded_log_topic.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <optional>

#include "transport/embedded_log_files.h"

namespace pizzastream::transport::embedded_log {
namespace {

constexpr int kMaxPartitions = 10000;
constexpr std::string_view kMetaHeader = "pizzastream-log 1\npartitions ";

std::string MetaPath(const std::string& topic_dir) { return topic_dir + "/topic.meta"; }

Result<int32_t> ParseMeta(const std::string& text, const std::string& path) {
  int partitions = 0;
  const char* begin = text.data() + kMetaHeader.size();
  const char* end = text.data() + text.size();
  if (text.compare(0, kMetaHeader.size(), kMetaHeader) != 0 ||
      std::from_chars(begin, end, partitions).ec != std::errc() || partitions < 1 ||
      partitions > kMaxPartitions) {
    return Status::IOError("topic metadata ", path, " is not valid (expected \"", kMetaHeader,
                           "<count>\")");
  }
  return partitions;
}

// Publishes the metadata with link(), which fails if another process published first.
Status CreateMeta(const std::string& topic_dir, int partitions) {
  const std::string path = MetaPath(topic_dir);
  const std::string temp = path + "." + std::to_string(::getpid()) + ".tmp";
  const std::string text = std::string(kMetaHeader) + std::to_string(partitions) + "\n";
  ARROW_RETURN_NOT_OK(ReplaceFile(temp, text, /*sync=*/true));
  const int linked = ::link(temp.c_str(), path.c_str());
  const int err = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && err != EEXIST) return ErrnoError(err, "cannot create", path);
  return SyncDir(topic_dir);
}

}  // namespace

std::string TopicLayout::PartitionDir(int32_t partition) const {
  return dir + "/" + std::to_string(partition);
}
std::string TopicLayout::WriterLockPath() const { return dir + "/writer.lock"; }
std::string TopicLayout::GroupLockPath(const std::string& group) const {
  return dir + "/groups/" + group + ".lock";
}
std::string TopicLayout::GroupOffsetsPath(const std::string& group) const {
  return dir + "/groups/" + group + ".offsets";
}

Status CheckName(const std::string& name, const char* what) {
  const bool legal = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (name.empty() || !legal || name == "." || name == "..") {
    return Status::Invalid("the ", what, " \"", name,
                           "\" is not a valid name for the embedded log (use A-Z a-z 0-9 . _ -)");
  }
  return Status::OK();
}

Result<TopicLayout> OpenTopic(const TransportConfig& config) {
  if (config.log_dir.empty()) return Status::Invalid("the embedded log needs a log directory");
  ARROW_RETURN_NOT_OK(CheckName(config.topic, "topic"));
  TopicLayout layout;
  layout.dir = config.log_dir + "/" + config.topic;
  ARROW_RETURN_NOT_OK(CreateDirs(layout.dir));
  const std::string meta_path = MetaPath(layout.dir);
  ARROW_ASSIGN_OR_RAISE(std::optional<std::string> meta, ReadWholeFile(meta_path));
  if (!meta) {
    if (config.partitions < 1 || config.partitions > kMaxPartitions) {
      return Status::Invalid("cannot create topic ", config.topic, " with ", config.partitions,
                             " partitions (1 to ", kMaxPartitions, ")");
    }
    ARROW_RETURN_NOT_OK(CreateMeta(layout.dir, config.partitions));
    ARROW_ASSIGN_OR_RAISE(meta, ReadWholeFile(meta_path));
    if (!meta) return Status::IOError("topic metadata ", meta_path, " vanished");
  }
  ARROW_ASSIGN_OR_RAISE(layout.partitions, ParseMeta(*meta, meta_path));
  for (int32_t p = 0; p < layout.partitions; ++p) {
    ARROW_RETURN_NOT_OK(CreateDirs(layout.PartitionDir(p)));
  }
  ARROW_RETURN_NOT_OK(CreateDirs(layout.dir + "/groups"));
  return layout;
}

Result<std::vector<int64_t>> ListSegments(const std::string& partition_dir) {
  std::vector<int64_t> bases;
  std::error_code error;
  std::filesystem::directory_iterator it(partition_dir, error);
  if (error == std::errc::no_such_file_or_directory) return bases;
  for (; !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.size() != 24 || name.compare(20, 4, ".log") != 0) continue;
    int64_t base = -1;
    const auto parsed = std::from_chars(name.data(), name.data() + 20, base);
    if (parsed.ec != std::errc() || parsed.ptr != name.data() + 20 || base < 0) continue;
    bases.push_back(base);
  }
  if (error) {
    return Status::IOError("cannot list segments in ", partition_dir, ": ", error.message());
  }
  std::sort(bases.begin(), bases.end());
  return bases;
}

}  // namespace pizzastream::transport::embedded_log
