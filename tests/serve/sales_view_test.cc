// The dashboard's in-memory view follows the warehouse exactly however the rows arrive (orders
// split across loads, loads replayed or overlapping, a chunk older than what is loaded), and
// its figures equal the same figures computed with SQL from fact_order_item.
#include "serve/sales_view.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "serve/sales_queries.h"
#include "support/gold_batches.h"
#include "support/process.h"

namespace pizzastream::serve {
namespace {

using testing::ChunkOf;
using testing::SampleMenu;
using testing::SyntheticLines;
using warehouse::SqlParam;
using warehouse::Warehouse;

// revenue, orders, quantity, lines
using Figures = std::tuple<int64_t, int64_t, int64_t, int64_t>;
using Rows = std::map<std::string, Figures>;

Figures Of(const SalesFigures& f) { return {f.revenue_cents, f.orders, f.quantity, f.lines}; }

Rows ViewRows(const SalesView& view, SalesGroup group, const SalesFilter& filter) {
  Rows rows;
  view.Read([&](const SalesData& d) {
    for (const auto& row : SalesByGroup(d, group, filter)) rows[row.key] = Of(row.figures);
  });
  return rows;
}

// The same figures with SQL: orders are the distinct (order, day, channel[, hour]).
Rows SqlRows(Warehouse& wh, const std::string& key, const SalesFilter& f, bool hourly) {
  std::string where = "1 = 1";
  std::vector<SqlParam> params;
  auto bind = [&](SqlParam v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.category) where += " AND p.pizza_category = " + bind(*f.category);
  if (f.size) where += " AND p.pizza_size = " + bind(*f.size);
  if (f.channel) where += " AND f.order_channel = " + bind(*f.channel);
  if (f.from_date_id) where += " AND f.date_id >= " + bind(int64_t{*f.from_date_id});
  if (f.to_date_id) where += " AND f.date_id <= " + bind(int64_t{*f.to_date_id});
  const std::string tuple =
      std::string("f.order_id || '|' || f.date_id || '|' || f.order_channel") +
      (hourly ? " || '|' || (f.time_id / 100)" : "");
  auto r = wh.Query("SELECT CAST(" + key +
                        " AS TEXT), SUM(CAST(ROUND(f.total_price * 100) AS "
                        "INTEGER)), COUNT(DISTINCT " +
                        tuple +
                        "), SUM(f.quantity), COUNT(*) "
                        "FROM pizza_sales.fact_order_item f LEFT JOIN pizza_sales.dim_pizza p "
                        "ON p.pizza_sk = f.pizza_sk WHERE " +
                        where + " GROUP BY 1",
                    params);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  Rows rows;
  if (!r.ok()) return rows;
  for (const auto& row : r->rows) {
    rows[std::get<std::string>(row[0])] = {std::get<int64_t>(row[1]), std::get<int64_t>(row[2]),
                                           std::get<int64_t>(row[3]), std::get<int64_t>(row[4])};
  }
  return rows;
}

std::unique_ptr<Warehouse> NewWarehouse(const testing::TempDir& dir) {
  auto wh = warehouse::OpenWarehouse(dir / "warehouse.db").ValueOrDie();
  EXPECT_TRUE(wh->Init().ok());
  return wh;
}

std::vector<SalesFilter> Filters() {
  // One slicer at most (with or without dates): answered from the per-day rollups; two or more:
  // from the lines.
  std::vector<SalesFilter> filters(9);
  filters[1].category = "Classic";
  filters[2].size = "L";
  filters[3].channel = "web";
  filters[3].from_date_id = 20150110;
  filters[3].to_date_id = 20150214;
  filters[4].category = "Veggie";
  filters[4].size = "M";
  filters[4].from_date_id = 20150103;
  filters[5].channel = "phone";
  filters[6].from_date_id = 20150105;
  filters[6].to_date_id = 20150120;
  filters[7].size = "M";
  filters[7].to_date_id = 20150125;
  filters[8].category = "Veggie";
  filters[8].from_date_id = 20150104;
  return filters;
}

void ExpectViewMatchesSql(const SalesView& view, Warehouse& wh) {
  for (const SalesFilter& f : Filters()) {
    EXPECT_EQ(ViewRows(view, SalesGroup::kPizza, f), SqlRows(wh, "p.pizza_name", f, false));
    EXPECT_EQ(ViewRows(view, SalesGroup::kCategory, f), SqlRows(wh, "p.pizza_category", f, false));
    EXPECT_EQ(ViewRows(view, SalesGroup::kSize, f), SqlRows(wh, "p.pizza_size", f, false));
    EXPECT_EQ(ViewRows(view, SalesGroup::kChannel, f), SqlRows(wh, "f.order_channel", f, false));
    EXPECT_EQ(ViewRows(view, SalesGroup::kHour, f), SqlRows(wh, "f.time_id / 100", f, true));
    EXPECT_EQ(ViewRows(view, SalesGroup::kDay, f),
              SqlRows(wh,
                      "substr(f.date_id, 1, 4) || '-' || substr(f.date_id, 5, 2) || '-' || "
                      "substr(f.date_id, 7, 2)",
                      f, false));
    EXPECT_EQ(ViewRows(view, SalesGroup::kWeek, f),
              SqlRows(wh,
                      "date(substr(f.date_id, 1, 4) || '-' || substr(f.date_id, 5, 2) || '-' || "
                      "substr(f.date_id, 7, 2), '-6 days', 'weekday 1')",
                      f, false));
    EXPECT_EQ(ViewRows(view, SalesGroup::kMonth, f),
              SqlRows(wh, "substr(f.date_id, 1, 4) || '-' || substr(f.date_id, 5, 2)", f, false));
    SalesTotals totals;
    view.Read([&](const SalesData& d) { totals = SalesTotalsOf(d, f); });
    const Rows all = SqlRows(wh, "'all'", f, false);
    EXPECT_EQ(Of(totals.figures), all.empty() ? Figures{} : all.at("all"));
    EXPECT_EQ(totals.order_days, static_cast<int64_t>(SqlRows(wh, "f.date_id", f, false).size()));
  }
}

TEST(SalesViewTest, IncrementalRefreshesEqualAFreshViewAndSql) {
  testing::TempDir dir;
  auto wh = NewWarehouse(dir);
  const auto menu = SampleMenu();
  SalesView incremental;
  std::string version = incremental.Refresh(*wh).ValueOrDie();
  int64_t incremental_rows = 0;
  // Chunk boundaries cut through orders; one chunk overlaps the one before; one is replayed;
  // one comes before everything loaded so far (its lines merge in front); the last lands two
  // years later.
  for (const auto& [first, count] : std::vector<std::pair<int64_t, int64_t>>{{500, 101},
                                                                             {590, 57},
                                                                             {647, 300},
                                                                             {500, 101},
                                                                             {1, 230},
                                                                             {947, 1},
                                                                             {948, 252},
                                                                             {100000, 50}}) {
    ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(first, count, menu.size()), menu)).ok());
    const std::string next = incremental.Refresh(*wh).ValueOrDie();
    const bool added = wh->Kpi().ValueOrDie().fact_rows != incremental_rows;
    incremental_rows = incremental.lines();
    EXPECT_EQ(next != version, added) << first;  // the version moves with the content
    version = next;
  }
  EXPECT_EQ(incremental.Refresh(*wh).ValueOrDie(), version);  // nothing new: same version
  const auto k = wh->Kpi().ValueOrDie();
  EXPECT_EQ(incremental.lines(), k.fact_rows);
  EXPECT_EQ(k.fact_rows, 230 + 700 + 50);

  SalesView fresh;
  ASSERT_TRUE(fresh.Refresh(*wh).ok());
  for (SalesGroup g :
       {SalesGroup::kDay, SalesGroup::kMonth, SalesGroup::kHour, SalesGroup::kWeekday,
        SalesGroup::kPizza, SalesGroup::kCategory, SalesGroup::kSize, SalesGroup::kChannel}) {
    for (const SalesFilter& f : Filters()) {
      EXPECT_EQ(ViewRows(incremental, g, f), ViewRows(fresh, g, f)) << SalesGroupName(g);
    }
  }
  ExpectViewMatchesSql(incremental, *wh);
  // The key figures as the warehouse computes them.
  warehouse::KpiFigures from_view;
  incremental.Read([&](const SalesData& d) { from_view = KpiOf(d); });
  EXPECT_EQ(from_view.revenue_cents, k.revenue_cents);
  EXPECT_EQ(from_view.orders, k.orders);
  EXPECT_EQ(from_view.pizzas, k.pizzas);
  EXPECT_EQ(from_view.order_days, k.order_days);
  EXPECT_EQ(from_view.top_pizza, k.top_pizza);
}

