// The PostgreSQL warehouse against a real throwaway server (scripts/postgres): schema
// migrations, exact key figures, the BI views, exactly-once loads under re-runs, racing loaders
// and a server restart in the middle of a load, and hostile text.
#include <arrow/array/util.h>
#include <gtest/gtest.h>

#include <latch>
#include <pqxx/pqxx>
#include <thread>

#include "serve/sales_queries.h"
#include "serve/sales_view.h"
#include "support/gold_batches.h"
#include "support/postgres_server.h"
#include "warehouse/postgres_migrations.h"
#include "warehouse/postgres_warehouse.h"

namespace pizzastream::warehouse {
namespace {

using testing::ChunkOf;
using testing::ExpectedKpi;
using testing::MenuItem;
using testing::OrderLine;
using testing::SampleMenu;
using testing::SyntheticLines;

void ExpectSameKpi(const KpiFigures& got, const KpiFigures& want) {
  EXPECT_EQ(got.revenue_cents, want.revenue_cents);
  EXPECT_EQ(got.orders, want.orders);
  EXPECT_EQ(got.pizzas, want.pizzas);
  EXPECT_EQ(got.order_days, want.order_days);
  EXPECT_EQ(got.fact_rows, want.fact_rows);
  EXPECT_EQ(got.top_pizza, want.top_pizza);
}

LoadPositions AllAt(int64_t version) {
  LoadPositions p;
  for (const char* table : kGoldTables) p[table] = version;
  return p;
}

// The suite's warehouse is a database of its own on the process's shared server.
class PostgresWarehouseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = testing::PostgresServer::Shared();
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    auto url = (*server)->NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    server_ = *server;
    url_ = *url;
  }
  static void TearDownTestSuite() {
    server_ = nullptr;
    url_.clear();
  }
  // Every test starts from an initialised, empty warehouse `w_`.
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    DropSchema();
    w_ = OpenInitialised();
    ASSERT_NE(w_, nullptr);
  }

  static void DropSchema() {
    pqxx::connection c(url_);
    pqxx::nontransaction(c).exec("DROP SCHEMA IF EXISTS pizza_sales CASCADE");
  }

  static std::unique_ptr<Warehouse> Open() {
    auto w = OpenPostgresWarehouse(url_);
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return w.ok() ? std::move(*w) : nullptr;
  }
  static std::unique_ptr<Warehouse> OpenInitialised() {
    auto w = Open();
    if (w != nullptr) {
      const Status st = w->Init();
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
    return w;
  }
  static QueryResult MustQuery(Warehouse& w, const std::string& sql,
                               const std::vector<SqlParam>& params = {}) {
    auto r = w.Query(sql, params);
    EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n" << sql;
    return r.ok() ? *r : QueryResult{};
  }
  // fact_load_ranges: every fact row in exactly one range, and nothing else in them.
  static void ExpectRangesCoverEveryFactOnce(Warehouse& w) {
    EXPECT_EQ(MustInt(w,
                      "SELECT sum(last_item_id - first_item_id + 1) FROM "
                      "pizza_sales.fact_load_ranges"),
              MustInt(w, "SELECT count(*) FROM pizza_sales.fact_order_item"));
    EXPECT_EQ(MustInt(w,
                      "SELECT count(*) FROM pizza_sales.fact_order_item f JOIN "
                      "pizza_sales.fact_load_ranges r ON f.order_item_id BETWEEN "
                      "r.first_item_id AND r.last_item_id"),
              MustInt(w, "SELECT count(*) FROM pizza_sales.fact_order_item"));
  }

  static int64_t MustInt(Warehouse& w, const std::string& sql) {
    const QueryResult r = MustQuery(w, sql);
    if (r.rows.size() != 1 || r.rows[0].size() != 1) {
      ADD_FAILURE() << "expected one value from " << sql;
      return -1;
    }
    const auto* value = std::get_if<int64_t>(&r.rows[0][0]);
    if (value == nullptr) {
      ADD_FAILURE() << "not an integer: " << sql;
      return -1;
    }
    return *value;
  }
  static KpiFigures MustKpi(Warehouse& w) {
    auto k = w.Kpi();
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? *k : KpiFigures{};
  }

  static inline testing::PostgresServer* server_ = nullptr;
  static inline std::string url_;  // the warehouse database on server_
  std::unique_ptr<Warehouse> w_;
};

