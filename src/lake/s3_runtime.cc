#include "lake/s3_runtime.h"

#include <arrow/filesystem/s3fs.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace pizzastream::lake {

namespace {
std::mutex g_mu;
}  // namespace

Status StartS3() {
  std::lock_guard lock(g_mu);
  if (arrow::fs::IsS3Initialized()) return Status::OK();
  if (arrow::fs::IsS3Finalized()) return Status::Invalid("S3 was already shut down");
  auto options = arrow::fs::S3GlobalOptions::Defaults();  // log level from ARROW_S3_LOG_LEVEL
  // A server that goes away mid-request must give an error, not kill the process.
  options.install_sigpipe_handler = true;
  return arrow::fs::InitializeS3(options);
}

void StopS3() {
  std::lock_guard lock(g_mu);
  if (!arrow::fs::IsS3Initialized()) return;
  const Status st = arrow::fs::FinalizeS3();
  if (!st.ok()) spdlog::warn("stopping S3: {}", st.ToString());
}

}  // namespace pizzastream::lake
