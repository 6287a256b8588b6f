// The dashboard's HTTP API against real warehouses (SQLite, and PostgreSQL on a throwaway
// loopback server) loaded through Warehouse::Load: every figure equals `pizzastream kpi` and a
// direct SQL recomputation over fact_order_item, filters narrow, hostile parameters get 400
// and change nothing, and the security rules hold.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "serve/dashboard_server.h"
#include "serve/sales_filter.h"
#include "serve/sales_queries.h"
#include "serve/sales_view.h"
#include "support/gold_batches.h"
#include "support/postgres_server.h"
#include "support/process.h"
#include "warehouse/kpi.h"
#include "warehouse/warehouse.h"

namespace pizzastream::serve {
namespace {

using nlohmann::json;
using testing::ChunkOf;
using testing::OrderLine;
using testing::SampleMenu;
using testing::SyntheticLines;
using warehouse::SqlParam;

constexpr int64_t kLines = 2699;  // order lines the fixture loads

// Per group value: revenue in cents, orders, pizzas, lines.
using Figures = std::map<std::string, std::array<int64_t, 4>>;

struct Slice {
  std::string query;  // as the page sends it, e.g. "category=Classic&from=2015-01-03"
  std::string where;  // the same filter as SQL over f (fact), p (dim_pizza)
  std::vector<SqlParam> params;
};

// Where the fixture's warehouse lives.
struct SqliteBackend {
  static Result<std::string> Start(const testing::TempDir& dir) { return dir / "warehouse.db"; }
};
// A database of the suite's own on the process's shared server.
struct PostgresBackend {
  static Result<std::string> Start(const testing::TempDir&) {
    ARROW_ASSIGN_OR_RAISE(testing::PostgresServer * server, testing::PostgresServer::Shared());
    return server->NewDatabase();
  }
};

template <typename Backend>
class DashboardApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto target = Backend::Start(*dir_);
    ASSERT_TRUE(target.ok()) << target.status().ToString();
    target_ = *target;
    auto wh = warehouse::OpenWarehouse(target_);
    ASSERT_TRUE(wh.ok()) << wh.status().ToString();
    ASSERT_TRUE((*wh)->Init().ok());
    const auto menu = SampleMenu();
    // Overlapping chunks: orders straddle chunk boundaries and rows arrive twice; the last two
    // land in August 2015 and December 2016, so date ranges cover whole and partial months.
    const std::vector<std::pair<int64_t, int64_t>> ranges = {
        {1, 700}, {650, 800}, {1450, 1050}, {30000, 100}, {100000, 100}};
    int64_t version = 0;
    for (const auto& [first, count] : ranges) {
      const auto lines = SyntheticLines(first, count, menu.size());
      const Status st = (*wh)->Load(ChunkOf(lines, menu, {{"fact_order_item", version++}}));
      ASSERT_TRUE(st.ok()) << st.ToString();
    }
    // The first chunk once more, as a replay after a crash would.
    ASSERT_TRUE(
        (*wh)
            ->Load(ChunkOf(SyntheticLines(1, 700, menu.size()), menu, {{"fact_order_item", 0}}))
            .ok());
    DashboardOptions options;
    options.port = 0;
    options.warehouse_target = target_;
    server_ = new DashboardServer(options);
    const Status st = server_->Start();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete dir_;
  }

  void SetUp() override { ASSERT_NE(server_, nullptr); }

