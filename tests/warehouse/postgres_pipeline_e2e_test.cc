// The whole pipeline into PostgreSQL through the pizzastream binary: generated data with known
// totals -> run --warehouse postgresql://... -> kpi exact, the BI views agree with it, re-runs
// change nothing, and SQLite loaded from the same lake prints the identical `kpi --json`.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/postgres_server.h"
#include "support/process.h"
#include "warehouse/postgres_warehouse.h"

namespace pizzastream::testing {
namespace {

using json = nlohmann::json;
using warehouse::SqlParam;

// `kpi --json` on `data_dir`, on the SQLite default or the warehouse named.
std::string KpiJson(const std::string& data_dir, const std::string& warehouse = "") {
  std::vector<std::string> args{"kpi", "--data-dir", data_dir, "--json"};
  if (!warehouse.empty()) args.insert(args.end(), {"--warehouse", warehouse});
  const CommandResult r = RunPizzastream(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::vector<SqlParam> Row(warehouse::Warehouse& w, const std::string& sql) {
  auto r = w.Query(sql, {});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok() || r->rows.size() != 1) return {};
  return r->rows[0];
}

TEST(PostgresPipelineTest, GeneratedOrdersLoadExactlyAndPrintTheSameKpiAsSqlite) {
  auto server = PostgresServer::Shared();  // the process's server, a database of our own
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto database = (*server)->NewDatabase();
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  const std::string url = *database;
  TempDir dir;
  const std::string data = dir / "data";

  const CommandResult gen = RunPizzastream(
      {"generate", "--output", dir / "orders.csv", "--count", "30000", "--seed", "11",
       "--dirty-rate", "0.01", "--duplicate-rate", "0.01", "--totals", dir / "totals.json"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::ifstream totals_file(dir / "totals.json");
  const json totals = json::parse(totals_file);
  const int64_t revenue_cents = totals["revenue_cents"].get<int64_t>();

  const std::vector<std::string> run = {"run",        "--input",     dir / "orders.csv",
                                        "--data-dir", data,          "--exit-when-idle",
                                        "--quiet",    "--warehouse", url};
  const CommandResult first = RunPizzastream(run);
  ASSERT_EQ(first.exit_code, 0) << first.err;

  const std::string pg_text = KpiJson(data, url);
  const json kpi = json::parse(pg_text);
  EXPECT_EQ(kpi["total_orders"], totals["orders"]);
  EXPECT_EQ(kpi["total_pizzas_sold"], totals["pizzas"]);
  EXPECT_EQ(kpi["top_pizza_by_revenue"], totals["top_pizza"]);
  const std::string money = std::to_string(revenue_cents / 100) + "." +
                            (revenue_cents % 100 < 10 ? "0" : "") +
                            std::to_string(revenue_cents % 100);
  EXPECT_NE(pg_text.find("\"total_revenue\":" + money + ","), std::string::npos) << pg_text;
  EXPECT_EQ(kpi["rows"]["fact"], totals["clean_lines"]);
  EXPECT_EQ(kpi["rows"]["received"].get<int64_t>(), kpi["rows"]["rejected"].get<int64_t>() +
                                                        kpi["rows"]["duplicates"].get<int64_t>() +
                                                        kpi["rows"]["silver"].get<int64_t>());

  // The views and a plain recomputation from fact_order_item say the same.
  auto opened = warehouse::OpenPostgresWarehouse(url);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  warehouse::Warehouse& w = **opened;
  const std::vector<SqlParam> expected = {revenue_cents, totals["orders"].get<int64_t>(),
                                          totals["pizzas"].get<int64_t>()};
  EXPECT_EQ(Row(w,
                "SELECT (sum(total_price) * 100)::bigint, count(DISTINCT order_id), "
                "sum(quantity)::bigint FROM pizza_sales.fact_order_item"),
            expected);
  EXPECT_EQ(Row(w,
                "SELECT (total_revenue * 100)::bigint, total_orders, total_pizzas_sold "
                "FROM pizza_sales.v_kpi_summary"),
            expected);
  for (const char* view :
       {"v_sales_daily", "v_sales_hourly", "v_sales_by_weekday", "v_sales_by_channel"}) {
    EXPECT_EQ(Row(w, std::string("SELECT (sum(total_revenue) * 100)::bigint, "
                                 "sum(total_orders)::bigint, sum(total_pizzas_sold)::bigint "
                                 "FROM pizza_sales.") +
                         view),
              expected)
        << view;
  }
  EXPECT_EQ(Row(w, "SELECT top_pizza FROM pizza_sales.v_kpi_summary"),
            std::vector<SqlParam>{totals["top_pizza"].get<std::string>()});

  // Running again on the same input changes nothing.
  const CommandResult second = RunPizzastream(run);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(KpiJson(data, url), pg_text);

  // The same lake loaded into the SQLite default prints the identical object.
  const CommandResult load = RunPizzastream({"load", "--data-dir", data});
  ASSERT_EQ(load.exit_code, 0) << load.err;
  EXPECT_EQ(KpiJson(data), pg_text);
}

}  // namespace
}  // namespace pizzastream::testing
