// POSIX file plumbing for the embedded log: owned descriptors, whole reads and writes, fsync,
// flock and atomic replacement. Every failure is a Status naming the path and the errno text.
// The calls that change a file go through a LogEnv (embedded_log_env.h; the POSIX one unless
// given), so tests can make them fail.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "transport/embedded_log_env.h"

namespace pizzastream::transport::embedded_log {

// An owned file descriptor, closed on destruction.
class FileHandle {
 public:
  FileHandle() = default;
  explicit FileHandle(int fd) : fd_(fd) {}
  ~FileHandle() { Close(); }
  FileHandle(FileHandle&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileHandle& operator=(FileHandle&& other) noexcept;
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;

  int fd() const { return fd_; }
  bool is_open() const { return fd_ >= 0; }
  void Close();

 private:
  int fd_ = -1;
};

// IOError "<what> <path>: <strerror(err)>".
Status ErrnoError(int err, std::string_view what, const std::string& path);

Result<FileHandle> OpenFile(const std::string& path, int flags, mode_t mode = 0644);
// Like OpenFile, but a missing file gives a closed handle instead of an error.
Result<FileHandle> OpenIfExists(const std::string& path, int flags);

// Reads up to `n` bytes at `pos`, fewer only at the end of the file.
Result<size_t> ReadAt(int fd, char* buf, size_t n, int64_t pos, const std::string& path);
Status WriteAll(int fd, const char* data, size_t n, const std::string& path,
                LogEnv* env = LogEnv::Default());
Result<int64_t> FileSize(int fd, const std::string& path);
Status Truncate(int fd, int64_t size, const std::string& path, LogEnv* env = LogEnv::Default());
Status SyncData(int fd, const std::string& path, LogEnv* env = LogEnv::Default());
Status SyncDir(const std::string& dir, LogEnv* env = LogEnv::Default());
Status CreateDirs(const std::string& dir);

// Takes an exclusive flock on `path` (created if missing) without waiting and records this
// process id in it. If another open file holds it: an error naming `holder` and its pid.
Result<FileHandle> LockExclusive(const std::string& path, std::string_view holder);

// Replaces `path` with `contents` atomically (temporary file + rename); fsyncs the data first
// when `sync`.
Status ReplaceFile(const std::string& path, std::string_view contents, bool sync,
                   LogEnv* env = LogEnv::Default());
// The whole content of a small file; nullopt if it does not exist.
Result<std::optional<std::string>> ReadWholeFile(const std::string& path);

}  // namespace pizzastream::transport::embedded_log
