// A money or count figure the warehouse cannot represent is an error, never a wrapped or
// rounded number (issue 10, case 1): SQLite's kpi sums.
#include <gtest/gtest.h>

#include "support/gold_batches.h"
#include "support/process.h"
#include "warehouse/warehouse.h"

namespace pizzastream::warehouse {
namespace {

using testing::ChunkOf;
using testing::SampleMenu;
using testing::SyntheticLines;

// A SQLite warehouse holding ten synthetic fact lines.
std::unique_ptr<Warehouse> LoadedWarehouse(const testing::TempDir& dir) {
  auto wh = OpenWarehouse(dir / "warehouse.db").ValueOrDie();
  EXPECT_TRUE(wh->Init().ok());
  const auto menu = SampleMenu();
  EXPECT_TRUE(wh->Load(ChunkOf(SyntheticLines(1, 10, menu.size()), menu)).ok());
  return wh;
}

TEST(WarehouseMoneyOverflow, KpiSumThatOverflowsIsAnError) {
  testing::TempDir dir;
  auto wh = LoadedWarehouse(dir);
  ASSERT_TRUE(wh->Kpi().ok());
  // Totals no silver line can have (they are bounded by decimal(10,2)), written behind the
  // pipeline's back: the sum in cents no longer fits 64 bits.
  ASSERT_TRUE(
      wh->Query("UPDATE pizza_sales.fact_order_item SET total_price = 90000000000000000.0", {})
          .ok());
  auto kpi = wh->Kpi();
  EXPECT_FALSE(kpi.ok());
}

}  // namespace
}  // namespace pizzastream::warehouse
