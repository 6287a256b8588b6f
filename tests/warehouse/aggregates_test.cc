// The sales aggregates stay equal to a recomputation from all fact rows however the rows
// arrive: orders split across loads, loads replayed, overlapping chunks.
#include "warehouse/aggregates.h"

#include <gtest/gtest.h>

#include "support/gold_batches.h"
#include "support/process.h"

namespace pizzastream::warehouse {
namespace {

using testing::ChunkOf;
using testing::SampleMenu;
using testing::SyntheticLines;

std::vector<std::vector<SqlParam>> Rows(Warehouse& wh, const std::string& table) {
  auto r = wh.Query(
      "SELECT * FROM pizza_sales." + table + " WHERE lines <> 0 ORDER BY 1, 2, 3, 4, 5, 6", {});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r->rows : std::vector<std::vector<SqlParam>>{};
}

ExecSql ExecOn(Warehouse& wh) {
  return [&wh](const std::string& sql, const std::vector<SqlParam>& params) {
    return wh.Query(sql, params).status();
  };
}

TEST(SalesAggregatesTest, IncrementalLoadsEqualARebuildFromAllFacts) {
  testing::TempDir dir;
  auto wh = OpenWarehouse(dir / "warehouse.db").ValueOrDie();
  ASSERT_TRUE(wh->Init().ok());
  const auto menu = SampleMenu();
  // Chunk boundaries cut through orders; the second chunk overlaps the first; the first is
  // replayed; the last lands two years later (other months).
  for (const auto& [first, count] : std::vector<std::pair<int64_t, int64_t>>{
           {1, 101}, {90, 57}, {147, 300}, {1, 101}, {447, 1}, {448, 252}, {100000, 50}}) {
    ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(first, count, menu.size()), menu)).ok());
  }
  const char* tables[] = {"agg_sales_daily", "agg_sales_hourly", "agg_sales_monthly_pizza",
                          "agg_sales_monthly_hourly"};
  std::vector<std::vector<std::vector<SqlParam>>> incremental;
  for (const char* t : tables) {
    incremental.push_back(Rows(*wh, t));
    ASSERT_FALSE(incremental.back().empty()) << t;
  }
  ASSERT_TRUE(SalesAggregates("sqlite").Rebuild(ExecOn(*wh)).ok());
  for (size_t i = 0; i < std::size(tables); ++i)
    EXPECT_EQ(Rows(*wh, tables[i]), incremental[i]) << tables[i];

  // Level 0 holds every line once; its orders add up to the distinct orders.
  auto totals = wh->Query(
      "SELECT SUM(lines), SUM(orders) FROM pizza_sales.agg_sales_daily WHERE level = 0", {});
  ASSERT_TRUE(totals.ok());
  const auto k = wh->Kpi().ValueOrDie();
  EXPECT_EQ(std::get<int64_t>(totals->rows[0][0]), 749);
  EXPECT_EQ(std::get<int64_t>(totals->rows[0][0]), k.fact_rows);
  EXPECT_EQ(std::get<int64_t>(totals->rows[0][1]), k.orders);
}

// Rows the fact insert ignores (a key already loaded, or twice in one chunk: first wins) add
// nothing to the aggregates, also where they arrive in the middle of a multi-row insert.
TEST(SalesAggregatesTest, IgnoredFactRowsAddNothing) {
  testing::TempDir dir;
  auto wh = OpenWarehouse(dir / "warehouse.db").ValueOrDie();
  ASSERT_TRUE(wh->Init().ok());
  const auto menu = SampleMenu();
  ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(1, 50, menu.size()), menu)).ok());
  auto lines = SyntheticLines(40, 100, menu.size());  // 40..49 are loaded already
  auto twice = lines[70];                             // and one key comes twice, changed
  twice.quantity += 5;
  twice.channel = "phone";
  lines.insert(lines.begin() + 75, twice);
  ASSERT_TRUE(wh->Load(ChunkOf(lines, menu)).ok());
  const auto k = wh->Kpi().ValueOrDie();
  EXPECT_EQ(k.fact_rows, 139);
  auto totals = wh->Query(
      "SELECT SUM(lines), SUM(quantity) FROM pizza_sales.agg_sales_daily WHERE level = 0", {});
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(std::get<int64_t>(totals->rows[0][0]), 139);
  EXPECT_EQ(std::get<int64_t>(totals->rows[0][1]), k.pizzas);
  std::vector<std::vector<std::vector<SqlParam>>> incremental;
  for (const char* t : {"agg_sales_daily", "agg_sales_hourly"}) incremental.push_back(Rows(*wh, t));
  ASSERT_TRUE(SalesAggregates("sqlite").Rebuild(ExecOn(*wh)).ok());
  EXPECT_EQ(Rows(*wh, "agg_sales_daily"), incremental[0]);
  EXPECT_EQ(Rows(*wh, "agg_sales_hourly"), incremental[1]);
}