// Tests that restart the server: a server of their own.
class PostgresWarehouseRestartTest : public PostgresWarehouseTest {
 protected:
  static void SetUpTestSuite() {
    auto server = testing::PostgresServer::Start();
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    own_ = std::move(*server);
    server_ = own_.get();
    url_ = own_->url();
  }
  static void TearDownTestSuite() {
    PostgresWarehouseTest::TearDownTestSuite();
    own_.reset();
  }
  static inline std::unique_ptr<testing::PostgresServer> own_;
};

TEST_F(PostgresWarehouseTest, InitTwiceIsIdempotentAndRecordsEachMigrationOnce) {
  Warehouse* w = w_.get();
  ASSERT_TRUE(w->Init().ok());
  EXPECT_EQ(w->dialect(), "postgresql");
  const QueryResult versions =
      MustQuery(*w, "SELECT version FROM pizza_sales.schema_migrations ORDER BY version");
  ASSERT_EQ(versions.rows.size(), PostgresMigrations().size());
  for (size_t i = 0; i < versions.rows.size(); ++i) {
    EXPECT_EQ(versions.rows[i][0], SqlParam(int64_t{PostgresMigrations()[i].version}));
  }
  for (const char* view :
       {"v_kpi_summary", "v_sales_daily", "v_sales_hourly", "v_sales_by_weekday",
        "v_sales_by_pizza", "v_sales_by_category", "v_sales_by_size", "v_sales_by_channel"}) {
    EXPECT_EQ(MustInt(*w, std::string("SELECT count(*) FROM pizza_sales.") + view),
              std::string(view) == "v_kpi_summary" ? 1 : 0)
        << view;
  }
  auto positions = w->Positions();
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  EXPECT_EQ(*positions, AllAt(-1));
}

TEST_F(PostgresWarehouseTest, ConcurrentInitsBothSucceed) {
  DropSchema();
  auto a = Open();
  auto b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  std::latch go(2);
  Status sa, sb;
  std::thread ta([&] {
    go.arrive_and_wait();
    sa = a->Init();
  });
  std::thread tb([&] {
    go.arrive_and_wait();
    sb = b->Init();
  });
  ta.join();
  tb.join();
  EXPECT_TRUE(sa.ok()) << sa.ToString();
  EXPECT_TRUE(sb.ok()) << sb.ToString();
  EXPECT_EQ(MustInt(*a, "SELECT count(*) FROM pizza_sales.schema_migrations"),
            static_cast<int64_t>(PostgresMigrations().size()));
}

TEST_F(PostgresWarehouseTest, ForeignKeysAreEnforced) {
  Warehouse* w = w_.get();
  const auto menu = SampleMenu();
  const auto lines = SyntheticLines(1, 50, menu.size());
  GoldChunk chunk = ChunkOf(lines, menu, AllAt(0));
  chunk.batches.erase("dim_pizza");  // facts now name pizzas the warehouse does not know
  const Status st = w->Load(chunk);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("foreign key"), std::string::npos) << st.ToString();
  EXPECT_EQ(st.message().find('\n'), std::string::npos) << "one line: " << st.ToString();
  // Nothing of the failed chunk stays, not even its dimensions or positions.
  EXPECT_EQ(MustInt(*w, "SELECT count(*) FROM pizza_sales.dim_date"), 0);
  EXPECT_EQ(*w->Positions(), AllAt(-1));
}

TEST_F(PostgresWarehouseTest, LoadGivesExactKpiAndRecordsPositions) {
  Warehouse* w = w_.get();
  const auto menu = SampleMenu();
  const auto lines = SyntheticLines(1, 5000, menu.size());
  ASSERT_TRUE(w->Load(ChunkOf(lines, menu, AllAt(3))).ok());
  ExpectSameKpi(MustKpi(*w), ExpectedKpi(lines, menu));
  EXPECT_EQ(*w->Positions(), AllAt(3));
  // Money stays exact numeric in the table.
  EXPECT_EQ(MustInt(*w, "SELECT (sum(total_price) * 100)::bigint FROM pizza_sales.fact_order_item"),
            ExpectedKpi(lines, menu).revenue_cents);
}