  static httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", server_->port());
    return client.Get(path.c_str(), headers);
  }

  static json GetJson(const std::string& path) {
    auto res = Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return json();
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    return json::parse(res->body);
  }

  static std::unique_ptr<warehouse::Warehouse> Open() {
    auto wh = warehouse::OpenWarehouse(target_);
    EXPECT_TRUE(wh.ok());
    return std::move(*wh);
  }

  // The figures per `key_sql` computed straight from the fact table; `key` renders the key as
  // the API does.
  static Figures DirectSql(const std::string& key_sql, const Slice& slice,
                           const std::function<std::string(const SqlParam&)>& key) {
    auto wh = Open();
    auto r = wh->Query("SELECT " + key_sql +
                           ", CAST(SUM(CAST(ROUND(f.total_price * 100) AS INTEGER)) AS BIGINT), "
                           "COUNT(DISTINCT f.order_id), CAST(SUM(f.quantity) AS BIGINT), COUNT(*) "
                           "FROM pizza_sales.fact_order_item f "
                           "JOIN pizza_sales.dim_pizza p ON p.pizza_sk = f.pizza_sk "
                           "JOIN pizza_sales.dim_date d ON d.date_id = f.date_id WHERE " +
                           slice.where + " GROUP BY 1",
                       slice.params);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    Figures out;
    if (!r.ok()) return out;
    for (const auto& row : r->rows) {
      out[key(row[0])] = {std::get<int64_t>(row[1]), std::get<int64_t>(row[2]),
                          std::get<int64_t>(row[3]), std::get<int64_t>(row[4])};
    }
    return out;
  }

  static Figures FromApi(const json& body) {
    Figures out;
    for (const auto& row : body["rows"]) {
      out[row["key"].get<std::string>()] = {
          std::llround(row["revenue"].get<double>() * 100), row["orders"].get<int64_t>(),
          row["pizzas"].get<int64_t>(), row["lines"].get<int64_t>()};
    }
    return out;
  }

  static std::vector<Slice> Slices() {
    return {
        {"", "1 = 1", {}},
        {"category=Classic", "p.pizza_category = $1", {std::string("Classic")}},
        {"size=L", "p.pizza_size = $1", {std::string("L")}},
        {"category=Classic&size=L",
         "p.pizza_category = $1 AND p.pizza_size = $2",
         {std::string("Classic"), std::string("L")}},
        {"channel=web", "f.order_channel = $1", {std::string("web")}},
        {"from=2015-01-05&to=2015-01-12",
         "f.date_id BETWEEN $1 AND $2",
         {int64_t{20150105}, int64_t{20150112}}},
        {"from=2015-01-10&to=2016-12-28",
         "f.date_id BETWEEN $1 AND $2",
         {int64_t{20150110}, int64_t{20161228}}},
        {"to=2015-08-06&size=L",
         "f.date_id <= $1 AND p.pizza_size = $2",
         {int64_t{20150806}, std::string("L")}},
        {"from=2015-01-16&category=Chicken",
         "f.date_id >= $1 AND p.pizza_category = $2",
         {int64_t{20150116}, std::string("Chicken")}},
        {"from=2015-01-03&to=2015-01-20&category=Veggie&size=L&channel=app",
         "f.date_id BETWEEN $1 AND $2 AND p.pizza_category = $3 AND p.pizza_size = $4 AND "
         "f.order_channel = $5",
         {int64_t{20150103}, int64_t{20150120}, std::string("Veggie"), std::string("L"),
          std::string("app")}},
    };
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::string target_;
  static inline DashboardServer* server_ = nullptr;
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;
class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, SqliteBackend> ? "Sqlite" : "Postgres";
  }
};
TYPED_TEST_SUITE(DashboardApiTest, Backends, BackendNames);

const char* const kKpiFields[] = {
    "total_revenue",        "total_orders",       "total_pizzas_sold",   "avg_order_value",
    "avg_pizzas_per_order", "avg_orders_per_day", "top_pizza_by_revenue"};