TEST(SalesAggregatesTest, CreateFillsNewAggregatesFromExistingFactsOnce) {
  testing::TempDir dir;
  auto wh = OpenWarehouse(dir / "warehouse.db").ValueOrDie();
  ASSERT_TRUE(wh->Init().ok());
  const auto menu = SampleMenu();
  ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(1, 200, menu.size()), menu)).ok());
  const auto daily = Rows(*wh, "agg_sales_daily");
  const auto monthly = Rows(*wh, "agg_sales_monthly_pizza");
  ASSERT_FALSE(monthly.empty());
  // As if the warehouse predated the aggregates: drop them, then Init again.
  ASSERT_TRUE(wh->Query("DROP TABLE pizza_sales.agg_sales_daily", {}).ok());
  ASSERT_TRUE(wh->Query("DROP TABLE pizza_sales.agg_sales_hourly", {}).ok());
  ASSERT_TRUE(wh->Query("DROP TABLE pizza_sales.agg_sales_monthly_pizza", {}).ok());
  ASSERT_TRUE(wh->Init().ok());
  EXPECT_EQ(Rows(*wh, "agg_sales_daily"), daily);
  EXPECT_EQ(Rows(*wh, "agg_sales_monthly_pizza"), monthly);
  ASSERT_TRUE(wh->Init().ok());  // a second Init adds nothing
  EXPECT_EQ(Rows(*wh, "agg_sales_daily"), daily);
  EXPECT_EQ(Rows(*wh, "agg_sales_monthly_pizza"), monthly);
}

TEST(SalesAggregatesTest, ChunkOrdersAreTheDistinctOrderIdsInTheDialectsListSyntax) {
  const auto menu = SampleMenu();
  const GoldChunk chunk = ChunkOf(SyntheticLines(1, 7, menu.size()), menu);  // orders 1 1 2 2 3 3 4
  EXPECT_EQ(std::get<std::string>(SalesAggregates("sqlite").ChunkOrders(chunk).ValueOrDie()),
            "[1,2,3,4]");
  EXPECT_EQ(std::get<std::string>(SalesAggregates("postgresql").ChunkOrders(chunk).ValueOrDie()),
            "{1,2,3,4}");
  EXPECT_EQ(std::get<std::string>(SalesAggregates("sqlite").ChunkOrders(GoldChunk{}).ValueOrDie()),
            "[]");
}

TEST(SalesAggregatesTest, StatementsBindTheOrderListAndNeverSpliceIt) {
  for (const std::string dialect : {"sqlite", "postgresql"}) {
    const SalesAggregates agg(dialect);
    for (const auto& statements : {agg.RetractStatements(), agg.ApplyStatements()}) {
      int reading_facts = 0;
      for (const auto& sql : statements) {
        if (sql.find("fact_order_item") == std::string::npos) continue;
        ++reading_facts;
        EXPECT_NE(sql.find(dialect == "sqlite" ? "json_each($1)" : "ANY (CAST($1 AS BIGINT[]))"),
                  std::string::npos)
            << sql;
      }
      EXPECT_EQ(reading_facts, 2) << dialect;  // the daily and the hourly family
    }
    for (const auto& sql : agg.CreateStatements()) {
      EXPECT_EQ(sql.find("WITHOUT ROWID") != std::string::npos,
                dialect == "sqlite" && sql.starts_with("CREATE TABLE"))
          << sql;
    }
  }
}

}  // namespace
}  // namespace pizzastream::warehouse