TEST_F(PostgresWarehouseTest, EveryViewAgreesWithKpiAndPlainSql) {
  Warehouse* w = w_.get();
  const auto menu = SampleMenu();
  const auto lines = SyntheticLines(1, 4000, menu.size());
  ASSERT_TRUE(w->Load(ChunkOf(lines, menu, AllAt(0))).ok());
  const KpiFigures k = MustKpi(*w);
  ExpectSameKpi(k, ExpectedKpi(lines, menu));

  // v_kpi_summary: the same figures, ratios rounded to 2 decimals.
  const QueryResult summary = MustQuery(
      *w,
      "SELECT (total_revenue * 100)::bigint, total_orders, total_pizzas_sold, order_days, "
      "order_lines, top_pizza, (avg_order_value * 100)::bigint, "
      "(avg_pizzas_per_order * 100)::bigint, (avg_orders_per_day * 100)::bigint "
      "FROM pizza_sales.v_kpi_summary");
  ASSERT_EQ(summary.rows.size(), 1u);
  const auto& s = summary.rows[0];
  EXPECT_EQ(s[0], SqlParam(k.revenue_cents));
  EXPECT_EQ(s[1], SqlParam(k.orders));
  EXPECT_EQ(s[2], SqlParam(k.pizzas));
  EXPECT_EQ(s[3], SqlParam(k.order_days));
  EXPECT_EQ(s[4], SqlParam(k.fact_rows));
  EXPECT_EQ(s[5], SqlParam(k.top_pizza));
  EXPECT_EQ(s[6], SqlParam(RatioHundredths(k.revenue_cents, k.orders * 100)));
  EXPECT_EQ(s[7], SqlParam(RatioHundredths(k.pizzas, k.orders)));
  EXPECT_EQ(s[8], SqlParam(RatioHundredths(k.orders, k.order_days)));

  struct GroupView {
    const char* view;
    const char* key;         // the view's grouping columns
    const char* plain_key;   // the same from the star schema
    const char* plain_from;  // joins the plain recomputation needs
    bool orders_add_up;      // an order falls in exactly one group
  };
  const GroupView views[] = {
      {"v_sales_daily", "order_date", "f.order_date", "", true},
      {"v_sales_hourly", "hour", "t.hour", "JOIN pizza_sales.dim_time t ON t.time_id = f.time_id",
       true},
      {"v_sales_by_weekday", "weekday_num, weekday_name", "d.weekday_num, d.weekday_name",
       "JOIN pizza_sales.dim_date d ON d.date_id = f.date_id", true},
      {"v_sales_by_pizza", "pizza_name, pizza_category", "p.pizza_name, p.pizza_category",
       "JOIN pizza_sales.dim_pizza p ON p.pizza_sk = f.pizza_sk", false},
      {"v_sales_by_category", "pizza_category", "p.pizza_category",
       "JOIN pizza_sales.dim_pizza p ON p.pizza_sk = f.pizza_sk", false},
      {"v_sales_by_size", "pizza_size", "p.pizza_size",
       "JOIN pizza_sales.dim_pizza p ON p.pizza_sk = f.pizza_sk", false},
      {"v_sales_by_channel", "order_channel", "f.order_channel", "", true},
  };
  for (const GroupView& v : views) {
    SCOPED_TRACE(v.view);
    const std::string measures =
        "(sum(total_revenue) * 100)::bigint, sum(total_orders)::bigint, "
        "sum(total_pizzas_sold)::bigint, sum(order_lines)::bigint";
    const QueryResult totals =
        MustQuery(*w, "SELECT " + measures + " FROM pizza_sales." + std::string(v.view));
    ASSERT_EQ(totals.rows.size(), 1u);
    EXPECT_EQ(totals.rows[0][0], SqlParam(k.revenue_cents));
    if (v.orders_add_up) {
      EXPECT_EQ(totals.rows[0][1], SqlParam(k.orders));
    }
    EXPECT_EQ(totals.rows[0][2], SqlParam(k.pizzas));
    EXPECT_EQ(totals.rows[0][3], SqlParam(k.fact_rows));

    const std::string by_view = "SELECT " + std::string(v.key) +
                                ", total_revenue, total_orders, total_pizzas_sold, order_lines "
                                "FROM pizza_sales." +
                                v.view + " ORDER BY " + v.key;
    const std::string plain = "SELECT " + std::string(v.plain_key) +
                              ", sum(f.total_price), count(DISTINCT f.order_id), "
                              "sum(f.quantity)::bigint, count(*) "
                              "FROM pizza_sales.fact_order_item f " +
                              v.plain_from + " GROUP BY " + v.plain_key + " ORDER BY " +
                              v.plain_key;
    const QueryResult a = MustQuery(*w, by_view);
    const QueryResult b = MustQuery(*w, plain);
    EXPECT_GT(a.rows.size(), 1u);
    EXPECT_EQ(a.rows, b.rows);
  }
  // Shares of revenue add up to 100% (up to rounding of each group).
  const QueryResult shares =
      MustQuery(*w, "SELECT sum(pct_of_revenue)::float8 FROM pizza_sales.v_sales_by_category");
  ASSERT_EQ(shares.rows.size(), 1u);
  EXPECT_NEAR(std::get<double>(shares.rows[0][0]), 100.0, 0.03);
}

