// Decides, before routing, whether a request may reach the dashboard: while the server is
// bound to loopback only loopback Host names are accepted (a DNS-rebinding page cannot reach
// the API), and with a token /api/ and /metrics need "Authorization: Bearer <token>".
// The page and its assets stay public: they hold no data. Thread-safe (immutable).
#pragma once

#include <string>
#include <string_view>

namespace pizzastream::serve {

struct GuardVerdict {
  int status = 0;  // 0: let the request through; else the HTTP status to answer with
  std::string message;
};

class RequestGuard {
 public:
  RequestGuard(std::string bind_address, std::string auth_token);
  GuardVerdict Check(std::string_view path, std::string_view host,
                     std::string_view authorization) const;

 private:
  bool loopback_only_;
  std::string token_;
};

// True for 127.0.0.0/8, ::1 and localhost.
bool IsLoopbackName(std::string_view host);

}  // namespace pizzastream::serve
