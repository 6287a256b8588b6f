#include "warehouse/sqlite_warehouse.h"

#include <arrow/array.h>
#include <arrow/util/decimal.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <cmath>
#include <map>

#include "core/calendar.h"
#include "warehouse/aggregates.h"

namespace pizzastream::warehouse {

namespace {

constexpr const char* kSchemaSql = R"sql(
CREATE TABLE IF NOT EXISTS pizza_sales.dim_date (
  date_id INTEGER PRIMARY KEY, order_date TEXT NOT NULL, day INTEGER NOT NULL,
  month INTEGER NOT NULL, year INTEGER NOT NULL, quarter INTEGER NOT NULL,
  week_of_year INTEGER NOT NULL, weekday_num INTEGER NOT NULL, weekday_name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pizza_sales.dim_time (
  time_id INTEGER PRIMARY KEY, hour INTEGER NOT NULL, minute INTEGER NOT NULL,
  timeslot TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pizza_sales.dim_pizza (
  pizza_sk INTEGER PRIMARY KEY, pizza_name_id TEXT NOT NULL, pizza_base_id TEXT NOT NULL,
  pizza_size TEXT NOT NULL, unit_price REAL NOT NULL, pizza_ingredients TEXT,
  pizza_name TEXT, pizza_category TEXT);
CREATE TABLE IF NOT EXISTS pizza_sales.fact_order_item (
  order_item_id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, order_date TEXT NOT NULL,
  date_id INTEGER NOT NULL REFERENCES dim_date(date_id),
  time_id INTEGER NOT NULL REFERENCES dim_time(time_id),
  pizza_sk INTEGER NOT NULL REFERENCES dim_pizza(pizza_sk),
  quantity INTEGER NOT NULL, unit_price REAL NOT NULL, total_price REAL NOT NULL,
  order_channel TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pizza_sales.fact_order_item_date ON fact_order_item(date_id);
CREATE INDEX IF NOT EXISTS pizza_sales.fact_order_item_pizza ON fact_order_item(pizza_sk);
CREATE TABLE IF NOT EXISTS pizza_sales.load_position (
  table_name TEXT PRIMARY KEY, delta_version INTEGER NOT NULL,
  loaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
)sql";

constexpr const char* kKpiSql = R"sql(
SELECT COALESCE(SUM(CAST(ROUND(total_price * 100) AS INTEGER)), 0),
       COUNT(DISTINCT order_id), COALESCE(SUM(quantity), 0), COUNT(DISTINCT order_date), COUNT(*)
FROM pizza_sales.fact_order_item)sql";

constexpr const char* kTopPizzaSql = R"sql(
SELECT p.pizza_name, SUM(CAST(ROUND(f.total_price * 100) AS INTEGER)) AS revenue
FROM pizza_sales.fact_order_item f JOIN pizza_sales.dim_pizza p ON p.pizza_sk = f.pizza_sk
GROUP BY p.pizza_name ORDER BY revenue DESC, p.pizza_name ASC LIMIT 1)sql";

// Statements of one connection, finalized on destruction.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt** out() { return &stmt_; }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string IsoDate(int32_t epoch_day) {
  const CivilDate d = FromEpochDay(epoch_day);
  return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day);
}

double DecimalValue(const arrow::Decimal128Array& a, int64_t i) {
  const arrow::Decimal128 v(a.GetValue(i));
  return static_cast<double>(static_cast<int64_t>(v)) / 100.0;
}

class SqliteWarehouse final : public Warehouse {
 public:
  explicit SqliteWarehouse(std::string path) : path_(std::move(path)) {}
  ~SqliteWarehouse() override { sqlite3_close_v2(db_); }