TEST_F(PostgresWarehouseTest, LoadingTheSameChunkAgainChangesNothing) {
  Warehouse* w = w_.get();
  const auto menu = SampleMenu();
  const auto lines = SyntheticLines(1, 3000, menu.size());
  const GoldChunk chunk = ChunkOf(lines, menu, AllAt(5));
  ASSERT_TRUE(w->Load(chunk).ok());
  const std::string snapshot_sql =
      "SELECT (SELECT count(*) FROM pizza_sales.fact_order_item) + "
      "(SELECT count(*) FROM pizza_sales.dim_date) * 1000000 + "
      "(SELECT sum(last_item_id - first_item_id + 1) FROM pizza_sales.fact_load_ranges)";
  const int64_t before = MustInt(*w, snapshot_sql);

  // Again with its positions (skipped: already loaded), and again without positions (every row
  // goes through the upserts).
  ASSERT_TRUE(w->Load(chunk).ok());
  GoldChunk no_positions = chunk;
  no_positions.positions.clear();
  ASSERT_TRUE(w->Load(no_positions).ok());

  ExpectSameKpi(MustKpi(*w), ExpectedKpi(lines, menu));
  EXPECT_EQ(MustInt(*w, snapshot_sql), before);
  EXPECT_EQ(*w->Positions(), AllAt(5));
  // The load ranges still cover every fact row exactly once.
  ExpectRangesCoverEveryFactOnce(*w);
}

TEST_F(PostgresWarehouseTest, PositionsOnlyMoveForward) {
  Warehouse* w = w_.get();
  const auto menu = SampleMenu();
  const auto lines = SyntheticLines(1, 100, menu.size());
  ASSERT_TRUE(w->Load(ChunkOf(lines, menu, AllAt(7))).ok());
  ASSERT_TRUE(w->Load(ChunkOf(lines, menu, AllAt(4))).ok());  // a late, stale loader
  EXPECT_EQ(*w->Positions(), AllAt(7));
}

TEST_F(PostgresWarehouseTest, ACorrectedDimensionRowWinsAndTheDashboardViewFollows) {
  Warehouse* w = w_.get();
  auto menu = SampleMenu();
  const auto lines = SyntheticLines(1, 600, menu.size());
  ASSERT_TRUE(w->Load(ChunkOf(lines, menu, AllAt(0))).ok());
  menu[2].category = "Poultry";  // the catalog corrects a pizza's category
  GoldChunk correction;
  correction.batches["dim_pizza"] = {testing::DimPizzaBatch(menu)};
  correction.positions["dim_pizza"] = 1;
  ASSERT_TRUE(w->Load(correction).ok());
  const std::string category_sql =
      "SELECT pizza_category FROM pizza_sales.dim_pizza WHERE pizza_name_id = $1";
  const std::vector<std::vector<SqlParam>> poultry = {{SqlParam(std::string("Poultry"))}};
  EXPECT_EQ(MustQuery(*w, category_sql, {menu[2].pizza_name_id}).rows, poultry);
  // A late loader with the older catalog (position 0) overwrites nothing.
  ASSERT_TRUE(w->Load(ChunkOf(lines, SampleMenu(), AllAt(0))).ok());
  EXPECT_EQ(MustQuery(*w, category_sql, {menu[2].pizza_name_id}).rows, poultry);
  // The dashboard's view by category agrees with the facts joined to the corrected dimension.
  serve::SalesView view;
  ASSERT_TRUE(view.Refresh(*w).ok());
  std::vector<std::vector<SqlParam>> by_category;
  view.Read([&](const serve::SalesData& d) {
    for (const auto& row : serve::SalesByGroup(d, serve::SalesGroup::kCategory, {})) {
      by_category.push_back({row.key, row.figures.revenue_cents});
    }
  });
  EXPECT_EQ(by_category,
            MustQuery(*w,
                      "SELECT p.pizza_category, (sum(f.total_price) * 100)::bigint "
                      "FROM pizza_sales.fact_order_item f JOIN pizza_sales.dim_pizza p "
                      "USING (pizza_sk) GROUP BY 1 ORDER BY 1")
                .rows);
}

