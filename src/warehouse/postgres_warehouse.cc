#include "warehouse/postgres_warehouse.h"

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "warehouse/postgres_connection.h"
#include "warehouse/postgres_load.h"
#include "warehouse/postgres_migrations.h"
#include "warehouse/postgres_params.h"

namespace pizzastream::warehouse {

namespace {

// The key figures from fact_order_item alone (the views are checked against these).
constexpr const char* kTotalsSql = R"sql(
SELECT (coalesce(sum(total_price), 0) * 100)::bigint, count(DISTINCT order_id),
       coalesce(sum(quantity), 0)::bigint, count(DISTINCT order_date), count(*)
FROM pizza_sales.fact_order_item)sql";

// Top pizza by revenue; ties go to the first name in ascending order (NULL first, as SQLite).
constexpr const char* kTopPizzaSql = R"sql(
SELECT p.pizza_name
FROM pizza_sales.fact_order_item f JOIN pizza_sales.dim_pizza p USING (pizza_sk)
GROUP BY p.pizza_name
ORDER BY sum(f.total_price) DESC, p.pizza_name ASC NULLS FIRST
LIMIT 1)sql";

class PostgresWarehouse final : public Warehouse {
 public:
  explicit PostgresWarehouse(std::unique_ptr<PostgresConnection> conn) : conn_(std::move(conn)) {}

  std::string dialect() const override { return "postgresql"; }

  Status Init() override {
    return conn_->Run("init", [](pqxx::connection& c) { return ApplyPostgresMigrations(c); });
  }

  Result<LoadPositions> Positions() override {
    LoadPositions positions;
    ARROW_RETURN_NOT_OK(conn_->RunRepeatable("positions", [&](pqxx::connection& c) {
      positions = ReadLoadPositions(c);
      return Status::OK();
    }));
    return positions;
  }

  Status Load(const GoldChunk& chunk) override {
    ARROW_RETURN_NOT_OK(CheckGoldChunk(chunk));
    return conn_->Run("load", [&](pqxx::connection& c) { return LoadGoldChunk(c, chunk); });
  }

  Result<KpiFigures> Kpi() override {
    KpiFigures k;
    ARROW_RETURN_NOT_OK(conn_->RunRepeatable("kpi", [&](pqxx::connection& c) {
      // One snapshot for both statements, so the figures agree with each other.
      pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only>
          tx(c, "pizzastream_kpi");
      const pqxx::row totals = tx.exec1(kTotalsSql);
      k.revenue_cents = totals[0].as<int64_t>();
      k.orders = totals[1].as<int64_t>();
      k.pizzas = totals[2].as<int64_t>();
      k.order_days = totals[3].as<int64_t>();
      k.fact_rows = totals[4].as<int64_t>();
      const pqxx::result top = tx.exec(kTopPizzaSql);
      k.top_pizza = top.empty() || top[0][0].is_null() ? "" : top[0][0].as<std::string>();
      tx.commit();
      return Status::OK();
    }));
    return k;
  }

  Result<QueryResult> Query(const std::string& sql, const std::vector<SqlParam>& params) override {
    QueryResult out;
    ARROW_RETURN_NOT_OK(conn_->RunRepeatable("query", [&](pqxx::connection& c) {
      pqxx::read_transaction tx(c, "pizzastream_query");
      out = ToQueryResult(ExecWithParams(tx, sql, params));
      tx.commit();
      return Status::OK();
    }));
    return out;
  }

 private:
  std::unique_ptr<PostgresConnection> conn_;
};

}  // namespace

Result<std::unique_ptr<Warehouse>> OpenPostgresWarehouse(const std::string& url) {
  auto conn = PostgresConnection::Make(url);
  // Connect now, so a wrong URL, password or a server that is down is reported at open.
  ARROW_RETURN_NOT_OK(conn->Run("connect", [](pqxx::connection&) { return Status::OK(); }));
  return std::unique_ptr<Warehouse>(new PostgresWarehouse(std::move(conn)));
}

}  // namespace pizzastream::warehouse
