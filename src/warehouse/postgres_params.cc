#include "warehouse/postgres_params.h"

#include <charconv>

namespace pizzastream::warehouse {

namespace {

// PostgreSQL type oids (pg_type.h) of the values Query returns as numbers.
enum : pqxx::oid {
  kBool = 16,
  kInt8 = 20,
  kInt2 = 21,
  kInt4 = 23,
  kFloat4 = 700,
  kFloat8 = 701,
  kNumeric = 1700
};

// A result value: integers as int64, floats and fractional numerics as double, NULL as
// nullptr, anything else (dates, text) as its text.
SqlParam ValueOf(const pqxx::field& field, pqxx::oid type) {
  if (field.is_null()) return nullptr;
  const std::string_view text(field.c_str(), field.size());
  switch (type) {
    case kBool:
      return int64_t{text == "t"};
    case kInt2:
    case kInt4:
    case kInt8:
    case kFloat4:
    case kFloat8:
    case kNumeric: {
      if (type != kFloat4 && type != kFloat8 && text.find_first_of(".eEnN") == text.npos) {
        int64_t integer = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
        if (ec == std::errc() && end == text.data() + text.size()) return integer;
      }
      double real = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), real);
      if (ec == std::errc() && end == text.data() + text.size()) return real;
      return std::string(text);  // NaN, Infinity
    }
    default:
      return std::string(text);
  }
}

}  // namespace

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

QueryResult ToQueryResult(const pqxx::result& r) {
  QueryResult out;
  for (pqxx::row::size_type col = 0; col < r.columns(); ++col) {
    out.columns.emplace_back(r.column_name(col));
  }
  out.rows.reserve(r.size());
  for (const pqxx::row& row : r) {
    std::vector<SqlParam> cells;
    cells.reserve(row.size());
    for (pqxx::row::size_type col = 0; col < row.size(); ++col) {
      cells.push_back(ValueOf(row[col], r.column_type(col)));
    }
    out.rows.push_back(std::move(cells));
  }
  return out;
}

QuerySql QueryOn(pqxx::transaction_base& tx) {
  return [&tx](const std::string& sql, const std::vector<SqlParam>& params) {
    return Result<QueryResult>(ToQueryResult(ExecWithParams(tx, sql, params)));
  };
}

ExecSql ExecOn(pqxx::transaction_base& tx) {
  return [&tx](const std::string& sql, const std::vector<SqlParam>& params) {
    ExecWithParams(tx, sql, params);
    return Status::OK();
  };
}

}  // namespace pizzastream::warehouse
