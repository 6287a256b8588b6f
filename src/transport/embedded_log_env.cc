#include "transport/embedded_log_env.h"

#include <unistd.h>

namespace pizzastream::transport::embedded_log {

ssize_t LogEnv::Write(int fd, const char* data, size_t n) { return ::write(fd, data, n); }
int LogEnv::SyncData(int fd) { return ::fdatasync(fd); }
int LogEnv::SyncDirectory(int fd) { return ::fsync(fd); }
int LogEnv::Truncate(int fd, off_t size) { return ::ftruncate(fd, size); }

LogEnv* LogEnv::Default() {
  static LogEnv posix;
  return &posix;
}

}  // namespace pizzastream::transport::embedded_log
