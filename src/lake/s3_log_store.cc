#include "lake/s3_log_store.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>

#include "lake/s3_errors.h"

namespace pizzastream::lake {

namespace {

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_LENGTH);
  for (const unsigned char b : digest) hex += fmt::format("{:02x}", b);
  return hex;
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

struct ReadCursor {
  const std::string* body;
  size_t at = 0;
};

size_t Feed(char* buffer, size_t size, size_t n, void* cursor) {
  auto* c = static_cast<ReadCursor*>(cursor);
  const size_t take = std::min(size * n, c->body->size() - c->at);
  std::memcpy(buffer, c->body->data() + c->at, take);
  c->at += take;
  return take;
}

// The <Code> of an S3 error document ("" when there is none).
std::string ErrorCode(const std::string& body) {
  const size_t begin = body.find("<Code>");
  const size_t end = body.find("</Code>");
  if (begin == std::string::npos || end == std::string::npos || end < begin) return {};
  return body.substr(begin + 6, end - begin - 6);
}

class CurlHeaders {
 public:
  ~CurlHeaders() { curl_slist_free_all(list_); }
  void Add(const std::string& line) { list_ = curl_slist_append(list_, line.c_str()); }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

}  // namespace

S3LogStore::S3LogStore(S3LakeConfig config) : config_(std::move(config)) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

S3LogStore::~S3LogStore() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<S3LogStore::Response> S3LogStore::Put(const std::string& path, const std::string& body,
                                             bool if_none_match) {
  std::lock_guard lock(mu_);
  if (curl_ == nullptr) curl_ = curl_easy_init();
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return Status::IOError("cannot start libcurl");
  curl_easy_reset(curl);
  const S3Credentials creds = config_.Credentials();
  if (creds.access_key.empty() || creds.secret_key.empty()) {
    return S3Unauthorized(fmt::format(
        "no S3 credentials for {} at {}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
        "AWS_PROFILE, or run where an instance or web-identity role applies",
        config_.shown_uri, config_.endpoint));
  }
  const std::string url = config_.ObjectUrl(path);
  const std::string sigv4 = fmt::format("aws:amz:{}:s3", config_.options.region);
  CurlHeaders headers;
  if (if_none_match) headers.Add("If-None-Match: *");
  headers.Add("x-amz-content-sha256: " + Sha256Hex(body));
  headers.Add("Content-Type: application/json");
  if (!creds.session_token.empty()) headers.Add("x-amz-security-token: " + creds.session_token);
  headers.Add("Expect:");  // small bodies: no 100-continue round trip
  ReadCursor cursor{&body};
  Response response;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, Feed);
  curl_easy_setopt(curl, CURLOPT_READDATA, &cursor);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(curl, CURLOPT_USERNAME, creds.access_key.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, creds.secret_key.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 60000L);
  if (!config_.options.tls_ca_file_path.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, config_.options.tls_ca_file_path.c_str());
  }
  if (!config_.options.tls_ca_dir_path.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAPATH, config_.options.tls_ca_dir_path.c_str());
  }
  if (!config_.options.tls_verify_certificates) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    return S3Unreachable(
        MaskSecrets(fmt::format("cannot reach the S3 endpoint {} to write {}: {}", config_.endpoint,
                                path, error[0] != '\0' ? error : curl_easy_strerror(rc)),
                    creds));
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = MaskSecrets(std::move(response.body), creds);
  return response;
}

Result<bool> S3LogStore::PutIfAbsent(const std::string& path, const std::string& body) {
  return PutRetried(path, body, /*if_none_match=*/true);
}

Status S3LogStore::AtomicReplace(const std::string& path, const std::string& body) {
  ARROW_ASSIGN_OR_RAISE(bool written, PutRetried(path, body, /*if_none_match=*/false));
  if (!written) return Status::IOError("S3 refused the unconditional PUT of ", path);
  return Status::OK();
}

Result<bool> S3LogStore::PutRetried(const std::string& path, const std::string& body,
                                    bool if_none_match) {
  // 409: another conditional write to this key is in flight (AWS asks to retry); 5xx: the
  // store is busy or restarting. Either may be retried: a conditional PUT cannot create the
  // object twice, and an unconditional one writes the same whole body again.
  auto backoff = std::chrono::milliseconds(50);
  for (int attempt = 1;; ++attempt) {
    ARROW_ASSIGN_OR_RAISE(Response r, Put(path, body, if_none_match));
    if (r.status == 200 || r.status == 201 || r.status == 204) return true;
    if (r.status == 412 && if_none_match) return false;
    const std::string code = ErrorCode(r.body);
    const bool retry = r.status == 409 || r.status >= 500;
    if (retry && attempt < 6) {
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
      continue;
    }
    const std::string what =
        fmt::format("S3 answered {} {} to the PUT of {} at {}", r.status,
                    code.empty() ? "(no error code)" : code, path, config_.endpoint);
    if (r.status == 403 || code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch") {
      return S3Unauthorized(what +
                            ": check the credentials (AWS_ACCESS_KEY_ID, "
                            "AWS_SECRET_ACCESS_KEY, AWS_PROFILE) and their rights");
    }
    if (code == "NoSuchBucket") {
      return Status::Invalid(what,
                             ": the bucket does not exist; create it with `pizzastream "
                             "lake init --lake ",
                             config_.shown_uri, "`");
    }
    if (retry) return S3Unreachable(what);
    return Status::IOError(what);
  }
}

Result<std::string> S3LogStore::VerifyConditionalWrites(const std::string& dir) {
  std::random_device rd;
  const std::string path = fmt::format("{}/_pizzastream/conditional-write-probe-{:016x}", dir,
                                       (uint64_t{rd()} << 32) | rd());
  const std::string body = "pizzastream: probe of If-None-Match (safe to delete)\n";
  ARROW_ASSIGN_OR_RAISE(bool first, PutIfAbsent(path, body));
  ARROW_ASSIGN_OR_RAISE(bool second, PutIfAbsent(path, body));
  if (!first || second) {
    return Status::NotImplemented(
        "the S3 store at ", config_.endpoint, " does not honour If-None-Match on PUT (",
        first ? "a second conditional PUT of one key succeeded" : "a new key was refused",
        "): two writers could overwrite each other's Delta commits, so pizzastream refuses "
        "this lake. Use a store with conditional writes (AWS S3, MinIO, versitygw, Ceph RGW "
        "with If-None-Match support, R2) and no proxy that drops the header");
  }
  return path;
}

}  // namespace pizzastream::lake
