// Facts a load reads as it goes (GoldChunk::scans, the load stage's fact range): loaded like
// facts held in memory, and a scan that fails part way loads nothing, not even its first
// batches, and leaves the positions where they were.
#include <gtest/gtest.h>

#include "support/gold_batches.h"
#include "support/process.h"

namespace pizzastream::warehouse {
namespace {

using testing::ChunkOf;
using testing::SampleMenu;
using testing::SyntheticLines;
using testing::WithScannedFacts;

int64_t FactRows(Warehouse& wh) {
  auto r = wh.Query("SELECT COUNT(*) FROM pizza_sales.fact_order_item", {});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::get<int64_t>(r->rows.at(0).at(0));
}

TEST(GoldChunkScan, ScannedFactsLoadLikeFactsHeldInMemory) {
  const auto menu = SampleMenu();
  const auto lines = SyntheticLines(1, 1000, menu.size());
  testing::TempDir dir;
  auto held = OpenWarehouse(dir / "held.db").ValueOrDie();
  auto scanned = OpenWarehouse(dir / "scanned.db").ValueOrDie();
  ASSERT_TRUE(held->Init().ok());
  ASSERT_TRUE(scanned->Init().ok());
  const LoadPositions positions = {{"fact_order_item", 3}, {"dim_date", 1}};
  ASSERT_TRUE(held->Load(ChunkOf(lines, menu, positions)).ok());
  const auto chunk = WithScannedFacts(ChunkOf(lines, menu, positions), 64);
  ASSERT_TRUE(chunk.Has("fact_order_item"));
  ASSERT_TRUE(scanned->Load(chunk).ok());
  EXPECT_EQ(FactRows(*scanned), 1000);
  EXPECT_EQ(scanned->Kpi().ValueOrDie(), held->Kpi().ValueOrDie());
  EXPECT_EQ(scanned->Positions().ValueOrDie(), held->Positions().ValueOrDie());
  EXPECT_EQ(scanned->Kpi().ValueOrDie(), testing::ExpectedKpi(lines, menu));
}

TEST(GoldChunkScan, AScanThatFailsPartWayLoadsNothing) {
  const auto menu = SampleMenu();
  testing::TempDir dir;
  auto wh = OpenWarehouse(dir / "warehouse.db").ValueOrDie();
  ASSERT_TRUE(wh->Init().ok());
  const auto first = SyntheticLines(1, 100, menu.size());
  ASSERT_TRUE(wh->Load(ChunkOf(first, menu, {{"fact_order_item", 0}})).ok());
  const auto before = wh->Positions().ValueOrDie();
  const auto failing = WithScannedFacts(
      ChunkOf(SyntheticLines(101, 1000, menu.size()), menu, {{"fact_order_item", 1}}), 64, 5);
  const Status st = wh->Load(failing);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("disk went away"), std::string::npos) << st.ToString();
  EXPECT_EQ(FactRows(*wh), 100);  // the five slices handed over before the failure are gone
  EXPECT_EQ(wh->Positions().ValueOrDie(), before);
  EXPECT_EQ(wh->Kpi().ValueOrDie(), testing::ExpectedKpi(first, menu));
}

}  // namespace
}  // namespace pizzastream::warehouse
