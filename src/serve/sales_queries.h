// The dashboard's figures, read from the sales aggregates (warehouse/aggregates.h) and never
// from fact_order_item, so each query touches at most a few thousand small rows whatever the
// size of the fact table. Filter values are bound as parameters, never spliced into SQL.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "serve/sales_filter.h"
#include "warehouse/kpi.h"
#include "warehouse/warehouse.h"

namespace pizzastream::serve {

struct SalesFigures {
  int64_t revenue_cents = 0;
  int64_t orders = 0;    // distinct orders with at least one matching line
  int64_t quantity = 0;  // pizzas sold
  int64_t lines = 0;     // fact rows
};

struct SalesTotals {
  SalesFigures figures;
  int64_t order_days = 0;  // distinct order dates with a matching line
};

struct SalesGroupRow {
  std::string key;  // "2015-01-31", "2015-01", "13", "Monday", a pizza name, category, ...
  SalesFigures figures;
};

// Totals of the lines matching `filter`.
Result<SalesTotals> QuerySalesTotals(warehouse::Warehouse& wh, const SalesFilter& filter);

// Figures per `group` value over the lines matching `filter`, in the group's natural order
// (time order; sizes S, M, L, XL, XXL; names alphabetically). Groups without lines are left out.
Result<std::vector<SalesGroupRow>> QuerySalesByGroup(warehouse::Warehouse& wh, SalesGroup group,
                                                     const SalesFilter& filter);

// The pizza name with the largest revenue among rows of group pizza (ties: first by name);
// empty when there are none.
std::string TopPizzaByRevenue(const std::vector<SalesGroupRow>& pizza_rows);

// The key figures of the lines matching `filter`, as warehouse::Kpi() computes them for all
// lines, from the aggregates (milliseconds, whatever the fact table's size). For a status line
// or anything else that wants the figures often.
warehouse::KpiFigures KpiFiguresOf(const SalesTotals& totals,
                                   const std::vector<SalesGroupRow>& pizza_rows);
Result<warehouse::KpiFigures> QueryKpi(warehouse::Warehouse& wh, const SalesFilter& filter = {});

}  // namespace pizzastream::serve
