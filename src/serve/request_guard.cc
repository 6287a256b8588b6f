#include "serve/request_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace pizzastream::serve {
namespace {

std::array<unsigned char, 32> Sha256(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// True with *token = the credentials for "Bearer <token>" (scheme in any case, 1+ spaces).
bool BearerCredentials(std::string_view authorization, std::string_view* token) {
  const size_t space = authorization.find(' ');
  if (space == std::string_view::npos) return false;
  if (!EqualsIgnoringCase(authorization.substr(0, space), "bearer")) return false;
  std::string_view rest = authorization.substr(space);
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  *token = rest;
  return true;
}

}  // namespace

std::string_view HostWithoutPort(std::string_view host) {
  std::string_view name = host;
  std::string_view port;
  if (host.starts_with('[')) {
    const size_t end = host.find(']');
    if (end == std::string_view::npos) return {};
    name = host.substr(0, end + 1);
    std::string_view after = host.substr(end + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return {};
      port = after.substr(1);
      if (port.empty()) return {};
    }
  } else if (const size_t colon = host.find(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    port = host.substr(colon + 1);
    if (port.empty()) return {};
  }
  if (port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return {};
  }
  return name;
}

bool IsLoopbackName(std::string_view host) {
  if (EqualsIgnoringCase(host, "localhost")) return true;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.size() < INET_ADDRSTRLEN) {
    const std::string text(host);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  }
  if (host.size() >= INET6_ADDRSTRLEN) return false;
  const std::string text(host);
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  // ::ffff:127.x.x.x, the IPv4 loopback seen through an IPv6 socket.
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

RequestGuard::RequestGuard(std::string_view bind_address, std::string_view auth_token)
    : loopback_only_(IsLoopbackName(bind_address)),
      token_required_(!auth_token.empty()),
      token_digest_(Sha256(auth_token)) {}

GuardVerdict RequestGuard::Check(std::string_view path, std::string_view host,
                                 std::string_view authorization) const {
  if (loopback_only_ && !host.empty() && !IsLoopbackName(HostWithoutPort(host))) {
    return {403, "this server answers to loopback host names only"};
  }
  const bool protected_path = path.starts_with("/api/") || path == "/metrics";
  if (token_required_ && protected_path) {
    std::string_view candidate;
    const bool bearer = BearerCredentials(authorization, &candidate);
    // Digest and compare whatever arrived, so a missing scheme takes the same time.
    const std::array<unsigned char, 32> digest = Sha256(candidate);
    const bool same = CRYPTO_memcmp(digest.data(), token_digest_.data(), token_digest_.size()) == 0;
    if (!bearer || !same) return {401, "missing or wrong bearer token"};
  }
  return {};
}

}  // namespace pizzastream::serve