TYPED_TEST(DashboardApiTest, KpiEqualsTheKpiCommandAndTheIndependentFigures) {
  const json api = TestFixture::GetJson("/api/kpi");
  const auto kpi = testing::RunPizzastream({"kpi", "--data-dir", TestFixture::dir_->path(),
                                            "--warehouse", TestFixture::target_, "--json"});
  ASSERT_EQ(kpi.exit_code, 0) << kpi.err;
  const json cli = json::parse(kpi.out);
  for (const char* field : kKpiFields) EXPECT_EQ(api[field], cli[field]) << field;
  // Rendered alike, not only equal as numbers: the same text up to the row counts ("1.00").
  const auto raw = TestFixture::Get("/api/kpi");
  ASSERT_TRUE(raw);
  const std::string members = kpi.out.substr(1, kpi.out.find(",\"rows\":") - 1);
  EXPECT_EQ(raw->body.substr(0, members.size() + 1), "{" + members);

  // The lines loaded (the chunks overlap): compute the figures without SQL.
  auto lines = SyntheticLines(1, 2499, SampleMenu().size());
  for (int64_t first : {30000, 100000}) {
    for (const auto& line : SyntheticLines(first, 100, SampleMenu().size())) lines.push_back(line);
  }
  const json expected =
      json::parse(warehouse::KpiJson(testing::ExpectedKpi(lines, SampleMenu()), {}));
  for (const char* field : kKpiFields) EXPECT_EQ(api[field], expected[field]) << field;
  EXPECT_EQ(api["fact_rows"], kLines);
  EXPECT_EQ(api["filter"], json::object());

  // The same figures from the dashboard's in-memory view, read afresh.
  auto wh = TestFixture::Open();
  SalesView view;
  ASSERT_TRUE(view.Refresh(*wh).ok());
  warehouse::KpiFigures from_view;
  view.Read([&](const SalesData& d) { from_view = KpiOf(d); });
  EXPECT_EQ(warehouse::KpiJson(from_view, {}), warehouse::KpiJson(wh->Kpi().ValueOrDie(), {}));
}

TYPED_TEST(DashboardApiTest, EveryGroupUnderEverySliceEqualsDirectSql) {
  using Key = std::function<std::string(const SqlParam&)>;
  const Key text = [](const SqlParam& v) { return std::get<std::string>(v); };
  const Key number = [](const SqlParam& v) { return std::to_string(std::get<int64_t>(v)); };
  const Key day = [](const SqlParam& v) {
    return FormatDateId(static_cast<int32_t>(std::get<int64_t>(v)));
  };
  const Key month = [](const SqlParam& v) {
    const int64_t ym = std::get<int64_t>(v);
    return fmt::format("{:04d}-{:02d}", ym / 100, ym % 100);
  };
  const std::map<std::string, std::pair<std::string, Key>> key_sql = {
      {"day", {"f.date_id", day}},           {"month", {"f.date_id / 100", month}},
      {"hour", {"f.time_id / 100", number}}, {"weekday", {"d.weekday_name", text}},
      {"pizza", {"p.pizza_name", text}},     {"category", {"p.pizza_category", text}},
      {"size", {"p.pizza_size", text}},      {"channel", {"f.order_channel", text}},
  };
  for (const Slice& slice : TestFixture::Slices()) {
    for (const auto& [group, sql] : key_sql) {
      const json body = TestFixture::GetJson("/api/sales?group=" + group + "&" + slice.query);
      EXPECT_EQ(body["group"], group);
      const Figures expected = TestFixture::DirectSql(sql.first, slice, sql.second);
      EXPECT_EQ(TestFixture::FromApi(body), expected) << "group=" << group << " " << slice.query;
      if (slice.query.empty()) {
        EXPECT_FALSE(expected.empty()) << group;
      }
    }
  }
}

