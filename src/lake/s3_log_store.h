// Commit files on S3 and S3-compatible stores, created with a conditional PUT
// (`If-None-Match: *`): the store creates the object only when no object has that key and
// answers 412 otherwise, so two writers can never both create version N. Arrow's S3 filesystem
// cannot send that header (apache/arrow#44281), so this one request goes through libcurl,
// signed with AWS SigV4 (CURLOPT_AWS_SIGV4) with the credentials Arrow's chain gives, and with
// the payload's SHA-256 in x-amz-content-sha256 as S3-compatible servers require.
//
// `AtomicReplace` is one unconditional PUT of the whole object: S3 replaces an object
// atomically, so a reader gets the old body or the new one (a copy+delete "move" would not be).
//
// A store that ignores the header would let writers replace each other's commits in silence:
// `VerifyConditionalWrites` detects one and the lake refuses it. Errors name the endpoint and
// key, never a credential. Thread-safe (one connection, used under a mutex).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "lake/log_store.h"
#include "lake/s3_lake_config.h"

namespace pizzastream::lake {

class S3LogStore final : public LogStore {
 public:
  explicit S3LogStore(S3LakeConfig config);
  ~S3LogStore() override;
  S3LogStore(const S3LogStore&) = delete;
  S3LogStore& operator=(const S3LogStore&) = delete;

  // `path` is an Arrow path ("bucket/key"). true: created; false: the key existed (412).
  Result<bool> PutIfAbsent(const std::string& path, const std::string& body) override;
  Status AtomicReplace(const std::string& path, const std::string& body) override;

  // Creates one probe object under the Arrow path `dir` twice with If-None-Match: the first
  // PUT must create it, the second must be refused. Fails with a clear message when the store
  // accepts both (it ignores If-None-Match), or cannot be reached. Leaves the probe object
  // behind for the caller to delete; returns its path.
  Result<std::string> VerifyConditionalWrites(const std::string& dir);

 private:
  struct Response {
    long status = 0;
    std::string body;
  };
  Result<Response> Put(const std::string& path, const std::string& body, bool if_none_match);
  // A PUT retried while the store is busy; true: written, false: refused with 412.
  Result<bool> PutRetried(const std::string& path, const std::string& body, bool if_none_match);

  S3LakeConfig config_;
  std::mutex mu_;
  void* curl_ = nullptr;  // CURL*, reused so the connection is kept alive
};

}  // namespace pizzastream::lake
