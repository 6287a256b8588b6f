#include "support/if_none_match_dropping_proxy.h"

#include <curl/curl.h>
#include <httplib.h>
#include <openssl/sha.h>

#include <atomic>
#include <cstring>
#include <thread>

namespace pizzastream::testing {

namespace {

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char b : digest) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

struct IfNoneMatchDroppingProxy::Impl {
  std::string upstream, access_key, secret_key, region;
  httplib::Server server;
  std::thread listener;
  int port = 0;
  std::atomic<int> dropped{0};
  std::atomic<bool> listener_done{false};

  void Forward(const httplib::Request& req, httplib::Response& res) {
    if (req.has_header("If-None-Match")) ++dropped;
    CURL* curl = curl_easy_init();
    const std::string url = upstream + req.target;
    const std::string sigv4 = "aws:amz:" + region + ":s3";
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, ("x-amz-content-sha256: " + Sha256Hex(req.body)).c_str());
    if (req.has_header("Content-Type")) {
      headers = curl_slist_append(
          headers, ("Content-Type: " + req.get_header_value("Content-Type")).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    if (req.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (!req.body.empty() || req.method == "PUT" || req.method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERNAME, access_key.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, secret_key.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    long status = 502;
    if (curl_easy_perform(curl) == CURLE_OK) {
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    res.status = static_cast<int>(status);
    res.set_content(body, "application/xml");
  }
};

IfNoneMatchDroppingProxy::IfNoneMatchDroppingProxy(std::string upstream, std::string access_key,
                                                   std::string secret_key, std::string region)
    : impl_(std::make_unique<Impl>()) {
  impl_->upstream = std::move(upstream);
  impl_->access_key = std::move(access_key);
  impl_->secret_key = std::move(secret_key);
  impl_->region = std::move(region);
}

IfNoneMatchDroppingProxy::~IfNoneMatchDroppingProxy() { Stop(); }

Status IfNoneMatchDroppingProxy::Start() {
  Impl& s = *impl_;
  auto forward = [&s](const httplib::Request& req, httplib::Response& res) { s.Forward(req, res); };
  s.server.Get(".*", forward);  // GET and HEAD
  s.server.Put(".*", forward);
  s.server.Post(".*", forward);
  s.server.Delete(".*", forward);
  s.port = s.server.bind_to_any_port("127.0.0.1");
  if (s.port <= 0) return Status::IOError("proxy: cannot listen on 127.0.0.1");
  s.listener = std::thread([&s] {
    s.server.listen_after_bind();
    s.listener_done = true;
  });
  while (!s.server.is_running() && !s.listener_done) std::this_thread::yield();
  if (!s.server.is_running()) return Status::IOError("proxy: the listener stopped at once");
  return Status::OK();
}

void IfNoneMatchDroppingProxy::Stop() {
  if (!impl_->listener.joinable()) return;
  impl_->server.stop();
  impl_->listener.join();
}

std::string IfNoneMatchDroppingProxy::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

int IfNoneMatchDroppingProxy::dropped() const { return impl_->dropped.load(); }

}  // namespace pizzastream::testing
