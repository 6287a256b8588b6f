#include "warehouse/kpi.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace pizzastream::warehouse {

int64_t RatioHundredths(int64_t num, int64_t den) {
  if (den == 0) return 0;
  // round(num * 100 / den), half away from zero, in integers.
  const __int128 scaled = static_cast<__int128>(num) * 100;
  __int128 q = scaled / den, r = scaled % den;
  if (r < 0) r = -r;
  const __int128 d = den < 0 ? -static_cast<__int128>(den) : den;
  if (2 * r >= d) q += ((scaled < 0) != (den < 0)) ? -1 : 1;
  return static_cast<int64_t>(q);
}

std::string FormatHundredths(int64_t hundredths) {
  const bool negative = hundredths < 0;
  const uint64_t v = negative ? -static_cast<uint64_t>(hundredths) : hundredths;
  return fmt::format("{}{}.{:02d}", negative ? "-" : "", v / 100, v % 100);
}

KpiDecimals RenderDecimals(const KpiFigures& k) {
  return {FormatHundredths(k.revenue_cents),
          FormatHundredths(RatioHundredths(k.revenue_cents, k.orders * 100)),
          FormatHundredths(RatioHundredths(k.pizzas, k.orders)),
          FormatHundredths(RatioHundredths(k.orders, k.order_days))};
}

std::string KpiJsonMembers(const KpiFigures& k) {
  const KpiDecimals d = RenderDecimals(k);
  // The name through the JSON writer (escaped; bytes that are not UTF-8 become U+FFFD). The
  // decimals are written as text: JSON numbers with exactly two decimals ("1.00").
  const std::string top = k.top_pizza.empty()
                              ? "null"
                              : nlohmann::json(k.top_pizza)
                                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return fmt::format(
      "\"total_revenue\":{},\"total_orders\":{},\"total_pizzas_sold\":{},"
      "\"avg_order_value\":{},\"avg_pizzas_per_order\":{},\"avg_orders_per_day\":{},"
      "\"top_pizza_by_revenue\":{}",
      d.revenue, k.orders, k.pizzas, d.avg_order_value, d.avg_pizzas_per_order,
      d.avg_orders_per_day, top);
}

std::string KpiJson(const KpiFigures& k, const RowCounts& rows) {
  return fmt::format(
      "{{{},\"rows\":{{\"received\":{},\"rejected\":{},\"duplicates\":{},\"silver\":{},"
      "\"fact\":{}}}}}",
      KpiJsonMembers(k), rows.received, rows.rejected, rows.duplicates, rows.silver, rows.fact);
}

}  // namespace pizzastream::warehouse
