#include "warehouse/postgres_migrations.h"

#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "warehouse/fact_load_ranges.h"
#include "warehouse/postgres_params.h"

namespace pizzastream::warehouse {

namespace {

// pg_advisory_xact_lock key serialising schema changes ("pizza" + 1).
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(x'70697a7a61000001'::bigint)";

// The gold contract's star schema. Facts reference the dimensions with enforced foreign keys;
// the indexes serve the dashboard's filters and joins (date range, pizza, channel).
constexpr const char* kStarSchema = R"sql(
CREATE TABLE pizza_sales.dim_date (
  date_id      integer PRIMARY KEY,  -- yyyymmdd
  order_date   date    NOT NULL,
  day          integer NOT NULL,
  month        integer NOT NULL,
  year         integer NOT NULL,
  quarter      integer NOT NULL,
  week_of_year integer NOT NULL,     -- ISO week
  weekday_num  integer NOT NULL,     -- Mon=1 .. Sun=7
  weekday_name text    NOT NULL
);
CREATE TABLE pizza_sales.dim_time (
  time_id  integer PRIMARY KEY,      -- HHmm
  hour     integer NOT NULL,
  minute   integer NOT NULL,
  timeslot text    NOT NULL
);
CREATE TABLE pizza_sales.dim_pizza (
  pizza_sk          bigint        PRIMARY KEY,  -- gold's persisted key (gold/dimensions.h)
  pizza_name_id     text          NOT NULL,
  pizza_base_id     text          NOT NULL,
  pizza_size        text          NOT NULL,
  unit_price        numeric(8,2)  NOT NULL,
  pizza_ingredients text,
  pizza_name        text,
  pizza_category    text
);
CREATE TABLE pizza_sales.fact_order_item (
  order_item_id bigint        PRIMARY KEY,  -- the source's pizza_id
  order_id      bigint        NOT NULL,
  order_date    date          NOT NULL,
  date_id       integer       NOT NULL REFERENCES pizza_sales.dim_date (date_id),
  time_id       integer       NOT NULL REFERENCES pizza_sales.dim_time (time_id),
  pizza_sk      bigint        NOT NULL REFERENCES pizza_sales.dim_pizza (pizza_sk),
  quantity      integer       NOT NULL,
  unit_price    numeric(8,2)  NOT NULL,
  total_price   numeric(10,2) NOT NULL,
  order_channel text          NOT NULL
);
CREATE INDEX fact_order_item_order_date_idx ON pizza_sales.fact_order_item (order_date);
CREATE INDEX fact_order_item_pizza_sk_idx ON pizza_sales.fact_order_item (pizza_sk);
CREATE INDEX fact_order_item_order_channel_idx ON pizza_sales.fact_order_item (order_channel);

-- How far each gold table is loaded: its Delta table version, written in the load's transaction.
CREATE TABLE pizza_sales.load_position (
  table_name    text        PRIMARY KEY,
  delta_version bigint      NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT now()
);
)sql";

// Views for BI tools (Power BI, Metabase, Superset). Orders are distinct order_id, never line
// counts; ratios are rounded to 2 decimals half away from zero (numeric round), 0 without orders.
constexpr const char* kViews = R"sql(
CREATE VIEW pizza_sales.v_kpi_summary AS
WITH totals AS (
  SELECT coalesce(sum(total_price), 0.00)   AS total_revenue,
         count(DISTINCT order_id)           AS total_orders,
         coalesce(sum(quantity), 0)::bigint AS total_pizzas_sold,
         count(DISTINCT order_date)         AS order_days,
         count(*)                           AS order_lines
  FROM pizza_sales.fact_order_item
), top_pizza AS (
  SELECT p.pizza_name
  FROM pizza_sales.fact_order_item f JOIN pizza_sales.dim_pizza p USING (pizza_sk)
  GROUP BY p.pizza_name
  ORDER BY sum(f.total_price) DESC, p.pizza_name ASC NULLS FIRST
  LIMIT 1
)
SELECT t.total_revenue,
       t.total_orders,
       t.total_pizzas_sold,
       coalesce(round(t.total_revenue / nullif(t.total_orders, 0), 2), 0.00) AS avg_order_value,
       coalesce(round(t.total_pizzas_sold::numeric / nullif(t.total_orders, 0), 2), 0.00)
         AS avg_pizzas_per_order,
       coalesce(round(t.total_orders::numeric / nullif(t.order_days, 0), 2), 0.00)
         AS avg_orders_per_day,
       t.order_days,
       t.order_lines,
       (SELECT pizza_name FROM top_pizza) AS top_pizza
FROM totals t;

-- One row per order line with its dimensions' attributes: the flat table for ad-hoc analysis.
-- LEFT JOINs (the foreign keys guarantee a match) let the planner drop the unused ones.
CREATE VIEW pizza_sales.v_order_lines AS
SELECT f.order_item_id, f.order_id, f.order_date, f.date_id, d.year, d.quarter, d.month, d.day,
       d.week_of_year, d.weekday_num, d.weekday_name, f.time_id, t.hour, t.minute, t.timeslot,
       f.pizza_sk, p.pizza_name_id, p.pizza_name, p.pizza_category, p.pizza_size,
       p.pizza_ingredients, f.quantity, f.unit_price, f.total_price, f.order_channel
FROM pizza_sales.fact_order_item f
LEFT JOIN pizza_sales.dim_date d ON d.date_id = f.date_id
LEFT JOIN pizza_sales.dim_time t ON t.time_id = f.time_id
LEFT JOIN pizza_sales.dim_pizza p ON p.pizza_sk = f.pizza_sk;

CREATE VIEW pizza_sales.v_sales_daily AS
SELECT order_date, date_id, year, quarter, month, day, week_of_year, weekday_num, weekday_name,
  sum(total_price) AS total_revenue, count(DISTINCT order_id) AS total_orders,
  sum(quantity)::bigint AS total_pizzas_sold, count(*) AS order_lines
FROM pizza_sales.v_order_lines
GROUP BY order_date, date_id, year, quarter, month, day, week_of_year, weekday_num, weekday_name;

CREATE VIEW pizza_sales.v_sales_hourly AS
SELECT hour, sum(total_price) AS total_revenue, count(DISTINCT order_id) AS total_orders,
  sum(quantity)::bigint AS total_pizzas_sold, count(*) AS order_lines
FROM pizza_sales.v_order_lines GROUP BY hour;

CREATE VIEW pizza_sales.v_sales_by_weekday AS
SELECT weekday_num, weekday_name, sum(total_price) AS total_revenue,
  count(DISTINCT order_id) AS total_orders, sum(quantity)::bigint AS total_pizzas_sold,
  count(*) AS order_lines, count(DISTINCT order_date) AS order_days,
  round(count(DISTINCT order_id)::numeric / count(DISTINCT order_date), 2) AS avg_orders_per_day
FROM pizza_sales.v_order_lines GROUP BY weekday_num, weekday_name;

-- pct_of_revenue: the group's share of all revenue, in percent.
CREATE VIEW pizza_sales.v_sales_by_pizza AS
SELECT pizza_name, pizza_category, sum(total_price) AS total_revenue,
  count(DISTINCT order_id) AS total_orders, sum(quantity)::bigint AS total_pizzas_sold,
  count(*) AS order_lines,
  round(100 * sum(total_price) / sum(sum(total_price)) OVER (), 2) AS pct_of_revenue
FROM pizza_sales.v_order_lines GROUP BY pizza_name, pizza_category;

CREATE VIEW pizza_sales.v_sales_by_category AS
SELECT pizza_category, sum(total_price) AS total_revenue, count(DISTINCT order_id) AS total_orders,
  sum(quantity)::bigint AS total_pizzas_sold, count(*) AS order_lines,
  round(100 * sum(total_price) / sum(sum(total_price)) OVER (), 2) AS pct_of_revenue
FROM pizza_sales.v_order_lines GROUP BY pizza_category;

CREATE VIEW pizza_sales.v_sales_by_size AS
SELECT pizza_size, sum(total_price) AS total_revenue, count(DISTINCT order_id) AS total_orders,
  sum(quantity)::bigint AS total_pizzas_sold, count(*) AS order_lines,
  round(100 * sum(total_price) / sum(sum(total_price)) OVER (), 2) AS pct_of_revenue
FROM pizza_sales.v_order_lines GROUP BY pizza_size;

CREATE VIEW pizza_sales.v_sales_by_channel AS
SELECT order_channel, sum(total_price) AS total_revenue, count(DISTINCT order_id) AS total_orders,
  sum(quantity)::bigint AS total_pizzas_sold, count(*) AS order_lines,
  round(100 * sum(total_price) / sum(sum(total_price)) OVER (), 2) AS pct_of_revenue
FROM pizza_sales.v_order_lines GROUP BY order_channel;
)sql";

