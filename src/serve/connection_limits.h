// Admission of TCP connections to the dashboard: at most `total` open at once and at most
// `per_client` from one remote address, so one client (or a handful of idle or trickling
// connections) cannot take every slot. A connection admitted by TryAdmit must be Released
// exactly once. Thread-safe.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pizzastream::serve {

class ConnectionLimits {
 public:
  ConnectionLimits(size_t total, size_t per_client);

  // True (and counted) when one more connection from `client` fits in both limits.
  bool TryAdmit(const std::string& client);
  void Release(const std::string& client);

  size_t open() const;
  size_t refused() const;  // connections refused since construction

 private:
  const size_t total_;
  const size_t per_client_;
  mutable std::mutex mu_;
  size_t open_ = 0;
  size_t refused_ = 0;
  std::unordered_map<std::string, size_t> per_client_open_;
};

}  // namespace pizzastream::serve
