#include "transport/embedded_log_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace pizzastream::transport::embedded_log {

FileHandle& FileHandle::operator=(FileHandle&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

void FileHandle::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status ErrnoError(int err, std::string_view what, const std::string& path) {
  return Status::IOError(what, " ", path, ": ", std::strerror(err));
}

Result<FileHandle> OpenFile(const std::string& path, int flags, mode_t mode) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoError(errno, "cannot open", path);
  return FileHandle(fd);
}

Result<FileHandle> OpenIfExists(const std::string& path, int flags) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0 && errno == ENOENT) return FileHandle();
  if (fd < 0) return ErrnoError(errno, "cannot open", path);
  return FileHandle(fd);
}

Result<size_t> ReadAt(int fd, char* buf, size_t n, int64_t pos, const std::string& path) {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, buf + done, n - done, pos + static_cast<int64_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return ErrnoError(errno, "cannot read", path);
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

Status WriteAll(int fd, const char* data, size_t n, const std::string& path, LogEnv* env) {
  while (n > 0) {
    const ssize_t put = env->Write(fd, data, n);
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) return ErrnoError(errno, "cannot write", path);
    if (put == 0) return Status::IOError("cannot write ", path, ": no byte written");
    data += put;
    n -= static_cast<size_t>(put);
  }
  return Status::OK();
}

Result<int64_t> FileSize(int fd, const std::string& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoError(errno, "cannot stat", path);
  return static_cast<int64_t>(st.st_size);
}

Status Truncate(int fd, int64_t size, const std::string& path, LogEnv* env) {
  if (env->Truncate(fd, size) != 0) return ErrnoError(errno, "cannot truncate", path);
  return Status::OK();
}

Status SyncData(int fd, const std::string& path, LogEnv* env) {
  if (env->SyncData(fd) != 0) return ErrnoError(errno, "cannot fsync", path);
  return Status::OK();
}

Status SyncDir(const std::string& dir, LogEnv* env) {
  ARROW_ASSIGN_OR_RAISE(FileHandle handle, OpenFile(dir, O_RDONLY | O_DIRECTORY));
  if (env->SyncDirectory(handle.fd()) != 0) return ErrnoError(errno, "cannot fsync directory", dir);
  return Status::OK();
}

Status CreateDirs(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return Status::IOError("cannot create directory ", dir, ": ", error.message());
  return Status::OK();
}

Result<FileHandle> LockExclusive(const std::string& path, std::string_view holder) {
  ARROW_ASSIGN_OR_RAISE(FileHandle handle, OpenFile(path, O_RDWR | O_CREAT));
  if (::flock(handle.fd(), LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err != EWOULDBLOCK) return ErrnoError(err, "cannot lock", path);
    char pid[32] = {};
    const ssize_t got = ::pread(handle.fd(), pid, sizeof(pid) - 1, 0);
    return Status::IOError(holder, " is already open (", path, " is locked by process ",
                           got > 0 ? std::string_view(pid, got) : "?", ")");
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(handle.fd(), 0) != 0 ||
      ::pwrite(handle.fd(), pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    return ErrnoError(errno, "cannot write the lock holder into", path);
  }
  return handle;
}

Status ReplaceFile(const std::string& path, std::string_view contents, bool sync, LogEnv* env) {
  const std::string temp = path + ".tmp";
  {
    ARROW_ASSIGN_OR_RAISE(FileHandle file, OpenFile(temp, O_WRONLY | O_CREAT | O_TRUNC));
    ARROW_RETURN_NOT_OK(WriteAll(file.fd(), contents.data(), contents.size(), temp, env));
    if (sync) ARROW_RETURN_NOT_OK(SyncData(file.fd(), temp, env));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    return ErrnoError(errno, "cannot rename to " + path + ":", temp);
  }
  return Status::OK();
}

Result<std::optional<std::string>> ReadWholeFile(const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(FileHandle file, OpenIfExists(path, O_RDONLY));
  if (!file.is_open()) return std::optional<std::string>();
  ARROW_ASSIGN_OR_RAISE(int64_t size, FileSize(file.fd(), path));
  std::string contents(static_cast<size_t>(size), '\0');
  ARROW_ASSIGN_OR_RAISE(size_t got, ReadAt(file.fd(), contents.data(), contents.size(), 0, path));
  contents.resize(got);
  return std::optional<std::string>(std::move(contents));
}

}  // namespace pizzastream::transport::embedded_log
