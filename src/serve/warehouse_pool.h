// Warehouse connections for the server's request threads. A Warehouse is not thread-safe, so
// each request borrows one for its duration; idle connections are kept for the next request.
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "warehouse/warehouse.h"

namespace pizzastream::serve {

class WarehousePool {
 public:
  // `target` as for warehouse::OpenWarehouse; at most `max_idle` idle connections are kept.
  WarehousePool(std::string target, size_t max_idle);
  WarehousePool(const WarehousePool&) = delete;
  WarehousePool& operator=(const WarehousePool&) = delete;

  // A borrowed connection, returned to the pool when the lease ends unless Discard()ed.
  class Lease {
   public:
    Lease(WarehousePool* pool, std::unique_ptr<warehouse::Warehouse> wh)
        : pool_(pool), wh_(std::move(wh)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    warehouse::Warehouse& operator*() const { return *wh_; }
    warehouse::Warehouse* operator->() const { return wh_.get(); }
    // Drops the connection instead of reusing it (after an error it may be broken).
    void Discard() { wh_.reset(); }

   private:
    WarehousePool* pool_;
    std::unique_ptr<warehouse::Warehouse> wh_;
  };

  // An idle connection, or a newly opened one.
  Result<Lease> Acquire();
  const std::string& target() const { return target_; }

 private:
  void Release(std::unique_ptr<warehouse::Warehouse> wh);
  const std::string target_;
  const size_t max_idle_;
  std::mutex mu_;
  std::vector<std::unique_ptr<warehouse::Warehouse>> idle_;
};

}  // namespace pizzastream::serve