// The dashboard used to read sales aggregate tables kept inside every load; it now keeps a
// columnar view of the facts it reads through fact_load_ranges, so the load only inserts.
constexpr const char* kDropAggregates = R"sql(
DROP TABLE IF EXISTS pizza_sales.agg_sales_daily, pizza_sales.agg_sales_hourly,
  pizza_sales.agg_sales_monthly_pizza, pizza_sales.agg_sales_monthly_hourly;
DROP INDEX IF EXISTS pizza_sales.fact_order_item_by_order;
)sql";

const std::string& FactLoadRangesMigration() {
  static const std::string sql = PostgresFactLoadRangesSql() + kDropAggregates;
  return sql;
}

const std::vector<PostgresMigration>& Migrations() {
  static const std::vector<PostgresMigration> migrations = {
      {1, "star schema and load positions", kStarSchema},
      {2, "BI views", kViews},
      {3, "fact load ranges; sales aggregates dropped", FactLoadRangesMigration().c_str()},
  };
  return migrations;
}

}  // namespace

std::span<const PostgresMigration> PostgresMigrations() { return Migrations(); }

Status ApplyPostgresMigrations(pqxx::connection& conn) {
  pqxx::work tx(conn, "pizzastream_migrate");
  tx.exec(kMigrationLock);
  // CREATE SCHEMA needs the CREATE privilege even when the schema exists: skip it then.
  if (tx.exec1("SELECT to_regclass('pizza_sales.schema_migrations') IS NULL")[0].as<bool>()) {
    tx.exec("CREATE SCHEMA IF NOT EXISTS pizza_sales");
    tx.exec(
        "CREATE TABLE pizza_sales.schema_migrations (version integer PRIMARY KEY, "
        "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
  }
  std::set<int> applied;
  for (const auto& row : tx.exec("SELECT version FROM pizza_sales.schema_migrations")) {
    applied.insert(row[0].as<int>());
  }
  for (const PostgresMigration& m : Migrations()) {
    if (applied.contains(m.version)) continue;
    tx.exec(m.sql);
    tx.exec_params0("INSERT INTO pizza_sales.schema_migrations (version, name) VALUES ($1, $2)",
                    m.version, m.name);
  }
  tx.commit();
  return Status::OK();
}

}  // namespace pizzastream::warehouse