TEST_F(PostgresWarehouseTest, TwoConcurrentLoadersNeverDoubleCount) {
  Warehouse* setup = w_.get();
  const auto menu = SampleMenu();
  // Overlapping chunks, each loaded by both loaders at once, in opposite orders.
  const auto first = SyntheticLines(1, 6000, menu.size());
  const auto second = SyntheticLines(3001, 6000, menu.size());
  const GoldChunk a = ChunkOf(first, menu, AllAt(1));
  const GoldChunk b = ChunkOf(second, menu, AllAt(2));
  auto loader1 = Open();
  auto loader2 = Open();
  ASSERT_NE(loader1, nullptr);
  ASSERT_NE(loader2, nullptr);
  std::latch go(2);
  Status s1a, s1b, s2a, s2b;
  std::thread t1([&] {
    go.arrive_and_wait();
    s1a = loader1->Load(a);
    s1b = loader1->Load(b);
  });
  std::thread t2([&] {
    go.arrive_and_wait();
    s2b = loader2->Load(b);
    s2a = loader2->Load(a);
  });
  t1.join();
  t2.join();
  for (const Status* st : {&s1a, &s1b, &s2a, &s2b}) EXPECT_TRUE(st->ok()) << st->ToString();

  auto all = SyntheticLines(1, 9000, menu.size());
  ExpectSameKpi(MustKpi(*setup), ExpectedKpi(all, menu));
  EXPECT_EQ(*setup->Positions(), AllAt(2));
  ExpectRangesCoverEveryFactOnce(*setup);
}

