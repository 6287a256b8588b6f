#include "warehouse/postgres_params.h"

#include <charconv>

namespace pizzastream::warehouse {

PostgresParams::PostgresParams(const std::vector<SqlParam>& params) {
  texts_.reserve(params.size());  // no reallocation: values_ points into these strings
  for (const SqlParam& p : params) {
    if (std::holds_alternative<std::nullptr_t>(p)) {
      values_.push_back(nullptr);
      continue;
    }
    if (const auto* i = std::get_if<int64_t>(&p)) {
      texts_.push_back(std::to_string(*i));
    } else if (const auto* d = std::get_if<double>(&p)) {
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), *d);
      (void)ec;  // 32 chars hold any double's shortest form
      texts_.emplace_back(buffer, end);
    } else {
      texts_.push_back(std::get<std::string>(p));
    }
    values_.push_back(texts_.back().c_str());
  }
}

pqxx::result ExecWithParams(pqxx::transaction_base& tx, const std::string& sql,
                            const std::vector<SqlParam>& params) {
  const PostgresParams bound(params);
  return tx.exec_params(sql, bound.values());
}

ExecSql ExecOn(pqxx::transaction_base& tx) {
  return [&tx](const std::string& sql, const std::vector<SqlParam>& params) {
    ExecWithParams(tx, sql, params);
    return Status::OK();
  };
}

}  // namespace pizzastream::warehouse