TYPED_TEST(DashboardApiTest, FilteredKpiEqualsDirectSql) {
  for (const Slice& slice : TestFixture::Slices()) {
    auto wh = TestFixture::Open();
    auto r = wh->Query(
        "SELECT CAST(COALESCE(SUM(CAST(ROUND(f.total_price * 100) AS INTEGER)), 0) AS BIGINT), "
        "COUNT(DISTINCT f.order_id), CAST(COALESCE(SUM(f.quantity), 0) AS BIGINT), "
        "COUNT(DISTINCT f.order_date), COUNT(*) FROM pizza_sales.fact_order_item f "
        "JOIN pizza_sales.dim_pizza p ON p.pizza_sk = f.pizza_sk WHERE " +
            slice.where,
        slice.params);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    warehouse::KpiFigures k;
    k.revenue_cents = std::get<int64_t>(r->rows[0][0]);
    k.orders = std::get<int64_t>(r->rows[0][1]);
    k.pizzas = std::get<int64_t>(r->rows[0][2]);
    k.order_days = std::get<int64_t>(r->rows[0][3]);
    k.fact_rows = std::get<int64_t>(r->rows[0][4]);
    auto top = wh->Query(
        "SELECT p.pizza_name, SUM(CAST(ROUND(f.total_price * 100) AS INTEGER)) AS revenue "
        "FROM pizza_sales.fact_order_item f JOIN pizza_sales.dim_pizza p "
        "ON p.pizza_sk = f.pizza_sk WHERE " +
            slice.where + " GROUP BY p.pizza_name ORDER BY revenue DESC, p.pizza_name LIMIT 1",
        slice.params);
    ASSERT_TRUE(top.ok());
    if (!top->rows.empty()) k.top_pizza = std::get<std::string>(top->rows[0][0]);
    const json expected = json::parse(warehouse::KpiJson(k, {}));
    const json api = TestFixture::GetJson("/api/kpi?" + slice.query);
    for (const char* field : kKpiFields) EXPECT_EQ(api[field], expected[field]) << slice.query;
    EXPECT_EQ(api["fact_rows"], k.fact_rows) << slice.query;
  }
}

TYPED_TEST(DashboardApiTest, FiltersNarrowTheFigures) {
  const json all = TestFixture::GetJson("/api/kpi");
  const json by_category = TestFixture::GetJson("/api/sales?group=category");
  ASSERT_GE(by_category["rows"].size(), 2u);
  int64_t revenue_cents = 0, orders = 0;
  for (const auto& row : by_category["rows"]) {
    const std::string category = row["key"];
    const json one = TestFixture::GetJson("/api/kpi?category=" + category);
    EXPECT_LT(one["total_revenue"].get<double>(), all["total_revenue"].get<double>());
    EXPECT_LE(one["total_orders"].get<int64_t>(), all["total_orders"].get<int64_t>());
    EXPECT_EQ(one["total_orders"], row["orders"]);
    EXPECT_EQ(one["filter"]["category"], category);
    const json narrowed = TestFixture::GetJson("/api/sales?group=category&category=" + category);
    ASSERT_EQ(narrowed["rows"].size(), 1u);
    EXPECT_EQ(narrowed["rows"][0]["key"], category);
    revenue_cents += std::llround(row["revenue"].get<double>() * 100);
    orders += row["orders"].get<int64_t>();
  }
  // Revenue adds up across categories; orders do not (an order can hold several categories).
  EXPECT_EQ(revenue_cents, std::llround(all["total_revenue"].get<double>() * 100));
  EXPECT_GT(orders, all["total_orders"].get<int64_t>());

  const json days = TestFixture::GetJson("/api/sales?group=day&from=2015-01-05&to=2015-01-07");
  ASSERT_EQ(days["rows"].size(), 3u);
  EXPECT_EQ(days["rows"][0]["key"], "2015-01-05");
  EXPECT_EQ(days["rows"][2]["key"], "2015-01-07");
  const json nothing = TestFixture::GetJson("/api/kpi?category=Dessert");
  EXPECT_EQ(nothing["total_orders"], 0);
  EXPECT_EQ(nothing["top_pizza_by_revenue"], nullptr);
}

