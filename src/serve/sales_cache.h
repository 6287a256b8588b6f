// The dashboard's figures: a columnar view of the warehouse's fact lines (serve/sales_view.h)
// kept up to date on every Version() call, and the results computed from it for the current
// data version. The page asks for the same figures from more than one call (the KPI's top pizza
// and the pizza ranking), and every open page asks again after each load; between loads nothing
// changes, so each figure is computed once per version. Thread-safe; holds at most `capacity`
// results (0: none), dropping other versions first.
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
#include "serve/sales_view.h"
#include "warehouse/warehouse.h"

namespace pizzastream::serve {

class SalesCache {
 public:
  explicit SalesCache(size_t capacity = 512) : capacity_(capacity) {}
  SalesCache(const SalesCache&) = delete;
  SalesCache& operator=(const SalesCache&) = delete;

  // Brings the view up to date with `wh` and returns the data version: it moves with every
  // load that changes anything.
  Result<std::string> Version(warehouse::Warehouse& wh);
  // Figures of the view as of `version` (or newer). `wh` is unused: the view answers.
  Result<SalesTotals> Totals(warehouse::Warehouse& wh, const std::string& version,
                             const SalesFilter& filter);
  Result<std::vector<SalesGroupRow>> ByGroup(warehouse::Warehouse& wh, const std::string& version,
                                             SalesGroup group, const SalesFilter& filter);
  const SalesView& view() const { return view_; }
  // See SalesView::Cancel.
  void Cancel(bool cancelled = true) { view_.Cancel(cancelled); }

 private:
  using Value = std::variant<SalesTotals, std::vector<SalesGroupRow>>;
  std::shared_ptr<const Value> Find(const std::string& key, const std::string& version);
  void Store(const std::string& key, const std::string& version, std::shared_ptr<const Value> v);

  SalesView view_;
  const size_t capacity_;
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, std::shared_ptr<const Value>>> entries_;
};

}  // namespace pizzastream::serve
