// Sales aggregates: small tables in schema pizza_sales that the dashboard (src/serve/) reads
// instead of scanning fact_order_item. The warehouses keep them exact inside each Load
// transaction.
//
//   table                     key                                                 levels
//   agg_sales_daily           level, category, size, pizza_name, date_id, channel  0,1,2,3,5,7
//   agg_sales_hourly          level, category, size, date_id, channel, hour        0,1,2,3
//   agg_sales_monthly_pizza   level, category, size, pizza_name, month_id, channel 5,7
//   agg_sales_monthly_hourly  level, category, size, month_id, channel, hour       0,1,2,3
//   measures: revenue_cents, quantity, lines, orders; month_id = yyyymm
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
// Maintenance is by order: a load reads the current lines of every order it touches, upserts
// its fact rows, and adds (lines after - lines before) to the aggregates. Distinct-order counts
// stay exact when an order's lines arrive in several chunks, when a chunk is loaded twice and
// when a row is corrected.
//
// In a warehouse's Load (one transaction):
//   SalesAggregates agg(dialect());
//   ARROW_ASSIGN_OR_RAISE(SqlParam orders, agg.ChunkOrders(chunk));
//   ARROW_ASSIGN_OR_RAISE(AggLines before, agg.ReadLines(orders, query));  // before the upsert
//   ... upsert dims and facts ...
//   AggLines after = ...;  // ReadLines again, or `before` plus the rows the upsert inserted
//   ARROW_RETURN_NOT_OK(agg.WriteChange(before, after, exec, query));
// and in Init, after creating the gold tables: ARROW_RETURN_NOT_OK(agg.Create(exec)).
#pragma once

#include <arrow/type_fwd.h>

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
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

// What the aggregates need of one fact line.
struct AggLine {
  int64_t order_id = 0;
  int64_t date_id = 0;  // yyyymmdd
  int64_t pizza_sk = 0;
  int64_t cents = 0;  // total_price in cents
  int64_t quantity = 0;
  int32_t hour = 0;
  int32_t channel = 0;  // index into AggLines::channels
  int32_t pizza = -1;   // index into AggLines::pizzas; -1: as dim_pizza says when written
};

// The fact lines of some orders, sorted by order_id.
struct AggLines {
  std::vector<AggLine> lines;
  std::vector<std::string> channels;
  std::vector<std::array<std::string, 3>> pizzas;  // category, size, name

  // The index of `channel` in `channels`, added if new.
  int32_t Channel(std::string_view channel);
  // Adds the rows of a fact_order_item batch (gold schema) for which inserted[i] != 0, all rows
  // when `inserted` is null.
  Status AddFactRows(const arrow::RecordBatch& fact, const std::vector<uint8_t>* inserted);
  // Adds `other`'s lines.
  void Add(const AggLines& other);
};

// One load's change to the aggregates as the statements that write it.
struct AggChange {
  std::vector<std::pair<std::string, std::vector<SqlParam>>> statements;  // sql, parameters
};

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
  // Subtracts / adds what the current fact rows of `orders` contribute, grouped in SQL (the
  // reference the load path is tested against).
  Status Retract(const SqlParam& orders, const ExecSql& exec) const;
  Status Apply(const SqlParam& orders, const ExecSql& exec) const;
  // The current fact lines of `orders` with their pizzas' current attributes, read with
  // `query` in the caller's transaction.
  Result<AggLines> ReadLines(const SqlParam& orders, const QuerySql& query) const;
  // Adds (after - before) to the aggregates: one bound upsert per changed row on SQLite, one
  // statement per table with the rows as a JSON parameter on PostgreSQL (one round trip).
  Status WriteChange(const AggLines& before, const AggLines& after, const ExecSql& exec,
                     const QuerySql& query) const;
  // The same in steps, so the computing can run beside other work on the connection:
  // ReadPizzas (dim_pizza as ComputeChange takes it; after this load's dimension rows are in),
  // ComputeChange (no database access; any thread), WriteChange.
  static Result<QueryResult> ReadPizzas(const QuerySql& query);
  Result<AggChange> ComputeChange(const AggLines& before, const AggLines& after,
                                  const QueryResult& pizzas) const;
  static Status WriteChange(const AggChange& change, const ExecSql& exec);
  // Empties the aggregates and recomputes them from all fact rows.
  Status Rebuild(const ExecSql& exec) const;

  // The statements behind the calls above, for warehouses that prefer to run them themselves.
  std::vector<std::string> CreateStatements() const;
  std::vector<std::string> RetractStatements() const;  // each takes $1 = ChunkOrders()
  std::vector<std::string> ApplyStatements() const;    // each takes $1 = ChunkOrders()

 private:
  std::vector<std::string> ChangeStatements(int sign) const;
  // Upserts adding to a table's measures: the rows as one JSON parameter, or `rows` rows as
  // parameters $1..$n (row after row).
  std::string UpsertJsonSql(const char* table, bool hourly, bool monthly) const;
  std::string UpsertRowSql(const char* table, bool hourly, bool monthly, int rows) const;
  static constexpr int kUpsertRows = 32;
  static bool EmptyOrderList(const SqlParam& orders);
  bool postgres_;
};

}  // namespace pizzastream::warehouse