// The per-day rollups answer exactly what a scan of the lines answers, for every group and
// slicer, and a view answers from them after each refresh.
TEST(SalesViewTest, RollupsAnswerAsTheLinesDo) {
  testing::TempDir dir;
  auto wh = NewWarehouse(dir);
  const auto menu = SampleMenu();
  ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(1, 700, menu.size()), menu)).ok());
  SalesView view;
  ASSERT_TRUE(view.Refresh(*wh).ok());
  view.Read([&](const SalesData& d) {
    ASSERT_NE(d.rollups, nullptr);
    SalesData lines_only = d;
    lines_only.rollups = nullptr;
    std::vector<SalesFilter> filters = Filters();
    for (const char* channel : {"web", "phone", "in_store", "nowhere"}) {
      filters.emplace_back().channel = channel;
    }
    for (const char* size : {"S", "M", "L", "XL", "nowhere"}) filters.emplace_back().size = size;
    for (const auto& p : d.pizzas) filters.emplace_back().category = p.category;
    filters.emplace_back().category = "nowhere";
    size_t selecting = 0;
    for (const SalesFilter& f : filters) {
      for (SalesGroup g :
           {SalesGroup::kDay, SalesGroup::kMonth, SalesGroup::kHour, SalesGroup::kWeekday,
            SalesGroup::kPizza, SalesGroup::kCategory, SalesGroup::kSize, SalesGroup::kChannel}) {
        const auto rolled = SalesByGroup(d, g, f), scanned = SalesByGroup(lines_only, g, f);
        ASSERT_EQ(rolled.size(), scanned.size()) << SalesGroupName(g);
        for (size_t i = 0; i < rolled.size(); ++i) {
          EXPECT_EQ(rolled[i].key, scanned[i].key) << SalesGroupName(g);
          EXPECT_EQ(Of(rolled[i].figures), Of(scanned[i].figures))
              << SalesGroupName(g) << " " << rolled[i].key;
        }
      }
      const auto rolled = SalesTotalsOf(d, f), scanned = SalesTotalsOf(lines_only, f);
      EXPECT_EQ(Of(rolled.figures), Of(scanned.figures));
      EXPECT_EQ(rolled.order_days, scanned.order_days);
      selecting += scanned.figures.lines > 0;
    }
    EXPECT_GT(selecting, filters.size() / 2);  // not a comparison of empty answers
  });
}