TYPED_TEST(DashboardApiTest, MalformedAndHostileParametersGet400AndChangeNothing) {
  const json before = TestFixture::GetJson("/api/kpi");
  const std::vector<std::string> bad = {
      "/api/sales",
      "/api/sales?group=",
      "/api/sales?group=bogus",
      "/api/sales?group=day;DROP%20TABLE%20pizza_sales.fact_order_item",
      "/api/sales?group=day&group=month",
      "/api/sales?group=day&from=2015-13-01",
      "/api/sales?group=day&from=2015-02-30",
      "/api/sales?group=day&from=20150101",
      "/api/sales?group=day&from=2015-1-1",
      "/api/sales?group=day&from=%2B2015-01-01",
      "/api/sales?group=day&from=2015-02-01&to=2015-01-01",
      "/api/kpi?category=Classic'%20OR%20'1'='1",
      "/api/kpi?category=Classic%22;%20DELETE%20FROM%20pizza_sales.fact_order_item;--",
      "/api/kpi?category=",
      "/api/kpi?category=%00",
      "/api/kpi?size=%3Cscript%3Ealert(1)%3C/script%3E",
      "/api/kpi?channel=" + std::string(65, 'w'),
      "/api/kpi?channel=caf%C3%A9",
      "/api/kpi?unknown=1",
      "/api/kpi?group=day",
      "/api/kpi?size=L&size=M",
      "/api/pipeline?x=1",
  };
  for (const auto& path : bad) {
    auto res = TestFixture::Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 400) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
    const json body = json::parse(res->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << path;
    EXPECT_TRUE(body["error"].is_string()) << path;
  }
  // A value of the allowed shape is only ever a value: it matches nothing.
  EXPECT_EQ(TestFixture::GetJson("/api/kpi?category=Classic%20OR%201%20-%201")["total_orders"], 0);
  EXPECT_EQ(TestFixture::GetJson("/api/kpi"), before);
  auto wh = TestFixture::Open();
  auto k = wh->Kpi();
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->fact_rows, kLines);
}

TYPED_TEST(DashboardApiTest, EveryResponseCarriesTheSecurityHeaders) {
  for (const std::string path : {"/", "/app.js", "/api/kpi", "/api/sales?group=nope", "/metrics",
                                 "/healthz", "/nope", "/api/nope"}) {
    auto res = TestFixture::Get(path);
    ASSERT_TRUE(res) << path;
    const std::string csp = res->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << path;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer") << path;
  }
  EXPECT_EQ(TestFixture::Get("/api/nope")->status, 404);
}

TYPED_TEST(DashboardApiTest, ThePageAndTheChartLibraryAreServedFromTheBinary) {
  auto page = TestFixture::Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("/vendor/chart.umd.min.js"), std::string::npos);
  auto chart = TestFixture::Get("/vendor/chart.umd.min.js");
  ASSERT_TRUE(chart);
  EXPECT_EQ(chart->status, 200);
  EXPECT_EQ(chart->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(chart->body.find("Chart.js v"), std::string::npos);
  EXPECT_GT(chart->body.size(), 100000u);
}

TYPED_TEST(DashboardApiTest, OnlyLoopbackHostNamesAreServedOnLoopback) {
  EXPECT_EQ(TestFixture::Get("/api/kpi", {{"Host", "attacker.example"}})->status, 403);
  EXPECT_EQ(TestFixture::Get("/api/kpi", {{"Host", "attacker.example:8080"}})->status, 403);
  EXPECT_EQ(TestFixture::Get("/api/kpi", {{"Host", "localhost:1"}})->status, 200);
  EXPECT_EQ(TestFixture::Get("/api/kpi", {{"Host", "[::1]:1"}})->status, 200);
}

TYPED_TEST(DashboardApiTest, MetricsAndHealthz) {
  TestFixture::GetJson("/api/kpi");
  auto res = TestFixture::Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = res->body;
  EXPECT_NE(m.find("# TYPE pizzastream_http_requests_total counter"), std::string::npos);
  EXPECT_NE(m.find("pizzastream_http_requests_total{route=\"/api/kpi\",code=\"200\"}"),
            std::string::npos);
  EXPECT_NE(m.find("# TYPE pizzastream_http_request_duration_seconds histogram"),
            std::string::npos);
  EXPECT_NE(
      m.find("pizzastream_http_request_duration_seconds_bucket{route=\"/api/kpi\",le=\"+Inf\"}"),
      std::string::npos);
  EXPECT_NE(m.find("\npizzastream_warehouse_fact_rows " + std::to_string(kLines) + "\n"),
            std::string::npos)
      << m;
  EXPECT_EQ(TestFixture::GetJson("/healthz")["status"], "ok");
}

