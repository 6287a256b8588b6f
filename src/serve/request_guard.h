// Decides, before routing, whether a request may reach the dashboard: while the server is
// bound to loopback only loopback Host names are accepted (a DNS-rebinding page cannot reach
// the API), and with a token /api/ and /metrics need "Authorization: Bearer <token>" (the
// scheme in any case, RFC 7235). The page and its assets stay public: they hold no data.
//
// A loopback Host is parsed, never matched by prefix: an IPv4 address (inet_pton) in
// 127.0.0.0/8, the IPv6 address ::1 in brackets, or exactly `localhost`, each with an
// optional numeric port. The token is compared as SHA-256 digests in constant time, so the
// time taken depends on neither the token's nor the candidate's length or content.
// Thread-safe (immutable).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace pizzastream::serve {

struct GuardVerdict {
  int status = 0;  // 0: let the request through; else the HTTP status to answer with
  std::string message;
};

class RequestGuard {
 public:
  RequestGuard(std::string_view bind_address, std::string_view auth_token);
  GuardVerdict Check(std::string_view path, std::string_view host,
                     std::string_view authorization) const;

 private:
  bool loopback_only_;
  bool token_required_;
  std::array<unsigned char, 32> token_digest_{};
};

// True for `localhost`, an IPv4 address in 127.0.0.0/8 and the IPv6 loopback address (also
// in brackets), as written in a bind address or in a Host header without its port.
bool IsLoopbackName(std::string_view host);

// The host of a Host header value without its port ("[::1]:8080" -> "[::1]"), or "" when the
// port is not a number or brackets do not match.
std::string_view HostWithoutPort(std::string_view host_header);

}  // namespace pizzastream::serve
