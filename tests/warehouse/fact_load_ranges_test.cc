// fact_load_ranges: every fact row of the SQLite warehouse lies in exactly one range, a range
// holds only rows its load inserted, and a warehouse made before the table gets one range
// covering its facts.
#include "warehouse/fact_load_ranges.h"

#include <gtest/gtest.h>

#include "support/gold_batches.h"
#include "support/process.h"

namespace pizzastream::warehouse {
namespace {

using testing::ChunkOf;
using testing::SampleMenu;
using testing::SyntheticLines;

int64_t MustInt(Warehouse& wh, const std::string& sql) {
  auto r = wh.Query(sql, {});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() && !r->rows.empty() ? std::get<int64_t>(r->rows[0][0]) : -1;
}

void ExpectRangesCoverEveryFactOnce(Warehouse& wh) {
  const int64_t facts = MustInt(wh, "SELECT COUNT(*) FROM pizza_sales.fact_order_item");
  EXPECT_EQ(LoadedFactRows(wh).ValueOrDie(), facts);
  EXPECT_EQ(MustInt(wh,
                    "SELECT COUNT(*) FROM pizza_sales.fact_order_item f JOIN "
                    "pizza_sales.fact_load_ranges r ON f.order_item_id BETWEEN "
                    "r.first_item_id AND r.last_item_id"),
            facts);
}

TEST(FactLoadRangesTest, ConsecutiveRunsOfUnsortedIdsWithRepeats) {
  EXPECT_EQ(ConsecutiveRuns({7, 3, 4, 4, 5, 10, 9, 1}),
            (std::vector<IdRun>{{1, 1}, {3, 5}, {7, 7}, {9, 10}}));
  EXPECT_TRUE(ConsecutiveRuns({}).empty());
  EXPECT_EQ(ConsecutiveRuns({INT64_MAX, INT64_MAX - 1}),
            (std::vector<IdRun>{{INT64_MAX - 1, INT64_MAX}}));
}

TEST(FactLoadRangesTest, EveryFactRowIsInExactlyOneRangeOfTheLoadThatInsertedIt) {
  testing::TempDir dir;
  auto wh = OpenWarehouse(dir / "warehouse.db").ValueOrDie();
  ASSERT_TRUE(wh->Init().ok());
  const auto menu = SampleMenu();
  auto with_gaps = SyntheticLines(1000, 200, menu.size());
  std::erase_if(with_gaps, [](const auto& l) { return l.order_item_id % 17 == 0; });
  ASSERT_TRUE(wh->Load(ChunkOf(with_gaps, menu)).ok());
  const int64_t ranges = MustInt(*wh, "SELECT COUNT(*) FROM pizza_sales.fact_load_ranges");
  EXPECT_GT(ranges, 1);
  // Overlapping: only the ids not loaded yet (the gaps, and what is new) make new ranges.
  ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(1100, 200, menu.size()), menu)).ok());
  ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(1100, 200, menu.size()), menu)).ok());  // again
  EXPECT_EQ(MustInt(*wh, "SELECT COUNT(*) FROM pizza_sales.fact_order_item"), 200 - 12 + 100 + 6);
  ExpectRangesCoverEveryFactOnce(*wh);
  const auto after = FactLoadRangesAfter(*wh, 0).ValueOrDie();
  ASSERT_FALSE(after.empty());
  EXPECT_TRUE(FactLoadRangesAfter(*wh, after.back().id).ValueOrDie().empty());
}

TEST(FactLoadRangesTest, AWarehouseMadeBeforeTheTableGetsOneRangeForItsFacts) {
  testing::TempDir dir;
  auto wh = OpenWarehouse(dir / "warehouse.db").ValueOrDie();
  ASSERT_TRUE(wh->Init().ok());
  const auto menu = SampleMenu();
  ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(1, 300, menu.size()), menu)).ok());
  ASSERT_TRUE(wh->Query("DROP TABLE pizza_sales.fact_load_ranges", {}).ok());
  ASSERT_TRUE(wh->Init().ok());
  EXPECT_EQ(MustInt(*wh, "SELECT COUNT(*) FROM pizza_sales.fact_load_ranges"), 1);
  ExpectRangesCoverEveryFactOnce(*wh);
  ASSERT_TRUE(wh->Init().ok());  // a second Init adds nothing
  EXPECT_EQ(MustInt(*wh, "SELECT COUNT(*) FROM pizza_sales.fact_load_ranges"), 1);
}

}  // namespace
}  // namespace pizzastream::warehouse
