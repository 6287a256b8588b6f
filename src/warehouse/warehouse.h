// The SQL warehouse at the end of the pipeline: schema `pizza_sales` holding the gold star
// schema (dim_date, dim_time, dim_pizza, fact_order_item) with the names of the gold contract
// (docs/data-model.md). Embedded default: a SQLite file (warehouse/sqlite_warehouse.h);
// production: PostgreSQL (warehouse/postgres_warehouse.h). Not thread-safe: one per thread.
#pragma once

#include <arrow/record_batch.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"
#include "warehouse/kpi.h"

namespace pizzastream::warehouse {

// The gold tables, in the order a load applies them (dimensions before facts).
inline constexpr const char* kGoldTables[] = {"dim_date", "dim_time", "dim_pizza",
                                              "fact_order_item"};

// How far each gold table has been loaded: its Delta table version (-1: nothing yet).
using LoadPositions = std::map<std::string, int64_t>;

// Hands `each` a table's new rows a batch at a time, in order; an error from `each` ends it.
using BatchVisitor = std::function<Status(const arrow::RecordBatch&)>;
using BatchScan = std::function<Status(const BatchVisitor& each)>;

// New gold rows for one load, per table name, with the positions they bring the tables to.
// A table's rows are either held in `batches` or read as the load goes by its entry in
// `scans` (the load stage's fact range: memory holds a batch, not the step).
struct GoldChunk {
  std::map<std::string, std::vector<std::shared_ptr<arrow::RecordBatch>>> batches;
  std::map<std::string, BatchScan> scans;
  LoadPositions positions;

  // Whether the chunk brings rows for `table` (a scan may turn out to hold none).
  bool Has(const std::string& table) const {
    auto it = batches.find(table);
    return (it != batches.end() && !it->second.empty()) || scans.contains(table);
  }
  // Hands `each` the batches of `table`: those held, then those of its scan.
  Status EachBatch(const std::string& table, const BatchVisitor& each) const {
    if (auto it = batches.find(table); it != batches.end()) {
      for (const auto& batch : it->second) ARROW_RETURN_NOT_OK(each(*batch));
    }
    if (auto it = scans.find(table); it != scans.end()) return it->second(each);
    return Status::OK();
  }
};

// A value bound to a query parameter ($1, $2, ... in the SQL text).
using SqlParam = std::variant<std::nullptr_t, int64_t, double, std::string>;

// A small query result: column names and rows of values (NULL as std::nullptr_t).
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<SqlParam>> rows;
};

// Runs one statement (DDL or DML, no result rows) with parameters $1..$n on the caller's
// connection and transaction.
using ExecSql = std::function<Status(const std::string& sql, const std::vector<SqlParam>& params)>;
// Runs one query with parameters $1..$n on the caller's connection and transaction (so it sees
// the caller's own uncommitted rows) and returns its rows.
using QuerySql =
    std::function<Result<QueryResult>(const std::string& sql, const std::vector<SqlParam>& params)>;

class Warehouse {
 public:
  virtual ~Warehouse() = default;

  // "sqlite" or "postgresql".
  virtual std::string dialect() const = 0;
  // Creates or upgrades schema pizza_sales (idempotent).
  virtual Status Init() = 0;
  // Positions recorded by the last successful load (-1 for tables never loaded).
  virtual Result<LoadPositions> Positions() = 0;
  // Applies `chunk` and records its positions in one transaction. Rows are upserted by
  // primary key, so loading the same chunk twice, or two loaders racing, counts nothing twice.
  virtual Status Load(const GoldChunk& chunk) = 0;
  // The key figures, computed with SQL from fact_order_item and dim_pizza.
  virtual Result<KpiFigures> Kpi() = 0;
  // Runs a read-only query with parameters $1..$n; values never go into the SQL text.
  virtual Result<QueryResult> Query(const std::string& sql,
                                    const std::vector<SqlParam>& params) = 0;
  // The same, handing each row to `row` as it comes instead of collecting them (the vector is
  // reused from row to row: a scan of millions of rows allocates next to nothing). An error
  // from `row` ends the scan and is returned. Default: Query, then each row.
  virtual Status QueryEach(const std::string& sql, const std::vector<SqlParam>& params,
                           const std::function<Status(const std::vector<SqlParam>&)>& row) {
    ARROW_ASSIGN_OR_RAISE(QueryResult result, Query(sql, params));
    for (const auto& r : result.rows) ARROW_RETURN_NOT_OK(row(r));
    return Status::OK();
  }
};

// Opens the warehouse named by `target`: a `postgresql://` URL, or a SQLite file path
// (`sqlite://PATH` or a plain path). Does not create the schema: call Init().
Result<std::unique_ptr<Warehouse>> OpenWarehouse(const std::string& target);

}  // namespace pizzastream::warehouse
