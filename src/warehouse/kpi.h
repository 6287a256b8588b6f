// The dashboard's key figures, exactly as docs/data-model.md defines them.
// Money is integer cents; ratios are rounded to 2 decimals only when rendered.
#pragma once

#include <cstdint>
#include <string>

namespace pizzastream::warehouse {

struct KpiFigures {
  int64_t revenue_cents = 0;  // sum(total_price)
  int64_t orders = 0;         // count(distinct order_id)
  int64_t pizzas = 0;         // sum(quantity)
  int64_t order_days = 0;     // count(distinct order_date)
  int64_t fact_rows = 0;      // count(*) of fact_order_item
  std::string top_pizza;      // pizza_name with the largest revenue (ties: first by name)

  bool operator==(const KpiFigures&) const = default;
};

// Pipeline row counts from the lake (conservation: received = rejected + duplicates + silver).
struct RowCounts {
  int64_t received = 0;
  int64_t rejected = 0;
  int64_t duplicates = 0;
  int64_t silver = 0;
  int64_t fact = 0;
};

// Rounds num/den to 2 decimals, half away from zero, exactly (no floating point).
// Returns the value in hundredths; 0 when den == 0.
int64_t RatioHundredths(int64_t num, int64_t den);

// Renders hundredths as a JSON number: 81786005 -> "817860.05".
std::string FormatHundredths(int64_t hundredths);

// The money figure and the three ratios, rounded and rendered ("38.31"): one place decides
// how every output (JSON, text, status line) shows them.
struct KpiDecimals {
  std::string revenue, avg_order_value, avg_pizzas_per_order, avg_orders_per_day;
};
KpiDecimals RenderDecimals(const KpiFigures& k);

// The key figures as the members of a JSON object, without its braces:
// `"total_revenue":817860.05,...,"top_pizza_by_revenue":"The Thai Chicken Pizza"`. Money and
// ratios are JSON numbers with exactly two decimals. Every JSON output of the figures (`kpi
// --json`, the dashboard's /api/kpi) is built from these, so they render them alike.
std::string KpiJsonMembers(const KpiFigures& k);

// The `kpi --json` object: the key figures, then the pipeline's row counts under "rows".
std::string KpiJson(const KpiFigures& k, const RowCounts& rows);

}  // namespace pizzastream::warehouse
