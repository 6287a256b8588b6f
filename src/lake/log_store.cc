#include "lake/log_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

namespace pizzastream::lake {

namespace {

Status SyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open ", path, ": ", std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Status::IOError("fsync ", path, ": ", std::strerror(err));
  return Status::OK();
}

// Writes `body` to a new temporary file beside `path`, fsynced; returns its name.
Result<std::string> WriteTemporary(const std::string& path, const std::string& body) {
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::string tmp = fmt::format("{}.{}.{}.tmp", path, ::getpid(), now);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot create ", tmp, ": ", std::strerror(errno));
  size_t written = 0;
  while (written < body.size()) {
    const ssize_t n = ::write(fd, body.data() + written, body.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::IOError("cannot write ", tmp, ": ", std::strerror(err));
    }
    written += static_cast<size_t>(n);
  }
  const int sync_rc = ::fsync(fd);
  const int sync_err = errno;
  ::close(fd);
  if (sync_rc != 0) {
    ::unlink(tmp.c_str());
    return Status::IOError("fsync ", tmp, ": ", std::strerror(sync_err));
  }
  return tmp;
}

class LinkLogStore final : public LogStore {
 public:
  Result<bool> PutIfAbsent(const std::string& path, const std::string& body) override {
    ARROW_ASSIGN_OR_RAISE(const std::string tmp, WriteTemporary(path, body));
    const int rc = ::link(tmp.c_str(), path.c_str());
    const int err = errno;
    ::unlink(tmp.c_str());
    if (rc != 0) {
      if (err == EEXIST) return false;
      return Status::IOError("cannot create ", path, ": ", std::strerror(err));
    }
    // The commit is durable only once its directory entry is.
    ARROW_RETURN_NOT_OK(SyncLocalDirectory(std::filesystem::path(path).parent_path().string()));
    return true;
  }

  Status AtomicReplace(const std::string& path, const std::string& body) override {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create ", dir, ": ", ec.message());
    ARROW_ASSIGN_OR_RAISE(const std::string tmp, WriteTemporary(path, body));
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      const int err = errno;
      ::unlink(tmp.c_str());
      return Status::IOError("cannot replace ", path, ": ", std::strerror(err));
    }
    return SyncLocalDirectory(dir);
  }
};

}  // namespace

std::shared_ptr<LogStore> LocalLogStore() { return std::make_shared<LinkLogStore>(); }

Status SyncLocalFile(const std::string& path) { return SyncPath(path, O_RDONLY); }

Status SyncLocalDirectory(const std::string& path) {
  return SyncPath(path, O_RDONLY | O_DIRECTORY);
}

}  // namespace pizzastream::lake