// A cancelled view reads nothing, and reads again once the cancel is lifted.
TEST(SalesViewTest, ACancelledRefreshStopsAndResumes) {
  testing::TempDir dir;
  auto wh = NewWarehouse(dir);
  const auto menu = SampleMenu();
  ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(1, 100, menu.size()), menu)).ok());
  SalesView view;
  view.Cancel();
  EXPECT_TRUE(view.Refresh(*wh).status().IsCancelled());
  EXPECT_EQ(view.lines(), 0);
  view.Cancel(false);
  ASSERT_TRUE(view.Refresh(*wh).ok());
  EXPECT_EQ(view.lines(), 100);
}

// Rows the fact insert ignores (a key loaded before, or twice in one chunk: first wins) never
// reach the view.
TEST(SalesViewTest, IgnoredFactRowsNeverReachTheView) {
  testing::TempDir dir;
  auto wh = NewWarehouse(dir);
  const auto menu = SampleMenu();
  SalesView view;
  ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(1, 50, menu.size()), menu)).ok());
  ASSERT_TRUE(view.Refresh(*wh).ok());
  auto lines = SyntheticLines(40, 100, menu.size());  // 40..49 are loaded already
  auto twice = lines[70];                             // and one key comes twice, changed
  twice.quantity += 5;
  twice.channel = "phone";
  lines.insert(lines.begin() + 75, twice);
  ASSERT_TRUE(wh->Load(ChunkOf(lines, menu)).ok());
  ASSERT_TRUE(view.Refresh(*wh).ok());
  EXPECT_EQ(view.lines(), 139);
  ExpectViewMatchesSql(view, *wh);
}

// A pizza whose category is corrected in dim_pizza moves with all its lines at the next refresh.
TEST(SalesViewTest, ACorrectedPizzaMovesItsLines) {
  testing::TempDir dir;
  auto wh = NewWarehouse(dir);
  const auto menu = SampleMenu();
  warehouse::LoadPositions at0 = {{"fact_order_item", 0}, {"dim_pizza", 0}};
  ASSERT_TRUE(wh->Load(ChunkOf(SyntheticLines(1, 300, menu.size()), menu, at0)).ok());
  SalesView view;
  const std::string before = view.Refresh(*wh).ValueOrDie();
  ASSERT_TRUE(wh->Query("UPDATE pizza_sales.dim_pizza SET pizza_category = 'Poultry' WHERE "
                        "pizza_name_id = $1",
                        {menu[2].pizza_name_id})
                  .ok());
  warehouse::GoldChunk positions_only;
  positions_only.positions = {{"dim_pizza", 1}};
  ASSERT_TRUE(wh->Load(positions_only).ok());
  EXPECT_NE(view.Refresh(*wh).ValueOrDie(), before);
  EXPECT_EQ(ViewRows(view, SalesGroup::kCategory, {}).count("Poultry"), 1u);
  ExpectViewMatchesSql(view, *wh);
}

}  // namespace
}  // namespace pizzastream::serve
