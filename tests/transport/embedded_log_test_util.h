// Helpers for the embedded log tests: a scratch topic directory, records with owned storage,
// reading everything a reader has, and running a writer in a child process that dies.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "transport/embedded_log.h"

namespace pizzastream::transport::testing {

// Records whose keys and values live as long as the object.
struct OwnedRecords {
  std::vector<std::string> keys;
  std::vector<std::string> values;
  std::vector<OutgoingRecord> records;

  // Records with sequences [first, first + count), key "order-<sequence / 3>" (three lines per
  // order) and a value naming the sequence.
  static OwnedRecords Make(int64_t first, int64_t count, size_t value_bytes = 40) {
    OwnedRecords out;
    for (int64_t s = first; s < first + count; ++s) {
      out.keys.push_back("order-" + std::to_string(s / 3));
      std::string value = "{\"seq\":" + std::to_string(s) + "}";
      value.resize(std::max(value.size(), value_bytes), ' ');
      out.values.push_back(std::move(value));
    }
    for (size_t i = 0; i < out.keys.size(); ++i) {
      out.records.push_back({out.keys[i], out.values[i], first + static_cast<int64_t>(i)});
    }
    return out;
  }
};

// A received record with owned bytes.
struct Received {
  std::string key;
  std::string value;
  int32_t partition;
  int64_t offset;
};

// Polls without waiting until a poll comes back empty.
inline std::vector<Received> ReadAvailable(TopicReader& reader, size_t max_per_poll = 1000) {
  std::vector<Received> all;
  std::vector<Message> batch;
  for (;;) {
    Status status = reader.Poll(max_per_poll, std::chrono::milliseconds(0), &batch);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok() || batch.empty()) return all;
    for (const Message& m : batch) {
      all.push_back({std::string(m.key), std::string(m.value), m.partition, m.offset});
    }
  }
}

// Sequence number encoded in a value made by OwnedRecords.
inline int64_t SequenceOf(const std::string& value) {
  return std::stoll(value.substr(value.find(':') + 1));
}

// Starts `body` in a child process that ends with _exit, so destructors (e.g. a writer's final
// fsync and producer snapshot) do not run: what a crash leaves behind. Call it only while the
// test process has one thread: a child forked while another thread holds a lock (the
// allocator's, under ASan) can hang forever.
inline pid_t StartDyingChild(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  return pid;
}

// The exit code of a child started by StartDyingChild; -1 if it did not exit normally.
inline int WaitForChild(pid_t pid) {
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline int RunInDyingChild(const std::function<int()>& body) {
  return WaitForChild(StartDyingChild(body));
}

class EmbeddedLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "embedded_log_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    config_.log_dir = dir_ + "/log";
    config_.topic = "orders";
    config_.partitions = 3;
    config_.group = "bronze";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<TopicWriter> Writer(const std::string& producer = "csv:test",
                                      const EmbeddedLogOptions& options = {}) {
    auto writer = OpenEmbeddedWriter(config_, producer, options);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    return writer.ok() ? std::move(*writer) : nullptr;
  }
  std::unique_ptr<TopicReader> Reader(
      StartOffsetFn start = [](int32_t) { return 0; }, const EmbeddedLogOptions& options = {}) {
    auto reader = OpenEmbeddedReader(config_, std::move(start), options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    return reader.ok() ? std::move(*reader) : nullptr;
  }
  std::string PartitionDir(int partition) const {
    return config_.log_dir + "/" + config_.topic + "/" + std::to_string(partition);
  }
  std::vector<std::string> Segments(int partition) const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(PartitionDir(partition))) {
      if (entry.path().extension() == ".log") names.push_back(entry.path().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string dir_;
  TransportConfig config_;
};

}  // namespace pizzastream::transport::testing
