// Warehouse::QueryEach on SQLite: hands over the rows Query would return, in order and with
// the same values (NULL, integers, reals, text of varying length in one reused row), and an
// error from the callback ends the scan with that error.
#include <gtest/gtest.h>

#include "support/gold_batches.h"
#include "support/process.h"
#include "warehouse/warehouse.h"

namespace pizzastream::warehouse {
namespace {

TEST(QueryEachTest, HandsOverTheRowsQueryReturns) {
  testing::TempDir dir;
  auto wh = OpenWarehouse(dir / "warehouse.db").ValueOrDie();
  ASSERT_TRUE(wh->Init().ok());
  const auto menu = testing::SampleMenu();
  ASSERT_TRUE(wh->Load(testing::ChunkOf(testing::SyntheticLines(1, 300, menu.size()), menu)).ok());
  const std::string sql =
      "SELECT f.order_item_id, f.order_channel, f.total_price, NULL, "
      "CASE WHEN f.order_item_id % 2 = 0 THEN 'x' ELSE 'a longer text than the last one' END "
      "FROM pizza_sales.fact_order_item f WHERE f.order_item_id BETWEEN $1 AND $2 "
      "ORDER BY f.order_item_id";
  const auto all = wh->Query(sql, {int64_t{10}, int64_t{250}}).ValueOrDie();
  ASSERT_EQ(all.rows.size(), 241u);
  std::vector<std::vector<SqlParam>> seen;
  ASSERT_TRUE(
      wh->QueryEach(sql, {int64_t{10}, int64_t{250}}, [&](const std::vector<SqlParam>& row) {
          seen.push_back(row);
          return Status::OK();
        }).ok());
  EXPECT_EQ(seen, all.rows);

  int64_t calls = 0;
  const Status stopped =
      wh->QueryEach(sql, {int64_t{10}, int64_t{250}}, [&](const std::vector<SqlParam>&) {
        return ++calls == 3 ? Status::Invalid("stop here") : Status::OK();
      });
  EXPECT_TRUE(stopped.IsInvalid()) << stopped.ToString();
  EXPECT_EQ(calls, 3);
  // The statement is usable again after a scan that stopped early.
  EXPECT_EQ(wh->Query(sql, {int64_t{10}, int64_t{250}}).ValueOrDie().rows, all.rows);
}

}  // namespace
}  // namespace pizzastream::warehouse
