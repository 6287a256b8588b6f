#include "warehouse/kpi.h"

#include <gtest/gtest.h>

namespace pizzastream::warehouse {
namespace {

TEST(Kpi, RatiosRoundHalfAwayFromZeroExactly) {
  EXPECT_EQ(RatioHundredths(81786005, 21350 * 100), 3831);  // 38.3072... -> 38.31
  EXPECT_EQ(RatioHundredths(49574, 21350), 232);
  EXPECT_EQ(RatioHundredths(21350, 358), 5964);
  EXPECT_EQ(RatioHundredths(1, 8), 13);  // 0.125 -> 0.13
  EXPECT_EQ(RatioHundredths(5, 0), 0);
}

TEST(Kpi, FormatsHundredthsAsDecimals) {
  EXPECT_EQ(FormatHundredths(81786005), "817860.05");
  EXPECT_EQ(FormatHundredths(5), "0.05");
  EXPECT_EQ(FormatHundredths(-150), "-1.50");
}

TEST(Kpi, JsonHasEveryFigure) {
  KpiFigures k{.revenue_cents = 1325,
               .orders = 1,
               .pizzas = 1,
               .order_days = 1,
               .fact_rows = 1,
               .top_pizza = "The \"Hawaiian\" Pizza"};
  RowCounts rows{.received = 3, .rejected = 1, .duplicates = 1, .silver = 1, .fact = 1};
  EXPECT_EQ(KpiJson(k, rows),
            "{\"total_revenue\":13.25,\"total_orders\":1,\"total_pizzas_sold\":1,"
            "\"avg_order_value\":13.25,\"avg_pizzas_per_order\":1.00,\"avg_orders_per_day\":1.00,"
            "\"top_pizza_by_revenue\":\"The \\\"Hawaiian\\\" Pizza\",\"rows\":{\"received\":3,"
            "\"rejected\":1,\"duplicates\":1,\"silver\":1,\"fact\":1}}");
}

}  // namespace
}  // namespace pizzastream::warehouse