TYPED_TEST(DashboardApiTest, PipelineReportsTheWarehouseWhenNoPipelinePublishes) {
  // The lake probe publishes from its own thread soon after start: wait for it (bounded).
  json p = TestFixture::GetJson("/api/pipeline");
  for (int i = 0; i < 100 && p["stages"].empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    p = TestFixture::GetJson("/api/pipeline");
  }
  EXPECT_EQ(p["source"], "lake");
  EXPECT_EQ(p["warehouse"]["dialect"], TestFixture::Open()->dialect());
  EXPECT_EQ(p["warehouse"]["fact_rows"], kLines);
  EXPECT_EQ(p["data_version"], TestFixture::GetJson("/api/kpi")["data_version"]);
  // The probe publishes right after start; the load stage is always there.
  bool found = false;
  for (const auto& s : p["stages"]) {
    if (s["stage"] == "load") {
      found = true;
      EXPECT_EQ(s["rows_out"], kLines);
      EXPECT_TRUE(s["last_commit"].is_string()) << s.dump();  // from load_position
    }
  }
  EXPECT_TRUE(found) << p.dump();
}

TEST(DashboardServerTest, PublishedPipelineFiguresAndNewLoadsShowUp) {
  testing::TempDir dir;
  const std::string path = dir / "warehouse.db";
  auto wh = warehouse::OpenWarehouse(path);
  ASSERT_TRUE(wh.ok());
  ASSERT_TRUE((*wh)->Init().ok());
  const auto menu = SampleMenu();
  ASSERT_TRUE(
      (*wh)
          ->Load(ChunkOf(SyntheticLines(1, 100, menu.size()), menu, {{"fact_order_item", 0}}))
          .ok());
  auto status = std::make_shared<PipelineStatus>();
  StageStats silver;
  silver.name = "silver";
  silver.rows_out = 90;
  silver.rows_per_second = 12.5;
  silver.lag = 3;
  silver.rejected = 4;
  silver.duplicates = 6;
  silver.last_commit_ms = 1764000000000;
  status->Publish({silver});
  DashboardOptions options;
  options.port = 0;
  options.warehouse_target = path;
  options.pipeline = status;
  DashboardServer server(options);
  ASSERT_TRUE(server.Start().ok());
  httplib::Client client("127.0.0.1", server.port());

  auto p = json::parse(client.Get("/api/pipeline")->body);
  EXPECT_EQ(p["source"], "pipeline");
  ASSERT_EQ(p["stages"].size(), 1u);
  EXPECT_EQ(p["stages"][0]["stage"], "silver");
  EXPECT_EQ(p["stages"][0]["rows_out"], 90);
  EXPECT_EQ(p["stages"][0]["rows_per_second"], 12.5);
  EXPECT_EQ(p["stages"][0]["lag"], 3);
  EXPECT_EQ(p["stages"][0]["rejected"], 4);
  EXPECT_EQ(p["stages"][0]["duplicates"], 6);
  EXPECT_EQ(p["stages"][0]["last_commit"], "2025-11-24T16:00:00Z");
  const std::string version = p["data_version"];
  EXPECT_EQ(json::parse(client.Get("/api/kpi")->body)["fact_rows"], 100);

  ASSERT_TRUE(
      (*wh)
          ->Load(ChunkOf(SyntheticLines(101, 50, menu.size()), menu, {{"fact_order_item", 1}}))
          .ok());
  p = json::parse(client.Get("/api/pipeline")->body);
  EXPECT_NE(p["data_version"], version);
  EXPECT_EQ(json::parse(client.Get("/api/kpi")->body)["fact_rows"], 150);
  const auto metrics = client.Get("/metrics")->body;
  EXPECT_NE(metrics.find("pizzastream_stage_rows_per_second{stage=\"silver\"} 12.5"),
            std::string::npos);
  server.Stop();
  server.Stop();  // idempotent
}

