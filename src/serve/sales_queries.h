// The dashboard's figures, computed from the columnar view of the fact lines
// (serve/sales_view.h): from its per-day rollups (serve/sales_rollup.h) when the slicers allow
// (days x slots summed, whatever the number of lines), else in one pass over the lines.
//
// `orders` counts, per group, the distinct (order, day, channel) of the matching lines — per
// (order, day, channel, hour) when grouping by hour — summed over days, channels and hours, and
// per (category, name) summed by name for pizzas: the figures the dashboard always showed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "serve/sales_filter.h"
#include "serve/sales_rollup.h"
#include "serve/sales_view.h"
#include "warehouse/kpi.h"

namespace pizzastream::serve {

struct SalesTotals {
  SalesFigures figures;
  int64_t order_days = 0;  // distinct order dates with a matching line
};

struct SalesGroupRow {
  std::string key;  // "2015-01-31", "2015-01", "13", "Monday", a pizza name, category, ...
  SalesFigures figures;
};

// Totals of the lines matching `filter`.
SalesTotals SalesTotalsOf(const SalesData& data, const SalesFilter& filter);

// Figures per `group` value over the lines matching `filter`, in the group's natural order
// (time order; sizes S, M, L, XL, XXL; names alphabetically). Groups without lines are left out.
std::vector<SalesGroupRow> SalesByGroup(const SalesData& data, SalesGroup group,
                                        const SalesFilter& filter);

// The pizza name with the largest revenue among rows of group pizza (ties: first by name);
// empty when there are none.
std::string TopPizzaByRevenue(const std::vector<SalesGroupRow>& pizza_rows);

// The key figures of the lines matching `filter`, as warehouse::Kpi() computes them for all
// lines.
warehouse::KpiFigures KpiFiguresOf(const SalesTotals& totals,
                                   const std::vector<SalesGroupRow>& pizza_rows);
warehouse::KpiFigures KpiOf(const SalesData& data, const SalesFilter& filter = {});

}  // namespace pizzastream::serve