TEST_F(PostgresWarehouseRestartTest, ServerRestartMidLoadFailsTheLoadAndTheNextLoadResumes) {
  Warehouse* w = w_.get();
  const auto menu = SampleMenu();
  const auto first = SyntheticLines(1, 2000, menu.size());
  const auto second = SyntheticLines(2001, 20000, menu.size());
  ASSERT_TRUE(w->Load(ChunkOf(first, menu, AllAt(0))).ok());

  // Stall the load at its last step (recording positions), with every row of the second chunk
  // written in its open transaction, then restart the server under it. The stall is a trigger
  // sleeping inside the loader's own statement, so only the shutdown can end it (a lock held by
  // another session could be released by that session's termination a moment before the
  // loader's, letting it commit).
  pqxx::connection admin(url_);
  pqxx::nontransaction(admin).exec(
      "CREATE FUNCTION pizza_sales.test_stall() RETURNS trigger LANGUAGE plpgsql AS "
      "$$ BEGIN PERFORM pg_sleep(3600); RETURN NEW; END $$; "
      "CREATE TRIGGER test_stall BEFORE INSERT ON pizza_sales.load_position "
      "FOR EACH ROW EXECUTE FUNCTION pizza_sales.test_stall()");
  Status interrupted;
  std::thread loader([&] { interrupted = w->Load(ChunkOf(second, menu, AllAt(1))); });
  bool stalled = false;
  for (int i = 0; i < 6000 && !stalled; ++i) {  // a guard against hanging, not a time limit
    stalled = pqxx::nontransaction(admin)
                  .exec1(
                      "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
                      "AND query LIKE 'INSERT INTO pizza_sales.load_position%'")[0]
                  .as<int>() == 1;
    if (!stalled) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(stalled) << "the load never reached its last step";
  const Status restarted = server_->Restart();
  loader.join();
  ASSERT_TRUE(restarted.ok()) << restarted.ToString();
  EXPECT_FALSE(interrupted.ok());
  EXPECT_EQ(interrupted.message().find('\n'), std::string::npos) << interrupted.ToString();
  {
    pqxx::connection again(url_);
    pqxx::nontransaction(again).exec("DROP FUNCTION pizza_sales.test_stall() CASCADE");
  }

  // Nothing of the interrupted load is visible; the positions say where to resume.
  auto positions = w->Positions();
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  EXPECT_EQ(*positions, AllAt(0));
  ExpectSameKpi(MustKpi(*w), ExpectedKpi(first, menu));

  ASSERT_TRUE(w->Load(ChunkOf(second, menu, AllAt(1))).ok());
  auto all = first;
  all.insert(all.end(), second.begin(), second.end());
  ExpectSameKpi(MustKpi(*w), ExpectedKpi(all, menu));
  EXPECT_EQ(*w->Positions(), AllAt(1));
}

TEST_F(PostgresWarehouseTest, HostileTextLoadsIntact) {
  Warehouse* w = w_.get();
  std::vector<MenuItem> menu = SampleMenu();
  const std::vector<std::string> hostile = {
      "Robert'); DROP TABLE pizza_sales.fact_order_item; --",
      "tab\there, newline\nthere, cr\rthere",
      R"(back\slash \N \\N \t "double" 'single')",
      "Caf\xc3\xa9 Pizza \xf0\x9f\x8d\x95 \xe6\x8a\xab\xe8\x90\xa8 "
      "\xd0\xbf\xd0\xb8\xd1\x86\xd1\x86\xd0\xb0",
      "",
      "semi;colon,comma|pipe\x01\x7f",
  };
  for (size_t i = 0; i < hostile.size(); ++i) {
    menu[i].name = hostile[i];
    menu[i].ingredients = hostile[(i + 1) % hostile.size()];
    menu[i].category = hostile[(i + 2) % hostile.size()];
  }
  auto lines = SyntheticLines(1, 500, menu.size());
  for (size_t i = 0; i < lines.size(); ++i) lines[i].channel = i % 2 ? hostile[1] : hostile[2];
  ASSERT_TRUE(w->Load(ChunkOf(lines, menu, AllAt(0))).ok());
  for (const MenuItem& m : menu) {
    const QueryResult r =
        MustQuery(*w,
                  "SELECT pizza_name, pizza_ingredients, pizza_category FROM pizza_sales.dim_pizza "
                  "WHERE pizza_name_id = $1",
                  {m.pizza_name_id});
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0], (std::vector<SqlParam>{m.name, m.ingredients, m.category}));
  }
  EXPECT_EQ(
      MustQuery(*w, "SELECT count(*) FROM pizza_sales.fact_order_item WHERE order_channel = $1",
                {hostile[1]})
          .rows[0][0],
      SqlParam(int64_t{250}));
  ExpectSameKpi(MustKpi(*w), ExpectedKpi(lines, menu));
  // The empty string stays a string, not NULL.
  EXPECT_EQ(MustInt(*w, "SELECT count(*) FROM pizza_sales.dim_pizza WHERE pizza_name IS NULL"), 0);
}

TEST_F(PostgresWarehouseTest, NulInTextIsRefusedAndNothingLoads) {
  Warehouse* w = w_.get();
  std::vector<MenuItem> menu = SampleMenu();
  menu[0].name = std::string("nul\0inside", 10);
  const auto lines = SyntheticLines(1, 10, menu.size());
  const Status st = w->Load(ChunkOf(lines, menu, AllAt(0)));
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_EQ(MustInt(*w, "SELECT count(*) FROM pizza_sales.dim_pizza"), 0);
}

// The load stage hands its facts over as a scan: COPYed a batch at a time, and a scan that fails
// part way loads nothing, not even the batches already COPYed, and moves no position.
TEST_F(PostgresWarehouseTest, ScannedFactsLoadExactlyAndAFailingScanLoadsNothing) {
  Warehouse* w = w_.get();
  const auto menu = SampleMenu();
  const auto lines = SyntheticLines(1, 3000, menu.size());
  const Status failed =
      w->Load(testing::WithScannedFacts(ChunkOf(lines, menu, AllAt(2)), 256, /*fail_after=*/4));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.message().find("disk went away"), std::string::npos) << failed.ToString();
  EXPECT_EQ(MustInt(*w, "SELECT count(*) FROM pizza_sales.fact_order_item"), 0);
  EXPECT_EQ(MustInt(*w, "SELECT count(*) FROM pizza_sales.dim_pizza"), 0);
  EXPECT_EQ(*w->Positions(), AllAt(-1));
  ASSERT_TRUE(w->Load(testing::WithScannedFacts(ChunkOf(lines, menu, AllAt(2)), 256)).ok());
  ExpectSameKpi(MustKpi(*w), ExpectedKpi(lines, menu));
  EXPECT_EQ(*w->Positions(), AllAt(2));
}

