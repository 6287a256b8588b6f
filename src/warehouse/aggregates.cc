#include "warehouse/aggregates.h"

#include <arrow/array.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace pizzastream::warehouse {
namespace {

struct AggTable {
  const char* name;
  bool hourly;              // keyed by hour as well (and never by pizza)
  std::vector<int> levels;  // attribute combinations kept
};

const std::array<AggTable, 2>& AggTables() {
  static const std::array<AggTable, 2> tables = {{
      {"agg_sales_daily",
       false,
       {0, kAggCategory, kAggSize, kAggCategory | kAggSize, kAggCategory | kAggPizza,
        kAggCategory | kAggSize | kAggPizza}},
      {"agg_sales_hourly", true, {0, kAggCategory, kAggSize, kAggCategory | kAggSize}},
  }};
  return tables;
}

std::string KeyColumns(const AggTable& t) {
  return t.hourly ? "level, category, size, date_id, channel, hour"
                  : "level, category, size, pizza_name, date_id, channel";
}

std::string CreateTableSql(const AggTable& t, bool postgres) {
  const char* big = postgres ? "BIGINT" : "INTEGER";
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS pizza_sales.{0} (level INTEGER NOT NULL, category TEXT NOT NULL, "
      "size TEXT NOT NULL, {1}date_id INTEGER NOT NULL, channel TEXT NOT NULL, {2}"
      "revenue_cents {3} NOT NULL, quantity {3} NOT NULL, lines {3} NOT NULL, orders {3} NOT NULL, "
      "PRIMARY KEY ({4})){5}",
      t.name, t.hourly ? "" : "pizza_name TEXT NOT NULL, ",
      t.hourly ? "hour INTEGER NOT NULL, " : "", big, KeyColumns(t),
      postgres ? "" : " WITHOUT ROWID");
}

// One upsert adding `sign` x the contribution of the fact rows matching `where`.
std::string UpsertSql(const AggTable& t, const std::string& where, int sign) {
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
  return fmt::format(
      "WITH l AS (SELECT f.order_id, f.date_id, f.order_channel AS channel, f.time_id / 100 AS "
      "hour, "
      "COALESCE(p.pizza_category, '') AS c, COALESCE(p.pizza_size, '') AS s, "
      "COALESCE(p.pizza_name, '') AS n, CAST(ROUND(f.total_price * 100) AS BIGINT) AS cents, "
      "f.quantity AS qty FROM pizza_sales.fact_order_item f "
      "LEFT JOIN pizza_sales.dim_pizza p ON p.pizza_sk = f.pizza_sk WHERE {0}) "
      "INSERT INTO pizza_sales.{1} AS a ({2}, revenue_cents, quantity, lines, orders) "
      "SELECT * FROM ({3}) AS u WHERE true ON CONFLICT ({2}) DO UPDATE SET "
      "revenue_cents = a.revenue_cents + excluded.revenue_cents, "
      "quantity = a.quantity + excluded.quantity, lines = a.lines + excluded.lines, "
      "orders = a.orders + excluded.orders",
      where, t.name, KeyColumns(t), selects);
}

Status RunAll(const std::vector<std::string>& statements, const std::vector<SqlParam>& params,
              const ExecSql& exec) {
  for (const auto& sql : statements) ARROW_RETURN_NOT_OK(exec(sql, params));
  return Status::OK();
}

bool EmptyOrderList(const SqlParam& orders) {
  const auto* s = std::get_if<std::string>(&orders);
  return s != nullptr && (*s == "[]" || *s == "{}");
}

}  // namespace

SalesAggregates::SalesAggregates(std::string dialect) : postgres_(dialect == "postgresql") {}

std::vector<std::string> SalesAggregates::CreateStatements() const {
  std::vector<std::string> out;
  for (const auto& t : AggTables()) out.push_back(CreateTableSql(t, postgres_));
  out.push_back(postgres_ ? "CREATE INDEX IF NOT EXISTS fact_order_item_by_order "
                            "ON pizza_sales.fact_order_item (order_id)"
                          : "CREATE INDEX IF NOT EXISTS pizza_sales.fact_order_item_by_order "
                            "ON fact_order_item (order_id)");
  // Fill new (empty) aggregates from existing facts; a no-op once they hold anything.
  for (const auto& t : AggTables()) {
    out.push_back(
        UpsertSql(t, fmt::format("NOT EXISTS (SELECT 1 FROM pizza_sales.{})", t.name), +1));
  }
  return out;
}

std::vector<std::string> SalesAggregates::RetractStatements() const {
  std::vector<std::string> out;
  const std::string where = postgres_ ? "f.order_id = ANY (CAST($1 AS BIGINT[]))"
                                      : "f.order_id IN (SELECT value FROM json_each($1))";
  for (const auto& t : AggTables()) out.push_back(UpsertSql(t, where, -1));
  return out;
}

std::vector<std::string> SalesAggregates::ApplyStatements() const {
  std::vector<std::string> out;
  const std::string where = postgres_ ? "f.order_id = ANY (CAST($1 AS BIGINT[]))"
                                      : "f.order_id IN (SELECT value FROM json_each($1))";
  for (const auto& t : AggTables()) out.push_back(UpsertSql(t, where, +1));
  return out;
}

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
  for (const auto& t : AggTables()) {
    ARROW_RETURN_NOT_OK(exec(fmt::format("DELETE FROM pizza_sales.{}", t.name), {}));
    ARROW_RETURN_NOT_OK(exec(UpsertSql(t, "true", +1), {}));
  }
  return Status::OK();
}

}  // namespace pizzastream::warehouse
