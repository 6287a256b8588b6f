#include "warehouse/sqlite_warehouse.h"

#include <arrow/array.h>
#include <arrow/util/decimal.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "core/calendar.h"
#include "core/id_ranges.h"
#include "warehouse/fact_load_ranges.h"
#include "warehouse/sql_text.h"

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
-- No secondary fact indexes: they nearly doubled the cost of inserting facts, and nothing here
-- needs them (the dashboard keeps its own columnar view, read by order_item_id through
-- fact_load_ranges; kpi and ad-hoc queries scan). Warehouses made by earlier versions lose
-- them, and the sales aggregate tables the dashboard used to read, in Init.
DROP INDEX IF EXISTS pizza_sales.fact_order_item_date;
DROP INDEX IF EXISTS pizza_sales.fact_order_item_pizza;
DROP INDEX IF EXISTS pizza_sales.fact_order_item_by_order;
DROP TABLE IF EXISTS pizza_sales.agg_sales_daily;
DROP TABLE IF EXISTS pizza_sales.agg_sales_hourly;
DROP TABLE IF EXISTS pizza_sales.agg_sales_monthly_pizza;
DROP TABLE IF EXISTS pizza_sales.agg_sales_monthly_hourly;
CREATE TABLE IF NOT EXISTS pizza_sales.load_position (
  table_name TEXT PRIMARY KEY, delta_version INTEGER NOT NULL,
  loaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
)sql";

constexpr const char* kKpiSql = R"sql(
SELECT COALESCE(SUM(CAST(ROUND(total_price * 100) AS INTEGER)), 0),
       COUNT(DISTINCT order_id), COALESCE(SUM(quantity), 0), COUNT(DISTINCT order_date), COUNT(*)
FROM pizza_sales.fact_order_item)sql";

// The facts are summed per pizza key first, then per name: SQLite groups by sorting, and
// sorting the facts' integer keys costs far less than sorting them joined to their names
// (5M facts: ~2.6 s against ~4 s).
constexpr const char* kTopPizzaSql = R"sql(
SELECT p.pizza_name, SUM(f.revenue) AS revenue
FROM (SELECT pizza_sk, SUM(CAST(ROUND(total_price * 100) AS INTEGER)) AS revenue
      FROM pizza_sales.fact_order_item GROUP BY pizza_sk) f
JOIN pizza_sales.dim_pizza p ON p.pizza_sk = f.pizza_sk
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

// yyyy-mm-dd of an epoch day, formatted again only when the day changes (a batch's facts come
// in order, tens to thousands a day).
class IsoDateText {
 public:
  const char* Of(int32_t epoch_day) {
    if (day_ != epoch_day) {
      FormatIsoDate(FromEpochDay(epoch_day), text_);
      day_ = epoch_day;
    }
    return text_;
  }

 private:
  char text_[10] = {};
  std::optional<int32_t> day_;  // whose text text_ holds
};

// SQLite's memory statistics take a global mutex on every allocation; nothing here reads them.
// Process-wide, and only possible before SQLite initialises (later it is a no-op).
void TurnOffSqliteMemoryStatistics() {
  static const int done = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)done;
}

double DecimalValue(const arrow::Decimal128Array& a, int64_t i) {
  const arrow::Decimal128 v(a.GetValue(i));
  return static_cast<double>(static_cast<int64_t>(v)) / 100.0;
}

class SqliteWarehouse final : public Warehouse {
 public:
  explicit SqliteWarehouse(std::string path) : path_(std::move(path)) {}
  ~SqliteWarehouse() override {
    prepared_.clear();
    sqlite3_close_v2(db_);
  }