// The day series holds at most max_day_rows rows: per week beyond that many days, per month
// beyond that many weeks, each equal to the week or month series.
TEST(DashboardServerTest, ALongDaySeriesComesPerWeekOrPerMonth) {
  testing::TempDir dir;
  const std::string path = dir / "warehouse.db";
  auto wh = warehouse::OpenWarehouse(path);
  ASSERT_TRUE(wh.ok());
  ASSERT_TRUE((*wh)->Init().ok());
  const auto menu = SampleMenu();
  // ~138 lines a day from Thursday 2015-01-01: 15 days in the weeks of Dec 29, Jan 5 and 12.
  ASSERT_TRUE((*wh)->Load(ChunkOf(SyntheticLines(1, 2000, menu.size()), menu)).ok());
  auto get = [](DashboardServer& server, const std::string& target) {
    httplib::Client client("127.0.0.1", server.port());
    auto res = client.Get(target);
    EXPECT_TRUE(res && res->status == 200) << target;
    return res ? json::parse(res->body) : json();
  };
  for (const auto& [max_rows, granularity] :
       std::vector<std::pair<size_t, std::string>>{{100, "day"}, {3, "week"}, {2, "month"}}) {
    DashboardOptions options;
    options.port = 0;
    options.warehouse_target = path;
    options.max_day_rows = max_rows;
    DashboardServer server(options);
    ASSERT_TRUE(server.Start().ok());
    const json series = get(server, "/api/sales?group=day");
    EXPECT_EQ(series["group"], "day");
    EXPECT_EQ(series["granularity"], granularity) << max_rows;
    EXPECT_EQ(series["rows"], get(server, "/api/sales?group=" + granularity)["rows"]);
    EXPECT_LE(series["rows"].size(), max_rows);
    // A date range of fewer days than max_day_rows is per day again.
    const json range = get(server, "/api/sales?group=day&from=2015-01-05&to=2015-01-06");
    EXPECT_EQ(range["granularity"], "day");
    EXPECT_EQ(range["rows"].size(), 2u);
    server.Stop();
  }
}

TEST(DashboardServerTest, WithATokenTheApiNeedsIt) {
  testing::TempDir dir;
  DashboardOptions options;
  options.port = 0;
  options.warehouse_target = dir / "warehouse.db";
  options.auth_token = "s3cret-token";
  DashboardServer server(options);
  ASSERT_TRUE(server.Start().ok());
  httplib::Client client("127.0.0.1", server.port());
  EXPECT_EQ(client.Get("/api/kpi")->status, 401);
  EXPECT_EQ(client.Get("/api/kpi")->get_header_value("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(client.Get("/metrics")->status, 401);
  EXPECT_EQ(client.Get("/api/kpi", {{"Authorization", "Bearer wrong"}})->status, 401);
  EXPECT_EQ(client.Get("/api/kpi", {{"Authorization", "Bearer s3cret-token-and-more"}})->status,
            401);
  EXPECT_EQ(client.Get("/api/kpi", {{"Authorization", "s3cret-token"}})->status, 401);
  auto ok = client.Get("/api/kpi", {{"Authorization", "Bearer s3cret-token"}});
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(json::parse(ok->body)["total_orders"], 0);
  EXPECT_EQ(client.Get("/")->status, 200);  // the page holds no data
  EXPECT_EQ(client.Get("/healthz")->status, 200);
}

TEST(DashboardServerTest, APortInUseIsAnError) {
  testing::TempDir dir;
  DashboardOptions options;
  options.port = 0;
  options.warehouse_target = dir / "warehouse.db";
  DashboardServer first(options);
  ASSERT_TRUE(first.Start().ok());
  options.port = first.port();
  DashboardServer second(options);
  EXPECT_FALSE(second.Start().ok());
}

}  // namespace
}  // namespace pizzastream::serve
