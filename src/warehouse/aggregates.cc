#include "warehouse/aggregates.h"

#include <arrow/array.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "warehouse/sql_text.h"

namespace pizzastream::warehouse {
namespace {

constexpr const char* kMeasures = "revenue_cents, quantity, lines, orders";

struct AggTable {
  const char* name;
  bool hourly;              // keyed by hour as well (and never by pizza)
  const char* period;       // "date_id" or "month_id"
  std::vector<int> levels;  // attribute combinations kept
};

// The tables computed from fact lines, and what each rolls up into by month.
struct AggFamily {
  AggTable by_day;
  AggTable by_month;
  const char* delta;  // temp table holding one load's change by day
};

const std::array<AggFamily, 2>& AggFamilies() {
  static const std::array<AggFamily, 2> families = {{
      {{"agg_sales_daily",
        false,
        "date_id",
        {0, kAggCategory, kAggSize, kAggCategory | kAggSize, kAggCategory | kAggPizza,
         kAggCategory | kAggSize | kAggPizza}},
       {"agg_sales_monthly_pizza",
        false,
        "month_id",
        {kAggCategory | kAggPizza, kAggCategory | kAggSize | kAggPizza}},
       "agg_delta_daily"},
      {{"agg_sales_hourly", true, "date_id", {0, kAggCategory, kAggSize, kAggCategory | kAggSize}},
       {"agg_sales_monthly_hourly",
        true,
        "month_id",
        {0, kAggCategory, kAggSize, kAggCategory | kAggSize}},
       "agg_delta_hourly"},
  }};
  return families;
}

std::string KeyColumns(const AggTable& t) {
  return t.hourly ? fmt::format("level, category, size, {}, channel, hour", t.period)
                  : fmt::format("level, category, size, pizza_name, {}, channel", t.period);
}

std::string CreateTableSql(const AggTable& t, bool postgres) {
  const char* big = postgres ? "BIGINT" : "INTEGER";
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS pizza_sales.{0} (level INTEGER NOT NULL, category TEXT NOT NULL, "
      "size TEXT NOT NULL, {1}{2} INTEGER NOT NULL, channel TEXT NOT NULL, {3}"
      "revenue_cents {4} NOT NULL, quantity {4} NOT NULL, lines {4} NOT NULL, orders {4} NOT NULL, "
      "PRIMARY KEY ({5})){6}",
      t.name, t.hourly ? "" : "pizza_name TEXT NOT NULL, ", t.period,
      t.hourly ? "hour INTEGER NOT NULL, " : "", big, KeyColumns(t),
      postgres ? "" : " WITHOUT ROWID");
}

// SQLite turns an integer sum that overflows 64 bits into a REAL, which would then be read
// back as a wrong figure: the upsert that would store one fails instead (PostgreSQL's
// bigint arithmetic fails by itself).
std::string ExactSumsTriggerSql(const AggTable& t) {
  return fmt::format(
      "CREATE TRIGGER IF NOT EXISTS pizza_sales.{0}_exact_sums BEFORE UPDATE ON {0} "
      "WHEN typeof(NEW.revenue_cents) <> 'integer' OR typeof(NEW.quantity) <> 'integer' OR "
      "typeof(NEW.lines) <> 'integer' OR typeof(NEW.orders) <> 'integer' BEGIN "
      "SELECT RAISE(ABORT, '{0}: a sum does not fit a 64-bit integer'); END",
      t.name);
}

// Upserts the rows of `select` (key columns then the four measures) into `target`, adding
// to what is there.
std::string UpsertSql(const AggTable& target, const std::string& select) {
  return fmt::format(
      "INSERT INTO pizza_sales.{0} AS a ({1}, {2}) SELECT * FROM ({3}) AS u WHERE true "
      "ON CONFLICT ({1}) DO UPDATE SET revenue_cents = a.revenue_cents + excluded.revenue_cents, "
      "quantity = a.quantity + excluded.quantity, lines = a.lines + excluded.lines, "
      "orders = a.orders + excluded.orders",
      target.name, KeyColumns(target), kMeasures, select);
}

// The fact lines matching `where` with the attributes the aggregates break down by.
std::string LinesCte(const std::string& where) {
  return fmt::format(
      "WITH l AS (SELECT f.order_id, f.date_id, f.order_channel AS channel, f.time_id / 100 AS "
      "hour, "
      "COALESCE(p.pizza_category, '') AS c, COALESCE(p.pizza_size, '') AS s, "
      "COALESCE(p.pizza_name, '') AS n, CAST(ROUND(f.total_price * 100) AS BIGINT) AS cents, "
      "f.quantity AS qty FROM pizza_sales.fact_order_item f "
      "LEFT JOIN pizza_sales.dim_pizza p ON p.pizza_sk = f.pizza_sk WHERE {}) ",
      where);
}

// `sign` x the figures of the lines in `l` for every level of `t` (a by-day table).
std::string LevelsSelect(const AggTable& t, int sign) {
  const char* neg = sign < 0 ? "-" : "";
  std::string selects;
  for (int level : t.levels) {
    std::string keys =
        fmt::format("{} AS level, {} AS category, {} AS size, ", level,
                    (level & kAggCategory) ? "c" : "''", (level & kAggSize) ? "s" : "''");
    std::string group;
    if (level & kAggCategory) group += "c, ";
    if (level & kAggSize) group += "s, ";
    if (!t.hourly) {
      keys += (level & kAggPizza) ? "n AS pizza_name, " : "'' AS pizza_name, ";
      if (level & kAggPizza) group += "n, ";
    }
    keys += "date_id, channel";
    group += "date_id, channel";
    if (t.hourly) {
      keys += ", hour";
      group += ", hour";
    }
    if (!selects.empty()) selects += " UNION ALL ";
    selects += fmt::format(
        "SELECT {0}, {1}SUM(cents) AS revenue_cents, {1}SUM(qty) AS quantity, {1}COUNT(*) AS "
        "lines, "
        "{1}COUNT(DISTINCT order_id) AS orders FROM l GROUP BY {2}",
        keys, neg, group);
  }
  return selects;
}

// The rows of by-day `source` (restricted by `where`) summed by month, keyed as `monthly`.
std::string MonthsSelect(const AggTable& monthly, const std::string& source,
                         const std::string& where) {
  std::string levels;
  for (int level : monthly.levels) levels += (levels.empty() ? "" : ", ") + std::to_string(level);
  const std::string keys = monthly.hourly
                               ? "level, category, size, date_id / 100, channel, hour"
                               : "level, category, size, pizza_name, date_id / 100, channel";
  return fmt::format(
      "SELECT {0}, SUM(revenue_cents), SUM(quantity), SUM(lines), SUM(orders) FROM {1} "
      "WHERE level IN ({2}) AND {3} GROUP BY {0}",
      keys, source, levels, where);
}

Status RunAll(const std::vector<std::string>& statements, const std::vector<SqlParam>& params,
              const ExecSql& exec) {
  // Only statements that take the parameter get it (PostgreSQL refuses unused ones).
  for (const auto& sql : statements) {
    ARROW_RETURN_NOT_OK(
        exec(sql, sql.find("$1") != std::string::npos ? params : std::vector<SqlParam>{}));
  }
  return Status::OK();
}

}  // namespace

bool SalesAggregates::EmptyOrderList(const SqlParam& orders) {
  const auto* s = std::get_if<std::string>(&orders);
  return s != nullptr && (*s == "[]" || *s == "{}");
}

namespace {

// The key columns of a table and its upsert's tail (adding to the measures).
std::vector<std::pair<const char*, bool>> ValueColumns(bool hourly, bool monthly) {
  std::vector<std::pair<const char*, bool>> columns = {// name, is text
                                                       {"level", false},
                                                       {"category", true},
                                                       {"size", true}};
  if (!hourly) columns.push_back({"pizza_name", true});
  columns.push_back({monthly ? "month_id" : "date_id", false});
  columns.push_back({"channel", true});
  if (hourly) columns.push_back({"hour", false});
  for (const char* m : {"revenue_cents", "quantity", "lines", "orders"})
    columns.push_back({m, false});
  return columns;
}

constexpr const char* kAddMeasures =
    "DO UPDATE SET revenue_cents = a.revenue_cents + excluded.revenue_cents, "
    "quantity = a.quantity + excluded.quantity, lines = a.lines + excluded.lines, "
    "orders = a.orders + excluded.orders";

}  // namespace

std::string SalesAggregates::UpsertJsonSql(const char* table, bool hourly, bool monthly) const {
  const auto columns = ValueColumns(hourly, monthly);
  std::string names, values;
  for (size_t i = 0; i < columns.size(); ++i) {
    const auto& [name, text] = columns[i];
    names += (i ? ", " : "") + std::string(name);
    values += i ? ", " : "";
    values += postgres_
                  ? (text ? fmt::format("e->>{}", i) : fmt::format("CAST(e->>{} AS BIGINT)", i))
                  : fmt::format("json_extract(value, '$[{}]')", i);
  }
  return fmt::format(
      "INSERT INTO pizza_sales.{0} AS a ({1}) SELECT {2} FROM {3} WHERE true "
      "ON CONFLICT ({4}) {5}",
      table, names, values,
      postgres_ ? "jsonb_array_elements(CAST($1 AS JSONB)) AS e" : "json_each($1)",
      KeyColumns({table, hourly, monthly ? "month_id" : "date_id", {}}), kAddMeasures);
}

std::string SalesAggregates::UpsertRowSql(const char* table, bool hourly, bool monthly,
                                          int rows) const {
  const auto columns = ValueColumns(hourly, monthly);
  std::string names;
  for (size_t i = 0; i < columns.size(); ++i) {
    names += (i ? ", " : "") + std::string(columns[i].first);
  }
  return fmt::format("INSERT INTO pizza_sales.{0} AS a ({1}) VALUES {2} ON CONFLICT ({3}) {4}",
                     table, names, ParameterRows(columns.size(), static_cast<size_t>(rows), '$'),
                     KeyColumns({table, hourly, monthly ? "month_id" : "date_id", {}}),
                     kAddMeasures);
}

SalesAggregates::SalesAggregates(std::string dialect) : postgres_(dialect == "postgresql") {}

std::vector<std::string> SalesAggregates::CreateStatements() const {
  std::vector<std::string> out;
  for (const auto& f : AggFamilies()) {
    out.push_back(CreateTableSql(f.by_day, postgres_));
    out.push_back(CreateTableSql(f.by_month, postgres_));
    if (!postgres_) {
      out.push_back(ExactSumsTriggerSql(f.by_day));
      out.push_back(ExactSumsTriggerSql(f.by_month));
    }
  }
  out.push_back(postgres_ ? "CREATE INDEX IF NOT EXISTS fact_order_item_by_order "
                            "ON pizza_sales.fact_order_item (order_id)"
                          : "CREATE INDEX IF NOT EXISTS pizza_sales.fact_order_item_by_order "
                            "ON fact_order_item (order_id)");
  // Fill new (empty) aggregates from what exists; each is a no-op once its table holds rows.
  for (const auto& f : AggFamilies()) {
    out.push_back(
        LinesCte(fmt::format("NOT EXISTS (SELECT 1 FROM pizza_sales.{})", f.by_day.name)) +
        UpsertSql(f.by_day, LevelsSelect(f.by_day, +1)));
    out.push_back(UpsertSql(
        f.by_month,
        MonthsSelect(f.by_month, fmt::format("pizza_sales.{}", f.by_day.name),
                     fmt::format("NOT EXISTS (SELECT 1 FROM pizza_sales.{})", f.by_month.name))));
  }
  return out;
}

// One load's change goes to a temp table first, then into the by-day table and, summed by
// month, into the monthly one: the lines are grouped once per level.
std::vector<std::string> SalesAggregates::ChangeStatements(int sign) const {
  const std::string where = postgres_ ? "f.order_id = ANY (CAST($1 AS BIGINT[]))"
                                      : "f.order_id IN (SELECT value FROM json_each($1))";
  std::vector<std::string> out;
  for (const auto& f : AggFamilies()) {
    const std::string delta = fmt::format("{}.{}", postgres_ ? "pg_temp" : "temp", f.delta);
    out.push_back(
        fmt::format("CREATE TEMP TABLE IF NOT EXISTS {} AS SELECT * FROM pizza_sales.{} "
                    "WHERE 1 = 0",
                    f.delta, f.by_day.name));
    out.push_back("DELETE FROM " + delta);
    out.push_back(fmt::format("{}INSERT INTO {} ({}, {}) {}", LinesCte(where), delta,
                              KeyColumns(f.by_day), kMeasures, LevelsSelect(f.by_day, sign)));
    out.push_back(UpsertSql(f.by_day, fmt::format("SELECT * FROM {}", delta)));
    out.push_back(UpsertSql(f.by_month, MonthsSelect(f.by_month, delta, "true")));
  }
  return out;
}

std::vector<std::string> SalesAggregates::RetractStatements() const { return ChangeStatements(-1); }

std::vector<std::string> SalesAggregates::ApplyStatements() const { return ChangeStatements(+1); }

Status SalesAggregates::Create(const ExecSql& exec) const {
  return RunAll(CreateStatements(), {}, exec);
}

Result<SqlParam> SalesAggregates::ChunkOrders(const GoldChunk& chunk) const {
  std::vector<int64_t> ids;
  auto it = chunk.batches.find("fact_order_item");
  if (it != chunk.batches.end()) {
    for (const auto& batch : it->second) {
      auto column = batch->GetColumnByName("order_id");
      if (column == nullptr || column->type_id() != arrow::Type::INT64) {
        return Status::Invalid("fact_order_item batch without an int64 order_id column");
      }
      const auto& order_ids = static_cast<const arrow::Int64Array&>(*column);
      for (int64_t i = 0; i < order_ids.length(); ++i) {
        if (order_ids.IsValid(i)) ids.push_back(order_ids.Value(i));
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string list = fmt::format("{}", fmt::join(ids, ","));
  return SqlParam(postgres_ ? "{" + list + "}" : "[" + list + "]");
}

Status SalesAggregates::Retract(const SqlParam& orders, const ExecSql& exec) const {
  if (EmptyOrderList(orders)) return Status::OK();
  return RunAll(RetractStatements(), {orders}, exec);
}

Status SalesAggregates::Apply(const SqlParam& orders, const ExecSql& exec) const {
  if (EmptyOrderList(orders)) return Status::OK();
  return RunAll(ApplyStatements(), {orders}, exec);
}

Status SalesAggregates::Rebuild(const ExecSql& exec) const {
  for (const auto& f : AggFamilies()) {
    ARROW_RETURN_NOT_OK(exec(fmt::format("DELETE FROM pizza_sales.{}", f.by_day.name), {}));
    ARROW_RETURN_NOT_OK(exec(fmt::format("DELETE FROM pizza_sales.{}", f.by_month.name), {}));
    ARROW_RETURN_NOT_OK(
        exec(LinesCte("true") + UpsertSql(f.by_day, LevelsSelect(f.by_day, +1)), {}));
    ARROW_RETURN_NOT_OK(exec(
        UpsertSql(f.by_month,
                  MonthsSelect(f.by_month, fmt::format("pizza_sales.{}", f.by_day.name), "true")),
        {}));
  }
  return Status::OK();
}

}  // namespace pizzastream::warehouse