TEST_F(PostgresWarehouseTest, NullTextStaysNull) {
  Warehouse* w = w_.get();
  const auto menu = SampleMenu();
  const auto lines = SyntheticLines(1, 20, menu.size());
  GoldChunk chunk = ChunkOf(lines, menu, AllAt(0));
  // dim_pizza with NULL ingredients, name and category (nullable in the gold schema).
  auto pizza = chunk.batches["dim_pizza"][0];
  std::vector<std::shared_ptr<arrow::Array>> columns = pizza->columns();
  for (int i = 5; i <= 7; ++i) {
    columns[i] = *arrow::MakeArrayOfNull(arrow::utf8(), pizza->num_rows());
  }
  chunk.batches["dim_pizza"] = {
      arrow::RecordBatch::Make(pizza->schema(), pizza->num_rows(), columns)};
  ASSERT_TRUE(w->Load(chunk).ok());
  EXPECT_EQ(MustInt(*w,
                    "SELECT count(*) FROM pizza_sales.dim_pizza WHERE pizza_name IS NULL AND "
                    "pizza_category IS NULL AND pizza_ingredients IS NULL"),
            static_cast<int64_t>(menu.size()));
}

TEST_F(PostgresWarehouseTest, QueryBindsParametersAndNeverSplicesThem) {
  Warehouse* w = w_.get();
  const std::string evil = "x'); DROP SCHEMA pizza_sales CASCADE; --";
  const QueryResult r = MustQuery(
      *w, "SELECT $1::text AS s, $2::bigint + 1 AS i, $3::float8 * 2 AS d, $4::text IS NULL AS n",
      {evil, int64_t{41}, 1.25, nullptr});
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.columns, (std::vector<std::string>{"s", "i", "d", "n"}));
  EXPECT_EQ(r.rows[0], (std::vector<SqlParam>{evil, int64_t{42}, 2.5, int64_t{1}}));
  EXPECT_EQ(MustInt(*w, "SELECT count(*) FROM pizza_sales.schema_migrations"),
            static_cast<int64_t>(PostgresMigrations().size()));
}

TEST_F(PostgresWarehouseTest, QueryIsReadOnly) {
  Warehouse* w = w_.get();
  auto r = w->Query("DELETE FROM pizza_sales.schema_migrations", {});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(MustInt(*w, "SELECT count(*) FROM pizza_sales.schema_migrations"),
            static_cast<int64_t>(PostgresMigrations().size()));
}

TEST_F(PostgresWarehouseTest, AWrongPasswordFailsWithoutShowingIt) {
  // The server's URL with a password of our own in it instead of its passfile.
  const std::string url = url_;
  const std::string host_part = url.substr(url.find("@"));
  const std::string bad =
      "postgresql://pizzastream:Sup3r-S3cret-Pw" + host_part.substr(0, host_part.find('?'));
  auto w = OpenPostgresWarehouse(bad);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().message().find("Sup3r-S3cret-Pw"), std::string::npos)
      << w.status().ToString();
  EXPECT_NE(w.status().message().find("password"), std::string::npos) << w.status().ToString();
}

TEST_F(PostgresWarehouseRestartTest, ReadsReconnectAfterAServerRestart) {
  Warehouse* w = w_.get();
  const auto menu = SampleMenu();
  const auto lines = SyntheticLines(1, 100, menu.size());
  ASSERT_TRUE(w->Load(ChunkOf(lines, menu, AllAt(0))).ok());
  ASSERT_TRUE(server_->Restart().ok());
  ExpectSameKpi(MustKpi(*w), ExpectedKpi(lines, menu));
}

}  // namespace
}  // namespace pizzastream::warehouse
