// The system calls through which the embedded log's writer changes files: write, fdatasync,
// fsync of a directory, ftruncate. LevelDB's Env is the model: production uses LogEnv::Default()
// (plain POSIX), tests pass a LogEnv of their own in EmbeddedLogOptions::env to inject short
// writes, ENOSPC or a failed fsync at a chosen point and check that the log reports them
// clearly and stays recoverable.
//
// Each method behaves like the system call it names: it returns -1 and sets errno on failure,
// and Write may write fewer bytes than asked. Implementations must be thread-safe (Flush syncs
// partitions in parallel).
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace pizzastream::transport::embedded_log {

class LogEnv {
 public:
  virtual ~LogEnv() = default;
  virtual ssize_t Write(int fd, const char* data, size_t n);
  virtual int SyncData(int fd);
  virtual int SyncDirectory(int fd);
  virtual int Truncate(int fd, off_t size);

  // The POSIX one; lives as long as the process.
  static LogEnv* Default();
};

}  // namespace pizzastream::transport::embedded_log
