#include "serve/warehouse_pool.h"

namespace pizzastream::serve {

WarehousePool::WarehousePool(std::string target, size_t max_idle)
    : target_(std::move(target)), max_idle_(max_idle) {}

WarehousePool::Lease::~Lease() {
  if (wh_ != nullptr && pool_ != nullptr) pool_->Release(std::move(wh_));
}

Result<WarehousePool::Lease> WarehousePool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto wh = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(wh));
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto wh, warehouse::OpenWarehouse(target_));
  return Lease(this, std::move(wh));
}

void WarehousePool::Release(std::unique_ptr<warehouse::Warehouse> wh) {
  std::lock_guard lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(wh));
}

}  // namespace pizzastream::serve
