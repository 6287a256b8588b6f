#include "serve/request_guard.h"

namespace pizzastream::serve {
namespace {

// The host name of a Host header: "[::1]:8080" -> "::1", "localhost:8080" -> "localhost".
std::string_view HostName(std::string_view host) {
  if (host.starts_with('[')) {
    const size_t end = host.find(']');
    return end == std::string_view::npos ? host : host.substr(1, end - 1);
  }
  return host.substr(0, host.find(':'));
}

// Compares in time independent of where the inputs differ.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

}  // namespace

bool IsLoopbackName(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

RequestGuard::RequestGuard(std::string bind_address, std::string auth_token)
    : loopback_only_(IsLoopbackName(bind_address)), token_(std::move(auth_token)) {}

GuardVerdict RequestGuard::Check(std::string_view path, std::string_view host,
                                 std::string_view authorization) const {
  if (loopback_only_ && !host.empty() && !IsLoopbackName(HostName(host))) {
    return {403, "this server answers to loopback host names only"};
  }
  const bool protected_path = path.starts_with("/api/") || path == "/metrics";
  if (!token_.empty() && protected_path) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization.starts_with(kBearer) ||
        !SameSecret(authorization.substr(kBearer.size()), token_)) {
      return {401, "missing or wrong bearer token"};
    }
  }
  return {};
}

}  // namespace pizzastream::serve
