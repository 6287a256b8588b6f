// TopicReader over the embedded log: one reader per consumer group holds every partition.
#include <charconv>
#include <map>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "transport/embedded_log.h"
#include "transport/embedded_log_cursor.h"
#include "transport/embedded_log_files.h"
#include "transport/embedded_log_topic.h"
#include "transport/sent_records.h"

namespace pizzastream::transport {
namespace {

using namespace embedded_log;  // NOLINT: the format and file helpers of this transport

// The group's committed offsets file: one "<partition> <next offset>" line per partition.
Result<std::map<int32_t, int64_t>> LoadCommitted(const std::string& path) {
  std::map<int32_t, int64_t> committed;
  ARROW_ASSIGN_OR_RAISE(std::optional<std::string> text, ReadWholeFile(path));
  if (!text) return committed;
  std::istringstream in(*text);
  int32_t partition = 0;
  int64_t offset = 0;
  while (in >> partition >> offset) {
    if (partition < 0 || offset < 0) break;
    committed[partition] = offset;
  }
  if (!in.eof()) return Status::IOError("committed offsets file ", path, " is not valid");
  return committed;
}

class EmbeddedTopicReader final : public TopicReader {
 public:
  EmbeddedTopicReader(TopicLayout layout, std::string group, FileHandle lock,
                      StartOffsetFn start_offset, const EmbeddedLogOptions& options,
                      std::shared_ptr<SentRecords> sent_records)
      : layout_(std::move(layout)),
        group_(std::move(group)),
        lock_(std::move(lock)),
        start_offset_(std::move(start_offset)),
        options_(options),
        sent_records_(std::move(sent_records)) {
    for (int32_t p = 0; p < layout_.partitions; ++p) {
      cursors_.emplace_back(p, layout_.PartitionDir(p), options_.read_buffer_bytes,
                            sent_records_.get());
    }
  }

  Status LoadCommittedOffsets() {
    ARROW_ASSIGN_OR_RAISE(committed_, LoadCommitted(layout_.GroupOffsetsPath(group_)));
    return Status::OK();
  }

  Status Poll(size_t max_messages, std::chrono::milliseconds timeout,
              std::vector<Message>* out) override {
    out->clear();
    held_.clear();  // the last poll's messages are no longer used
    ARROW_RETURN_NOT_OK(Start());
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const size_t count = cursors_.size();
    next_cursor_ = (next_cursor_ + 1) % count;  // take turns at being first
    for (bool first_try = true;; first_try = false) {
      for (size_t i = 0; i < count && out->size() < max_messages; ++i) {
        PartitionCursor& cursor = cursors_[(next_cursor_ + i) % count];
        ARROW_RETURN_NOT_OK(cursor.Fill(max_messages, first_try, out));
      }
      const auto now = std::chrono::steady_clock::now();
      if (!out->empty() && sent_records_ != nullptr) sent_records_->Annotate(*out, &held_);
      if (!out->empty() || max_messages == 0 || now >= deadline) return Status::OK();
      std::this_thread::sleep_for(
          std::min<std::chrono::steady_clock::duration>(options_.poll_interval, deadline - now));
    }
  }

  Status CommitOffsets(std::span<const PartitionOffset> offsets) override {
    for (const PartitionOffset& offset : offsets) {
      if (offset.partition < 0 || offset.partition >= layout_.partitions ||
          offset.next_offset < 0) {
        return Status::Invalid("cannot commit offset ", offset.next_offset, " of partition ",
                               offset.partition, " (topic has ", layout_.partitions,
                               " partitions)");
      }
      committed_[offset.partition] = offset.next_offset;
    }
    std::string text;
    for (const auto& [partition, offset] : committed_) {
      text += std::to_string(partition) + " " + std::to_string(offset) + "\n";
    }
    return ReplaceFile(layout_.GroupOffsetsPath(group_), text, /*sync=*/true);
  }

  Result<int64_t> Lag() override {
    ARROW_RETURN_NOT_OK(Start());
    int64_t lag = 0;
    for (PartitionCursor& cursor : cursors_) {
      ARROW_ASSIGN_OR_RAISE(int64_t end, cursor.EndOffset());
      lag += std::max<int64_t>(0, end - cursor.position());
    }
    return lag;
  }

  Result<std::vector<PartitionOffset>> EndOffsets() override {
    std::vector<PartitionOffset> ends;
    for (PartitionCursor& cursor : cursors_) {
      ARROW_ASSIGN_OR_RAISE(int64_t end, cursor.EndOffset());
      ends.push_back({cursor.partition(), end});
    }
    return ends;
  }

  std::vector<int32_t> Assignment() const override {
    std::vector<int32_t> partitions;
    for (const PartitionCursor& cursor : cursors_) partitions.push_back(cursor.partition());
    return partitions;
  }

  Status Seek(int32_t partition, int64_t next_offset) override {
    if (partition < 0 || partition >= layout_.partitions) {
      return Status::Invalid("partition ", partition, " is not assigned to this reader");
    }
    ARROW_RETURN_NOT_OK(Start());
    return cursors_[partition].Seek(next_offset);
  }

 private:
  // Positions every partition where start_offset_ (or the committed offsets) say, once.
  Status Start() {
    if (started_) return Status::OK();
    for (PartitionCursor& cursor : cursors_) {
      int64_t offset = 0;
      if (start_offset_) {
        ARROW_ASSIGN_OR_RAISE(offset, start_offset_(cursor.partition()));
      } else if (auto it = committed_.find(cursor.partition()); it != committed_.end()) {
        offset = it->second;
      }
      ARROW_RETURN_NOT_OK(cursor.Seek(offset));
    }
    started_ = true;
    return Status::OK();
  }

  TopicLayout layout_;
  std::string group_;
  FileHandle lock_;
  StartOffsetFn start_offset_;
  EmbeddedLogOptions options_;
  std::vector<PartitionCursor> cursors_;
  // Rows this process sent to the topic, and those the last poll's messages point into.
  std::shared_ptr<SentRecords> sent_records_;
  std::vector<std::shared_ptr<const SourceColumns>> held_;
  std::map<int32_t, int64_t> committed_;
  size_t next_cursor_ = 0;
  bool started_ = false;
};

}  // namespace

Result<std::unique_ptr<TopicReader>> OpenEmbeddedReader(const TransportConfig& config,
                                                        StartOffsetFn start_offset) {
  return OpenEmbeddedReader(config, std::move(start_offset), EmbeddedLogOptions{});
}

Result<std::unique_ptr<TopicReader>> OpenEmbeddedReader(const TransportConfig& config,
                                                        StartOffsetFn start_offset,
                                                        const EmbeddedLogOptions& options) {
  ARROW_RETURN_NOT_OK(CheckName(config.group, "consumer group"));
  ARROW_ASSIGN_OR_RAISE(TopicLayout layout, OpenTopic(config));
  ARROW_ASSIGN_OR_RAISE(FileHandle lock, LockExclusive(layout.GroupLockPath(config.group),
                                                       "a reader of group " + config.group +
                                                           " on the topic " + config.topic));
  auto reader =
      std::make_unique<EmbeddedTopicReader>(std::move(layout), config.group, std::move(lock),
                                            std::move(start_offset), options, config.sent_records);
  ARROW_RETURN_NOT_OK(reader->LoadCommittedOffsets());
  return reader;
}

}  // namespace pizzastream::transport
