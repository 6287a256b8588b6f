// Test support: an S3 front that ignores If-None-Match, as some S3-compatible stores and
// proxies do. It listens on 127.0.0.1, forwards every request to a real S3 server without the
// If-None-Match header and signs it anew (SigV4, with the test server's credentials, since
// the client's signature covered the header it drops). A conditional PUT through it
// therefore overwrites an existing object, which is what pizzastream must detect and refuse.
// Start() once; Stop() (or the destructor) ends it. Not for anything but tests.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace pizzastream::testing {

class IfNoneMatchDroppingProxy {
 public:
  IfNoneMatchDroppingProxy(std::string upstream, std::string access_key, std::string secret_key,
                           std::string region);
  ~IfNoneMatchDroppingProxy();
  IfNoneMatchDroppingProxy(const IfNoneMatchDroppingProxy&) = delete;
  IfNoneMatchDroppingProxy& operator=(const IfNoneMatchDroppingProxy&) = delete;

  Status Start();
  void Stop();
  // http://127.0.0.1:PORT
  std::string endpoint() const;
  // Conditional PUTs whose If-None-Match was dropped so far.
  int dropped() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pizzastream::testing
