// Values across the libpqxx boundary. Query parameters ($1..$n): each SqlParam as text (NULL as
// a null pointer) sent beside the statement, never spliced into it; PostgreSQL infers the types
// from the statement. Results: integers as int64, floats and fractional numerics as double,
// NULL as nullptr, anything else (dates, text) as its text.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "warehouse/warehouse.h"

namespace pizzastream::warehouse {

class PostgresParams {
 public:
  explicit PostgresParams(const std::vector<SqlParam>& params);
  PostgresParams(const PostgresParams&) = delete;
  PostgresParams& operator=(const PostgresParams&) = delete;

  // For transaction_base::exec_params(sql, params.values()).
  auto values() const { return pqxx::prepare::make_dynamic_params(values_); }

 private:
  std::vector<std::string> texts_;
  std::vector<const char*> values_;  // into texts_, or nullptr for NULL
};

// `params` executed with `sql` in `tx`. Throws libpqxx exceptions.
pqxx::result ExecWithParams(pqxx::transaction_base& tx, const std::string& sql,
                            const std::vector<SqlParam>& params);

// `r` as a QueryResult.
QueryResult ToQueryResult(const pqxx::result& r);

// A QuerySql (warehouse/warehouse.h) running queries in `tx`; like ExecOn, it throws.
QuerySql QueryOn(pqxx::transaction_base& tx);

// An ExecSql (warehouse/warehouse.h) running statements in `tx`; it throws libpqxx exceptions
// rather than returning them, as the caller's boundary turns them into a Status.
ExecSql ExecOn(pqxx::transaction_base& tx);

}  // namespace pizzastream::warehouse
