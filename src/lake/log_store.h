// Where a Delta table's commit files are created: the one write of the lake that must be
// atomic and exclusive. `PutIfAbsent` creates `path` with `body` only if no file of that name
// exists, and tells the caller which happened; two writers racing for one commit version can
// never both succeed. Local disks use link(2); object stores need a conditional write.
// `AtomicReplace` writes small state files that are replaced as a whole (`_last_checkpoint`,
// silver's saved ids): a reader sees the old body or the new one, never a part. Local disks
// write a temporary file and rename(2) it; S3 uses one PUT of the object (atomic there, where a
// copy+delete "move" is not). Readers must still check what they read: a file written by
// another tool, or an older body, is always possible. Implementations are thread-safe.
#pragma once

#include <arrow/filesystem/filesystem.h>

#include <memory>
#include <string>

#include "core/status.h"

namespace pizzastream::lake {

class LogStore {
 public:
  virtual ~LogStore() = default;
  // true: created by this call; false: the file already existed (another writer won).
  virtual Result<bool> PutIfAbsent(const std::string& path, const std::string& body) = 0;
  // Creates or replaces `path` with `body` in one atomic step (parent directories are created
  // as needed).
  virtual Status AtomicReplace(const std::string& path, const std::string& body) = 0;
};

// The store for a local filesystem: writes a temporary file, fsyncs it, link(2)s it to
// `path` (fails atomically when the target exists) and fsyncs the directory.
std::shared_ptr<LogStore> LocalLogStore();

// fsync(2) of a local file, and of a local directory (makes its entries durable).
Status SyncLocalFile(const std::string& path);
Status SyncLocalDirectory(const std::string& path);

}  // namespace pizzastream::lake