  Status Open() {
    if (sqlite3_open_v2(":memory:", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      return Status::IOError("sqlite: cannot open an in-memory database");
    }
    sqlite3_busy_timeout(db_, 30000);
    Statement attach;
    if (sqlite3_prepare_v2(db_, "ATTACH DATABASE ?1 AS pizza_sales", -1, attach.out(), nullptr) !=
        SQLITE_OK) {
      return Error("attach");
    }
    sqlite3_bind_text(attach.get(), 1, path_.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(attach.get()) != SQLITE_DONE) return Error("cannot open " + path_);
    return Exec(
        "PRAGMA pizza_sales.journal_mode=WAL; PRAGMA pizza_sales.synchronous=NORMAL; "
        "PRAGMA pizza_sales.cache_size=-262144; PRAGMA temp_store=MEMORY;");
  }

  std::string dialect() const override { return "sqlite"; }

  Status Init() override {
    ARROW_RETURN_NOT_OK(Exec(kSchemaSql));
    return SalesAggregates(dialect()).Create(ExecSqlHere());
  }

  Result<LoadPositions> Positions() override {
    LoadPositions positions;
    for (const char* t : kGoldTables) positions[t] = -1;
    ARROW_ASSIGN_OR_RAISE(auto rows, Query("SELECT table_name, delta_version FROM pizza_sales.load_position", {}));
    for (const auto& row : rows.rows) {
      positions[std::get<std::string>(row[0])] = std::get<int64_t>(row[1]);
    }
    return positions;
  }

  Status Load(const GoldChunk& chunk) override {
    ARROW_RETURN_NOT_OK(Exec("BEGIN IMMEDIATE"));
    Status st = LoadInTransaction(chunk);
    if (!st.ok()) {
      (void)Exec("ROLLBACK");
      return st;
    }
    return Exec("COMMIT");
  }

  Result<KpiFigures> Kpi() override {
    KpiFigures k;
    ARROW_ASSIGN_OR_RAISE(auto totals, Query(kKpiSql, {}));
    const auto& row = totals.rows.at(0);
    k.revenue_cents = std::get<int64_t>(row[0]);
    k.orders = std::get<int64_t>(row[1]);
    k.pizzas = std::get<int64_t>(row[2]);
    k.order_days = std::get<int64_t>(row[3]);
    k.fact_rows = std::get<int64_t>(row[4]);
    ARROW_ASSIGN_OR_RAISE(auto top, Query(kTopPizzaSql, {}));
    if (!top.rows.empty()) {
      if (const auto* name = std::get_if<std::string>(&top.rows[0][0])) k.top_pizza = *name;
    }
    return k;
  }

  Result<QueryResult> Query(const std::string& sql, const std::vector<SqlParam>& params) override {
    Statement stmt;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, stmt.out(), nullptr) != SQLITE_OK) {
      return Error("prepare");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const std::string name = fmt::format("${}", i + 1);
      int index = sqlite3_bind_parameter_index(stmt.get(), name.c_str());
      if (index == 0) continue;
      ARROW_RETURN_NOT_OK(Bind(stmt.get(), index, params[i]));
    }
    QueryResult result;
    const int ncols = sqlite3_column_count(stmt.get());
    for (int c = 0; c < ncols; ++c) result.columns.emplace_back(sqlite3_column_name(stmt.get(), c));
    while (true) {
      const int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Error("query");
      auto& row = result.rows.emplace_back();
      for (int c = 0; c < ncols; ++c) {
        switch (sqlite3_column_type(stmt.get(), c)) {
          case SQLITE_INTEGER: row.emplace_back(int64_t{sqlite3_column_int64(stmt.get(), c)}); break;
          case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(stmt.get(), c)); break;
          case SQLITE_NULL: row.emplace_back(nullptr); break;
          default:
            row.emplace_back(std::string(
                reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), c)),
                static_cast<size_t>(sqlite3_column_bytes(stmt.get(), c))));
        }
      }
    }
    return result;
  }

 private:
  Status Error(const std::string& what) const {
    return Status::IOError("sqlite (", path_, "): ", what, ": ", sqlite3_errmsg(db_));
  }

  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : "unknown error";
      sqlite3_free(err);
      return Status::IOError("sqlite (", path_, "): ", message);
    }
    return Status::OK();
  }

  static Status Bind(sqlite3_stmt* stmt, int index, const SqlParam& p) {
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(p)) rc = sqlite3_bind_null(stmt, index);
    if (auto* i = std::get_if<int64_t>(&p)) rc = sqlite3_bind_int64(stmt, index, *i);
    if (auto* d = std::get_if<double>(&p)) rc = sqlite3_bind_double(stmt, index, *d);
    if (auto* s = std::get_if<std::string>(&p)) {
      rc = sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
    }
    return rc == SQLITE_OK ? Status::OK() : Status::Invalid("cannot bind parameter ", index);
  }

  // Inserts every row of `batches` with `sql` (one ?N per column), binding by column type.
  Status InsertAll(const char* sql, const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches) {
    Statement stmt;
    if (sqlite3_prepare_v2(db_, sql, -1, stmt.out(), nullptr) != SQLITE_OK) return Error(sql);
    for (const auto& batch : batches) {
      for (int64_t r = 0; r < batch->num_rows(); ++r) {
        for (int c = 0; c < batch->num_columns(); ++c) {
          const arrow::Array& col = *batch->column(c);
          const int index = c + 1;
          if (col.IsNull(r)) {
            sqlite3_bind_null(stmt.get(), index);
            continue;
          }
          switch (col.type_id()) {
            case arrow::Type::INT32:
              sqlite3_bind_int64(stmt.get(), index, static_cast<const arrow::Int32Array&>(col).Value(r));
              break;
            case arrow::Type::INT64:
              sqlite3_bind_int64(stmt.get(), index, static_cast<const arrow::Int64Array&>(col).Value(r));
              break;
            case arrow::Type::DATE32: {
              const std::string date = IsoDate(static_cast<const arrow::Date32Array&>(col).Value(r));
              sqlite3_bind_text(stmt.get(), index, date.data(), static_cast<int>(date.size()),
                                SQLITE_TRANSIENT);
              break;
            }
            case arrow::Type::DECIMAL128:
              sqlite3_bind_double(stmt.get(), index,
                                  DecimalValue(static_cast<const arrow::Decimal128Array&>(col), r));
              break;
            case arrow::Type::STRING: {
              const auto v = static_cast<const arrow::StringArray&>(col).GetView(r);
              sqlite3_bind_text(stmt.get(), index, v.data(), static_cast<int>(v.size()),
                                SQLITE_STATIC);
              break;
            }
            default:
              return Status::NotImplemented("sqlite load: column type ", col.type()->ToString());
          }
        }
        if (sqlite3_step(stmt.get()) != SQLITE_DONE) return Error("insert");
        sqlite3_reset(stmt.get());
      }
    }
    return Status::OK();
  }

  // Runs a statement on this connection, in whatever transaction is open.
  ExecSql ExecSqlHere() {
    return [this](const std::string& sql, const std::vector<SqlParam>& params) {
      return Query(sql, params).status();
    };
  }
  QuerySql QuerySqlHere() {
    return [this](const std::string& sql, const std::vector<SqlParam>& params) {
      return Query(sql, params);
    };
  }

  Status LoadInTransaction(const GoldChunk& chunk) {
    // The sales aggregates (warehouse/aggregates.h) are kept by order: take out what the
    // orders this chunk touches contribute now, insert, put their new contribution back.
    const SalesAggregates aggregates(dialect());
    ARROW_ASSIGN_OR_RAISE(const SqlParam orders, aggregates.ChunkOrders(chunk));
    ARROW_RETURN_NOT_OK(aggregates.Retract(orders, ExecSqlHere(), QuerySqlHere()));
    static const std::map<std::string, const char*> kInsert = {
        {"dim_date", "INSERT OR IGNORE INTO pizza_sales.dim_date VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"},
        {"dim_time", "INSERT OR IGNORE INTO pizza_sales.dim_time VALUES (?1,?2,?3,?4)"},
        {"dim_pizza", "INSERT OR IGNORE INTO pizza_sales.dim_pizza VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"},
        {"fact_order_item",
         "INSERT OR IGNORE INTO pizza_sales.fact_order_item VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"},
    };
    for (const char* table : kGoldTables) {
      auto it = chunk.batches.find(table);
      if (it != chunk.batches.end()) ARROW_RETURN_NOT_OK(InsertAll(kInsert.at(table), it->second));
    }
    ARROW_RETURN_NOT_OK(aggregates.Apply(orders, ExecSqlHere(), QuerySqlHere()));
    Statement pos;
    const char* sql =
        "INSERT INTO pizza_sales.load_position(table_name, delta_version) VALUES (?1, ?2) "
        "ON CONFLICT(table_name) DO UPDATE SET delta_version = MAX(delta_version, excluded.delta_version), "
        "loaded_at = excluded.loaded_at";
    if (sqlite3_prepare_v2(db_, sql, -1, pos.out(), nullptr) != SQLITE_OK) return Error("position");
    for (const auto& [table, version] : chunk.positions) {
      sqlite3_bind_text(pos.get(), 1, table.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(pos.get(), 2, version);
      if (sqlite3_step(pos.get()) != SQLITE_DONE) return Error("position");
      sqlite3_reset(pos.get());
    }
    return Status::OK();
  }

  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<Warehouse>> OpenSqliteWarehouse(const std::string& path) {
  auto wh = std::make_unique<SqliteWarehouse>(path);
  ARROW_RETURN_NOT_OK(wh->Open());
  return std::unique_ptr<Warehouse>(std::move(wh));
}

}  // namespace pizzastream::warehouse
