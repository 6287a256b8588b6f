// Query results of the current data version. The page asks for the same figures from more
// than one call (the KPI's top pizza and the pizza ranking), and every open page asks again
// after each load; between loads nothing changes, so each figure is computed once per
// version. Thread-safe; holds at most `capacity` results (0: none), dropping other versions
// first.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"
#include "serve/sales_filter.h"
#include "serve/sales_queries.h"
#include "warehouse/warehouse.h"

namespace pizzastream::serve {

class SalesCache {
 public:
  explicit SalesCache(size_t capacity = 512) : capacity_(capacity) {}
  SalesCache(const SalesCache&) = delete;
  SalesCache& operator=(const SalesCache&) = delete;

  // The warehouse's data version now: it moves with every load that changes anything (load
  // positions and unfiltered totals). Also caches those totals.
  Result<std::string> Version(warehouse::Warehouse& wh);
  Result<SalesTotals> Totals(warehouse::Warehouse& wh, const std::string& version,
                             const SalesFilter& filter);
  Result<std::vector<SalesGroupRow>> ByGroup(warehouse::Warehouse& wh, const std::string& version,
                                             SalesGroup group, const SalesFilter& filter);

 private:
  using Value = std::variant<SalesTotals, std::vector<SalesGroupRow>>;
  std::shared_ptr<const Value> Find(const std::string& key, const std::string& version);
  void Store(const std::string& key, const std::string& version, std::shared_ptr<const Value> v);

  const size_t capacity_;
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, std::shared_ptr<const Value>>> entries_;
};

}  // namespace pizzastream::serve
