// Sales aggregates: small tables in schema pizza_sales that the dashboard (src/serve/) reads
// instead of scanning fact_order_item. The warehouses keep them exact inside each Load
// transaction.
//
//   agg_sales_daily         (level, category, size, pizza_name, date_id, channel)  levels
//   0,1,2,3,5,7 agg_sales_hourly        (level, category, size, date_id, channel, hour) levels
//   0,1,2,3 agg_sales_monthly_pizza (level, category, size, pizza_name, month_id, channel) levels
//   5,7 agg_sales_monthly_hourly(level, category, size, month_id, channel, hour)       levels
//   0,1,2,3 measures: revenue_cents, quantity, lines, orders; month_id = yyyymm
//
// The monthly tables are the by-day ones summed by month: a query over a long date range
// reads them for its whole months (30x fewer rows) and the by-day tables for the partial
// months at its ends.
//
// `level` says which attributes a row is broken down by (bit 1 category, 2 size, 4 pizza_name;
// the others hold ''). `orders` counts the distinct orders with at least one line in the row,
// so it can be summed across rows only where an order cannot fall into two of them: across
// dates, months, hours and channels (an order happens at one moment through one channel), never
// across categories, sizes or pizzas. That is why every category/size combination a filter
// can ask for is kept as its own level.
//
// Maintenance is by order: before a load upserts its fact rows the current contribution of
// every order the chunk touches is subtracted, afterwards the new one is added. Distinct-order
// counts stay exact when an order's lines arrive in several chunks, when a chunk is loaded
// twice and when a row is corrected.
//
// In a warehouse's Load (one transaction):
//   SalesAggregates agg(dialect());
//   ARROW_ASSIGN_OR_RAISE(SqlParam orders, agg.ChunkOrders(chunk));
//   ARROW_RETURN_NOT_OK(agg.Retract(orders, exec, query));   // before the fact upsert
//   ... upsert dims and facts ...
//   ARROW_RETURN_NOT_OK(agg.Apply(orders, exec, query));     // after it
// (`query` optional: without it the change is grouped in SQL, several times slower).
// and in Init, after creating the gold tables: ARROW_RETURN_NOT_OK(agg.Create(exec)).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "warehouse/warehouse.h"

namespace pizzastream::warehouse {

// Runs one statement (DDL or DML, no result rows) with parameters $1..$n on the caller's
// connection and transaction.
using ExecSql = std::function<Status(const std::string& sql, const std::vector<SqlParam>& params)>;
// Runs one query with parameters $1..$n on the caller's connection and transaction (so it sees
// the load's own uncommitted rows) and returns its rows.
using QuerySql =
    std::function<Result<QueryResult>(const std::string& sql, const std::vector<SqlParam>& params)>;

// Attribute bits of `level`.
inline constexpr int kAggCategory = 1;
inline constexpr int kAggSize = 2;
inline constexpr int kAggPizza = 4;

class SalesAggregates {
 public:
  // `dialect`: "sqlite" or "postgresql" (Warehouse::dialect()).
  explicit SalesAggregates(std::string dialect);

  // Creates the aggregate tables and the fact_order_item(order_id) index they are maintained
  // through (idempotent), and fills them from fact_order_item when they are new but facts
  // exist (an upgrade of an older warehouse). REQUIRES: the gold tables exist.
  Status Create(const ExecSql& exec) const;
  // The chunk's distinct fact order ids as the one parameter Retract and Apply take.
  Result<SqlParam> ChunkOrders(const GoldChunk& chunk) const;
  // Subtracts what the current fact rows of `orders` contribute. Before the fact upsert.
  Status Retract(const SqlParam& orders, const ExecSql& exec) const;
  // Adds what the fact rows of `orders` contribute now. After the fact upsert, same transaction.
  Status Apply(const SqlParam& orders, const ExecSql& exec) const;
  // The same, about 6x cheaper: reads the orders' lines with `query` and sums them in memory,
  // then writes one upsert per table (the overloads above group in SQL once per level).
  Status Retract(const SqlParam& orders, const ExecSql& exec, const QuerySql& query) const;
  Status Apply(const SqlParam& orders, const ExecSql& exec, const QuerySql& query) const;
  // Empties the aggregates and recomputes them from all fact rows.
  Status Rebuild(const ExecSql& exec) const;

  // The statements behind the calls above, for warehouses that prefer to run them themselves.
  std::vector<std::string> CreateStatements() const;
  std::vector<std::string> RetractStatements() const;  // each takes $1 = ChunkOrders()
  std::vector<std::string> ApplyStatements() const;    // each takes $1 = ChunkOrders()

 private:
  std::vector<std::string> ChangeStatements(int sign) const;
  // The in-memory path (aggregate_deltas.cc); false when the data does not fit it.
  Result<bool> ChangeInMemory(const SqlParam& orders, int sign, const ExecSql& exec,
                              const QuerySql& query) const;
  std::string UpsertJsonSql(const char* table, bool hourly, bool monthly) const;
  bool postgres_;
};

}  // namespace pizzastream::warehouse
