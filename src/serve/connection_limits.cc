#include "serve/connection_limits.h"

namespace pizzastream::serve {

ConnectionLimits::ConnectionLimits(size_t total, size_t per_client)
    : total_(total), per_client_(per_client) {}

bool ConnectionLimits::TryAdmit(const std::string& client) {
  std::lock_guard lock(mu_);
  if (open_ >= total_) {
    ++refused_;
    return false;
  }
  size_t& mine = per_client_open_[client];
  if (mine >= per_client_) {
    ++refused_;
    return false;
  }
  ++mine;
  ++open_;
  return true;
}

void ConnectionLimits::Release(const std::string& client) {
  std::lock_guard lock(mu_);
  auto it = per_client_open_.find(client);
  if (it == per_client_open_.end() || it->second == 0) return;
  if (--it->second == 0) per_client_open_.erase(it);
  --open_;
}

size_t ConnectionLimits::open() const {
  std::lock_guard lock(mu_);
  return open_;
}

size_t ConnectionLimits::refused() const {
  std::lock_guard lock(mu_);
  return refused_;
}

}  // namespace pizzastream::serve