  Status Open() {
    TurnOffSqliteMemoryStatistics();
    if (sqlite3_open_v2(":memory:", &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
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
    // Sorts (the key figures' GROUP BY and DISTINCT) run in SQLite's external merge sorter,
    // on up to 4 threads: with temp_store=MEMORY, once set for temp tables the load no longer
    // uses, the top pizza over 5M facts took 6.7 s instead of 2.6 (1.9 on 2 threads).
    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    return Exec(("PRAGMA pizza_sales.journal_mode=WAL; PRAGMA pizza_sales.synchronous=NORMAL; "
                 "PRAGMA pizza_sales.cache_size=-16384; PRAGMA threads=" +
                 std::to_string(threads) + ";")
                    .c_str());
  }

  std::string dialect() const override { return "sqlite"; }

  Status Init() override {
    ARROW_RETURN_NOT_OK(Exec(kSchemaSql));
    return Exec(SqliteFactLoadRangesSql().c_str());
  }

  Result<LoadPositions> Positions() override {
    LoadPositions positions;
    for (const char* t : kGoldTables) positions[t] = -1;
    ARROW_ASSIGN_OR_RAISE(
        auto rows, Query("SELECT table_name, delta_version FROM pizza_sales.load_position", {}));
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
    ARROW_ASSIGN_OR_RAISE(Prepared * prepared, Prepare(sql));
    sqlite3_stmt* stmt = prepared->stmt.get();
    StatementReset reset{stmt};
    ARROW_RETURN_NOT_OK(BindAll(*prepared, params));
    return Collect(stmt);
  }

  Status QueryEach(const std::string& sql, const std::vector<SqlParam>& params,
                   const std::function<Status(const std::vector<SqlParam>&)>& row) override {
    ARROW_ASSIGN_OR_RAISE(Prepared * prepared, Prepare(sql));
    sqlite3_stmt* stmt = prepared->stmt.get();
    StatementReset reset{stmt};
    ARROW_RETURN_NOT_OK(BindAll(*prepared, params));
    std::vector<SqlParam> values(static_cast<size_t>(sqlite3_column_count(stmt)));
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return Status::OK();
      if (rc != SQLITE_ROW) return Error("query");
      for (size_t c = 0; c < values.size(); ++c) ColumnValue(stmt, static_cast<int>(c), &values[c]);
      ARROW_RETURN_NOT_OK(row(values));
    }
  }

 private:
  // Column `c` of the current row into `out` (a text value reuses out's string buffer).
  static void ColumnValue(sqlite3_stmt* stmt, int c, SqlParam* out) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        *out = int64_t{sqlite3_column_int64(stmt, c)};
        break;
      case SQLITE_FLOAT:
        *out = sqlite3_column_double(stmt, c);
        break;
      case SQLITE_NULL:
        *out = nullptr;
        break;
      default: {
        const std::string_view text(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)),
                                    static_cast<size_t>(sqlite3_column_bytes(stmt, c)));
        if (auto* s = std::get_if<std::string>(out)) {
          s->assign(text);
        } else {
          *out = std::string(text);
        }
      }
    }
  }

  // A statement prepared once per connection, with the index of each $1..$n parameter
  // (0: the SQL does not use it).
  struct Prepared {
    Statement stmt;
    std::vector<int> param_index;
  };
  // Resets a statement when it goes out of scope, its parameters cleared unless the caller binds
  // every one of them before each step anyway.
  struct StatementReset {
    sqlite3_stmt* stmt;
    bool clear_bindings = true;
    ~StatementReset() {
      sqlite3_reset(stmt);
      if (clear_bindings) sqlite3_clear_bindings(stmt);
    }
  };

  // $1..$n of `p` from `params`.
  Status BindAll(const Prepared& p, const std::vector<SqlParam>& params) {
    for (size_t i = 0; i < params.size() && i < p.param_index.size(); ++i) {
      if (p.param_index[i] == 0) continue;
      ARROW_RETURN_NOT_OK(Bind(p.stmt.get(), p.param_index[i], params[i]));
    }
    return Status::OK();
  }

  Result<Prepared*> Prepare(const std::string& sql) {
    auto it = prepared_.find(sql);
    if (it != prepared_.end()) return it->second.get();
    auto p = std::make_unique<Prepared>();
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, p->stmt.out(),
                           nullptr) != SQLITE_OK) {
      return Error("prepare");
    }
    for (int i = 1;; ++i) {
      const int index = sqlite3_bind_parameter_index(p->stmt.get(), fmt::format("${}", i).c_str());
      if (index == 0 && i > sqlite3_bind_parameter_count(p->stmt.get())) break;
      p->param_index.push_back(index);
    }
    if (prepared_.size() > 256) prepared_.clear();  // ad-hoc SQL (dashboard filters) stays bounded
    return (prepared_[sql] = std::move(p)).get();
  }

  Result<QueryResult> Collect(sqlite3_stmt* stmt) {
    QueryResult result;
    const int ncols = sqlite3_column_count(stmt);
    for (int c = 0; c < ncols; ++c) result.columns.emplace_back(sqlite3_column_name(stmt, c));
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Error("query");
      auto& row = result.rows.emplace_back(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) ColumnValue(stmt, c, &row[static_cast<size_t>(c)]);
    }
    return result;
  }

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

  // INSERT OR IGNORE of `rows` rows of `columns` columns into `table` (?1.. row after row).
  static std::string InsertSql(const std::string& table, size_t columns, size_t rows) {
    return "INSERT OR IGNORE INTO pizza_sales." + table + " VALUES " +
           ParameterRows(columns, rows, '?');
  }

  // Adds to `taken` the values of `keys` that `key_column` of `table` already holds, with one
  // range query per run of nearby values (a stream's new ids: one query that finds nothing).
  Status AddExistingKeys(const std::string& table, const std::string& key_column,
                         const arrow::Int64Array& keys, IdRanges* taken) {
    std::vector<int64_t> sorted(keys.raw_values(), keys.raw_values() + keys.length());
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::pair<int64_t, int64_t>> runs;
    for (int64_t k : sorted) {
      if (runs.empty() || k - runs.back().second > 4096) runs.emplace_back(k, k);
      runs.back().second = k;
    }
    if (runs.size() > 64) runs = {{sorted.front(), sorted.back()}};
    const std::string sql = fmt::format(
        "SELECT {0} FROM pizza_sales.{1} WHERE {0} BETWEEN $1 AND $2", key_column, table);
    for (const auto& [lo, hi] : runs) {
      ARROW_ASSIGN_OR_RAISE(Prepared * prepared, Prepare(sql));
      sqlite3_stmt* stmt = prepared->stmt.get();
      StatementReset reset{stmt};
      sqlite3_bind_int64(stmt, prepared->param_index.at(0), lo);
      sqlite3_bind_int64(stmt, prepared->param_index.at(1), hi);
      int rc = sqlite3_step(stmt);
      for (; rc == SQLITE_ROW; rc = sqlite3_step(stmt))
        taken->Insert(sqlite3_column_int64(stmt, 0));
      if (rc != SQLITE_DONE) return Error("reading the keys of " + table);
    }
    return Status::OK();
  }

  // Binds row `r` of `columns` to parameters first_index... A date's text is written to
  // `date_texts` (10 bytes per parameter, by parameter index), bound without a copy: the
  // statement must be stepped before date_texts changes.
  static void BindRow(sqlite3_stmt* stmt, const std::vector<const arrow::Array*>& columns,
                      int64_t r, int first_index, IsoDateText* dates, char* date_texts) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const arrow::Array& col = *columns[c];
      const int index = first_index + static_cast<int>(c);
      if (col.IsNull(r)) {
        sqlite3_bind_null(stmt, index);
        continue;
      }
      switch (col.type_id()) {
        case arrow::Type::INT32:
          sqlite3_bind_int64(stmt, index, static_cast<const arrow::Int32Array&>(col).Value(r));
          break;
        case arrow::Type::INT64:
          sqlite3_bind_int64(stmt, index, static_cast<const arrow::Int64Array&>(col).Value(r));
          break;
        case arrow::Type::DATE32: {
          char* text = date_texts + static_cast<size_t>(index - 1) * 10;
          std::memcpy(text, dates->Of(static_cast<const arrow::Date32Array&>(col).Value(r)), 10);
          sqlite3_bind_text(stmt, index, text, 10, SQLITE_STATIC);
          break;
        }
        case arrow::Type::DECIMAL128:
          sqlite3_bind_double(stmt, index,
                              DecimalValue(static_cast<const arrow::Decimal128Array&>(col), r));
          break;
        default: {  // STRING
          const auto v = static_cast<const arrow::StringArray&>(col).GetView(r);
          sqlite3_bind_text(stmt, index, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
        }
      }
    }
  }

  // Which rows of `batch` an INSERT OR IGNORE into `table` will insert: (*inserted)[r] = 0 for
  // a row whose key (first column, int64) is in `taken` (keys in the table or inserted before
  // in this load; the table's are added here), 1 otherwise (and its key joins `taken`).
  Status PredictInserts(const std::string& table, const arrow::RecordBatch& batch, IdRanges* taken,
                        std::vector<uint8_t>* inserted) {
    if (batch.num_columns() == 0 || batch.column(0)->type_id() != arrow::Type::INT64 ||
        batch.column(0)->null_count() > 0) {
      return Status::NotImplemented("sqlite load: ", table, " needs an int64 key first");
    }
    const auto& keys = static_cast<const arrow::Int64Array&>(*batch.column(0));
    ARROW_RETURN_NOT_OK(AddExistingKeys(table, batch.schema()->field(0)->name(), keys, taken));
    inserted->resize(static_cast<size_t>(batch.num_rows()));
    for (int64_t r = 0; r < batch.num_rows(); ++r) {
      (*inserted)[static_cast<size_t>(r)] = taken->Insert(keys.Value(r));
    }
    return Status::OK();
  }

  // Inserts every row of `batch` into `table` (INSERT OR IGNORE), kInsertRows rows per
  // statement. With `predicted` (from PredictInserts) checks SQLite inserted exactly those.
  Status InsertAll(const std::string& table, const arrow::RecordBatch& batch,
                   const std::vector<uint8_t>* predicted) {
    std::vector<const arrow::Array*> columns;
    for (const auto& c : batch.columns()) {
      switch (c->type_id()) {
        case arrow::Type::INT32:
        case arrow::Type::INT64:
        case arrow::Type::DATE32:
        case arrow::Type::DECIMAL128:
        case arrow::Type::STRING:
          columns.push_back(c.get());
          break;
        default:
          return Status::NotImplemented("sqlite load: column type ", c->type()->ToString());
      }
    }
    const int ncols = static_cast<int>(columns.size());
    // The two statements this batch needs (kInsertRows rows, then one row), looked up once
    // per batch rather than once per statement.
    Prepared* one_row = nullptr;
    Prepared* many_rows = nullptr;
    ARROW_ASSIGN_OR_RAISE(one_row, Prepare(InsertSql(table, columns.size(), 1)));
    if (batch.num_rows() >= kInsertRows) {
      ARROW_ASSIGN_OR_RAISE(
          many_rows, Prepare(InsertSql(table, columns.size(), static_cast<size_t>(kInsertRows))));
    }
    IsoDateText dates;
    std::vector<char> date_texts(static_cast<size_t>(kInsertRows) * columns.size() * 10);
    for (int64_t first = 0; first < batch.num_rows();) {
      const int64_t rows = batch.num_rows() - first >= kInsertRows ? kInsertRows : 1;
      sqlite3_stmt* stmt = (rows == 1 ? one_row : many_rows)->stmt.get();
      StatementReset reset{stmt, /*clear_bindings=*/false};  // every parameter is bound below
      int64_t expected = 0;
      for (int64_t r = first; r < first + rows; ++r) {
        BindRow(stmt, columns, r, static_cast<int>(r - first) * ncols + 1, &dates,
                date_texts.data());
        expected += predicted != nullptr ? (*predicted)[static_cast<size_t>(r)] : 0;
      }
      if (sqlite3_step(stmt) != SQLITE_DONE) return Error("insert into " + table);
      if (predicted != nullptr && sqlite3_changes(db_) != expected) {
        return Status::IOError("sqlite (", path_, "): ", table, " took ", sqlite3_changes(db_),
                               " of ", rows, " rows where ", expected,
                               " were expected (fact_load_ranges would be wrong): load refused");
      }
      first += rows;
    }
    return Status::OK();
  }

  Status LoadInTransaction(const GoldChunk& chunk) {
    // Dimensions before the facts that reference them.
    for (const char* table : kGoldTables) {
      if (std::string_view(table) == "fact_order_item") continue;
      ARROW_RETURN_NOT_OK(chunk.EachBatch(table, [&](const arrow::RecordBatch& batch) {
        return InsertAll(table, batch, nullptr);
      }));
    }
    // Facts are never replaced (INSERT OR IGNORE): the keys this load inserts are predicted,
    // checked against what SQLite reports, and recorded as fact_load_ranges.
    IdRanges taken;  // fact keys in the table or inserted by this load
    std::vector<int64_t> inserted_keys;
    std::vector<uint8_t> mask;
    ARROW_RETURN_NOT_OK(
        chunk.EachBatch("fact_order_item", [&](const arrow::RecordBatch& batch) -> Status {
          ARROW_RETURN_NOT_OK(PredictInserts("fact_order_item", batch, &taken, &mask));
          ARROW_RETURN_NOT_OK(InsertAll("fact_order_item", batch, &mask));
          const auto& keys = static_cast<const arrow::Int64Array&>(*batch.column(0));
          for (int64_t r = 0; r < batch.num_rows(); ++r) {
            if (mask[static_cast<size_t>(r)]) inserted_keys.push_back(keys.Value(r));
          }
          return Status::OK();
        }));
    for (const auto& [first, last] : ConsecutiveRuns(std::move(inserted_keys))) {
      ARROW_RETURN_NOT_OK(Query("INSERT INTO pizza_sales.fact_load_ranges (first_item_id, "
                                "last_item_id) VALUES ($1, $2)",
                                {first, last})
                              .status());
    }
    for (const auto& [table, version] : chunk.positions) {
      ARROW_RETURN_NOT_OK(
          Query("INSERT INTO pizza_sales.load_position(table_name, delta_version) VALUES ($1, $2) "
                "ON CONFLICT(table_name) DO UPDATE SET "
                "delta_version = MAX(delta_version, excluded.delta_version), "
                "loaded_at = excluded.loaded_at",
                {table, version})
              .status());
    }
    return Status::OK();
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Prepared>> prepared_;
  static constexpr int64_t kInsertRows = 32;  // rows per INSERT statement
};

}  // namespace

Result<std::unique_ptr<Warehouse>> OpenSqliteWarehouse(const std::string& path) {
  auto wh = std::make_unique<SqliteWarehouse>(path);
  ARROW_RETURN_NOT_OK(wh->Open());
  return std::unique_ptr<Warehouse>(std::move(wh));
}

}  // namespace pizzastream::warehouse
