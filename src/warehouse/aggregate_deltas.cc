// SalesAggregates' load path: one load's change to the aggregates, summed here from the
// touched orders' lines before and after the load (hash tables over integer keys) and written
// with bound upserts (SQLite) or one JSON-parameter upsert per table (PostgreSQL: one round
// trip), instead of grouping the lines in SQL once per level.
#include <arrow/array.h>
#include <arrow/util/decimal.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>

#include "warehouse/aggregates.h"

namespace pizzastream::warehouse {
namespace {

// The order lines are kept in: by order, stable.
bool ByOrder(const AggLine& a, const AggLine& b) { return a.order_id < b.order_id; }

struct Sums {
  int64_t cents = 0, quantity = 0, lines = 0, orders = 0;
  bool zero() const { return cents == 0 && quantity == 0 && lines == 0 && orders == 0; }
};

// level, category, size, pizza name (ids in Names), period (yyyymmdd or yyyymm), channel (id),
// hour (-1 in the by-day-only tables).
using Key = std::array<int64_t, 7>;
enum KeyField { kLevel, kCategory, kSize, kName, kPeriod, kChannel, kHour };

struct KeyHash {
  size_t operator()(const Key& k) const {
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (int64_t v : k) h = (h ^ static_cast<uint64_t>(v)) * 0xBF58476D1CE4E5B9ULL;
    return static_cast<size_t>(h ^ (h >> 31));
  }
};
using SumsByKey = std::unordered_map<Key, Sums, KeyHash>;

// Dense ids for text values; id 0 is "".
class Names {
 public:
  Names() { Id(""); }
  int64_t Id(std::string_view name) {
    auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    names_.push_back(std::make_unique<std::string>(name));
    return ids_[*names_.back()] = static_cast<int64_t>(names_.size() - 1);
  }
  const std::string& Name(int64_t id) const { return *names_[static_cast<size_t>(id)]; }

 private:
  std::unordered_map<std::string_view, int64_t> ids_;  // views of names_
  std::vector<std::unique_ptr<std::string>> names_;
};

int64_t Int(const SqlParam& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  return 0;
}
std::string_view Text(const SqlParam& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s ? std::string_view(*s) : std::string_view();
}

constexpr std::array<int64_t, 6> kDailyLevels = {0,
                                                 kAggCategory,
                                                 kAggSize,
                                                 kAggCategory | kAggSize,
                                                 kAggCategory | kAggPizza,
                                                 kAggCategory | kAggSize | kAggPizza};
constexpr std::array<int64_t, 4> kHourlyLevels = {0, kAggCategory, kAggSize,
                                                  kAggCategory | kAggSize};

// category, size and name ids of every pizza_sk.
using PizzaIds = std::unordered_map<int64_t, std::array<int64_t, 3>>;

struct Deltas {
  SumsByKey daily, hourly;
};

// Adds `sign` x the figures of `lines` (sorted by order) to `out`; `channels` maps the lines'
// channel indexes to ids.
void SumLines(const AggLines& lines, const std::vector<int64_t>& channels,
              const std::vector<std::array<int64_t, 3>>& line_pizzas, const PizzaIds& pizzas,
              int64_t sign, Deltas& out) {
  std::vector<Key> order_daily, order_hourly;
  auto close_order = [&] {
    for (auto* keys : {&order_daily, &order_hourly}) {
      std::sort(keys->begin(), keys->end());
      keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
      auto& table = keys == &order_daily ? out.daily : out.hourly;
      for (const Key& k : *keys) table[k].orders += sign;
      keys->clear();
    }
  };
  int64_t order = INT64_MIN;
  static const std::array<int64_t, 3> kUnknownPizza = {0, 0, 0};
  for (const AggLine& line : lines.lines) {
    if (line.order_id != order) {
      close_order();
      order = line.order_id;
    }
    const std::array<int64_t, 3>* ids = &kUnknownPizza;
    if (line.pizza >= 0) {
      ids = &line_pizzas[static_cast<size_t>(line.pizza)];
    } else if (auto p = pizzas.find(line.pizza_sk); p != pizzas.end()) {
      ids = &p->second;
    }
    const auto& [category, size, name] = *ids;
    const int64_t channel = channels[static_cast<size_t>(line.channel)];
    auto add = [&](SumsByKey& table, std::vector<Key>& keys, int64_t level, int64_t hour) {
      const Key k = {level,
                     (level & kAggCategory) ? category : 0,
                     (level & kAggSize) ? size : 0,
                     (level & kAggPizza) ? name : 0,
                     line.date_id,
                     channel,
                     hour};
      Sums& s = table[k];
      s.cents += sign * line.cents;
      s.quantity += sign * line.quantity;
      s.lines += sign;
      keys.push_back(k);
    };
    for (int64_t level : kDailyLevels) add(out.daily, order_daily, level, -1);
    for (int64_t level : kHourlyLevels) add(out.hourly, order_hourly, level, line.hour);
  }
  close_order();
}

// By-day deltas summed by month, for the levels the monthly table keeps.
SumsByKey ByMonth(const SumsByKey& by_day, bool pizza_levels_only) {
  SumsByKey out;
  for (const auto& [day_key, s] : by_day) {
    if (pizza_levels_only && !(day_key[kLevel] & kAggPizza)) continue;
    Key k = day_key;
    k[kPeriod] /= 100;
    Sums& m = out[k];
    m.cents += s.cents;
    m.quantity += s.quantity;
    m.lines += s.lines;
    m.orders += s.orders;
  }
  return out;
}

struct TableShape {
  const char* name;
  bool hourly;
  bool monthly;
};

struct AggNames {
  Names categories, sizes, names, channels;
};

// One aggregate row as statement parameters, in the table's column order.
std::vector<SqlParam> RowParams(const Key& k, const Sums& s, const TableShape& t,
                                const AggNames& n) {
  std::vector<SqlParam> row = {k[kLevel], n.categories.Name(k[kCategory]), n.sizes.Name(k[kSize])};
  if (!t.hourly) row.emplace_back(n.names.Name(k[kName]));
  row.emplace_back(k[kPeriod]);
  row.emplace_back(n.channels.Name(k[kChannel]));
  if (t.hourly) row.emplace_back(k[kHour]);
  for (int64_t v : {s.cents, s.quantity, s.lines, s.orders}) row.emplace_back(v);
  return row;
}

// The non-zero rows as one JSON array of arrays.
std::string RowsJson(const SumsByKey& deltas, const TableShape& t, const AggNames& n) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [k, s] : deltas) {
    if (s.zero()) continue;
    nlohmann::json row = nlohmann::json::array();
    for (const SqlParam& v : RowParams(k, s, t, n)) {
      if (const auto* i = std::get_if<int64_t>(&v))
        row.push_back(*i);
      else
        row.push_back(std::get<std::string>(v));
    }
    rows.push_back(std::move(row));
  }
  return rows.dump();  // throws on text that is not UTF-8
}

}  // namespace

int32_t AggLines::Channel(std::string_view channel) {
  for (size_t i = 0; i < channels.size(); ++i) {
    if (channels[i] == channel) return static_cast<int32_t>(i);
  }
  channels.emplace_back(channel);
  return static_cast<int32_t>(channels.size() - 1);
}

void AggLines::Add(const AggLines& other) {
  const auto sorted = static_cast<std::ptrdiff_t>(lines.size());
  std::vector<int32_t> channel_map(other.channels.size());
  for (size_t i = 0; i < other.channels.size(); ++i) channel_map[i] = Channel(other.channels[i]);
  const auto pizza_base = static_cast<int32_t>(pizzas.size());
  pizzas.insert(pizzas.end(), other.pizzas.begin(), other.pizzas.end());
  for (AggLine line : other.lines) {
    line.channel = channel_map[static_cast<size_t>(line.channel)];
    if (line.pizza >= 0) line.pizza += pizza_base;
    lines.push_back(line);
  }
  std::inplace_merge(lines.begin(), lines.begin() + sorted, lines.end(), ByOrder);  // both sorted
}

Result<AggLines> SalesAggregates::ReadLines(const SqlParam& orders, const QuerySql& query) const {
  AggLines out;
  if (EmptyOrderList(orders)) return out;
  const std::string where = postgres_ ? "f.order_id = ANY (CAST($1 AS BIGINT[]))"
                                      : "f.order_id IN (SELECT value FROM json_each($1))";
  ARROW_ASSIGN_OR_RAISE(
      QueryResult rows,
      query("SELECT f.order_id, f.date_id, f.order_channel, f.time_id / 100, f.pizza_sk, "
            "CAST(ROUND(f.total_price * 100) AS BIGINT), f.quantity "
            "FROM pizza_sales.fact_order_item f WHERE " +
                where + " ORDER BY f.order_id",
            {orders}));
  if (rows.rows.empty()) return out;
  // The pizzas' attributes as they are now (a later correction must not move these lines).
  ARROW_ASSIGN_OR_RAISE(QueryResult pizzas, ReadPizzas(query));
  std::unordered_map<int64_t, int32_t> pizza_index;  // pizza_sk -> index into out.pizzas
  for (const auto& row : pizzas.rows) {
    pizza_index[Int(row[0])] = static_cast<int32_t>(out.pizzas.size());
    out.pizzas.push_back(
        {std::string(Text(row[1])), std::string(Text(row[2])), std::string(Text(row[3]))});
  }
  const auto unknown = static_cast<int32_t>(out.pizzas.size());  // a fact without its dim row
  out.pizzas.push_back({"", "", ""});
  out.lines.reserve(rows.rows.size());
  for (const auto& row : rows.rows) {
    auto it = pizza_index.find(Int(row[4]));
    out.lines.push_back({Int(row[0]), Int(row[1]), Int(row[4]), Int(row[5]), Int(row[6]),
                         static_cast<int32_t>(Int(row[3])), out.Channel(Text(row[2])),
                         it == pizza_index.end() ? unknown : it->second});
  }
  return out;
}

Status AggLines::AddFactRows(const arrow::RecordBatch& fact, const std::vector<uint8_t>* inserted) {
  auto column = [&](const char* name, arrow::Type::type type) -> Result<const arrow::Array*> {
    auto c = fact.GetColumnByName(name);
    if (c == nullptr || c->type_id() != type) {
      return Status::Invalid("fact_order_item batch without a column ", name, " of the gold type");
    }
    return c.get();
  };
  ARROW_ASSIGN_OR_RAISE(auto order_id, column("order_id", arrow::Type::INT64));
  ARROW_ASSIGN_OR_RAISE(auto date_id, column("date_id", arrow::Type::INT32));
  ARROW_ASSIGN_OR_RAISE(auto time_id, column("time_id", arrow::Type::INT32));
  ARROW_ASSIGN_OR_RAISE(auto pizza_sk, column("pizza_sk", arrow::Type::INT64));
  ARROW_ASSIGN_OR_RAISE(auto quantity, column("quantity", arrow::Type::INT32));
  ARROW_ASSIGN_OR_RAISE(auto total, column("total_price", arrow::Type::DECIMAL128));
  ARROW_ASSIGN_OR_RAISE(auto channel, column("order_channel", arrow::Type::STRING));
  const auto& orders = static_cast<const arrow::Int64Array&>(*order_id);
  const auto& dates = static_cast<const arrow::Int32Array&>(*date_id);
  const auto& times = static_cast<const arrow::Int32Array&>(*time_id);
  const auto& pizza_sks = static_cast<const arrow::Int64Array&>(*pizza_sk);
  const auto& quantities = static_cast<const arrow::Int32Array&>(*quantity);
  const auto& totals = static_cast<const arrow::Decimal128Array&>(*total);
  const auto& channels = static_cast<const arrow::StringArray&>(*channel);
  const int scale = static_cast<const arrow::Decimal128Type&>(*totals.type()).scale();
  const auto sorted = static_cast<std::ptrdiff_t>(lines.size());
  lines.reserve(lines.size() + static_cast<size_t>(fact.num_rows()));
  for (int64_t i = 0; i < fact.num_rows(); ++i) {
    if (inserted != nullptr && !(*inserted)[static_cast<size_t>(i)]) continue;
    arrow::Decimal128 cents(totals.GetValue(i));
    if (scale > 2) cents = cents.ReduceScaleBy(scale - 2);
    if (scale < 2) cents = cents.IncreaseScaleBy(2 - scale);
    lines.push_back({orders.Value(i), dates.Value(i), pizza_sks.Value(i),
                     static_cast<int64_t>(cents), quantities.Value(i), times.Value(i) / 100,
                     Channel(channels.GetView(i)), -1});
  }
  // Sort what was added, then merge it with the lines already here (sorted).
  std::stable_sort(lines.begin() + sorted, lines.end(), ByOrder);
  std::inplace_merge(lines.begin(), lines.begin() + sorted, lines.end(), ByOrder);
  return Status::OK();
}

Result<QueryResult> SalesAggregates::ReadPizzas(const QuerySql& query) {
  return query(
      "SELECT pizza_sk, COALESCE(pizza_category, ''), COALESCE(pizza_size, ''), "
      "COALESCE(pizza_name, '') FROM pizza_sales.dim_pizza",
      {});
}

Result<AggChange> SalesAggregates::ComputeChange(const AggLines& before, const AggLines& after,
                                                 const QueryResult& pizza_rows) const {
  AggChange change;
  if (before.lines.empty() && after.lines.empty()) return change;
  AggNames names;
  PizzaIds pizzas;
  for (const auto& row : pizza_rows.rows) {
    pizzas[Int(row[0])] = {names.categories.Id(Text(row[1])), names.sizes.Id(Text(row[2])),
                           names.names.Id(Text(row[3]))};
  }
  Deltas deltas;
  for (const auto& [lines, sign] : {std::pair{&before, -1}, std::pair{&after, +1}}) {
    std::vector<int64_t> channels;
    for (const auto& c : lines->channels) channels.push_back(names.channels.Id(c));
    std::vector<std::array<int64_t, 3>> line_pizzas;
    for (const auto& [category, size, name] : lines->pizzas) {
      line_pizzas.push_back(
          {names.categories.Id(category), names.sizes.Id(size), names.names.Id(name)});
    }
    SumLines(*lines, channels, line_pizzas, pizzas, sign, deltas);
  }
  const SumsByKey monthly_pizza = ByMonth(deltas.daily, true);
  const SumsByKey monthly_hourly = ByMonth(deltas.hourly, false);
  const std::array<std::pair<TableShape, const SumsByKey*>, 4> tables = {{
      {{"agg_sales_daily", false, false}, &deltas.daily},
      {{"agg_sales_hourly", true, false}, &deltas.hourly},
      {{"agg_sales_monthly_pizza", false, true}, &monthly_pizza},
      {{"agg_sales_monthly_hourly", true, true}, &monthly_hourly},
  }};
  for (const auto& [shape, sums] : tables) {
    if (postgres_) {
      std::string rows;
      try {
        rows = RowsJson(*sums, shape, names);
      } catch (const nlohmann::json::exception& e) {
        return Status::Invalid("aggregates: a name in ", shape.name, " is not UTF-8: ", e.what());
      }
      change.statements.push_back(
          {UpsertJsonSql(shape.name, shape.hourly, shape.monthly), {std::move(rows)}});
      continue;
    }
    // kUpsertRows rows per statement (SQLite runs a statement's setup once for all of them),
    // the rest one by one.
    const std::string many = UpsertRowSql(shape.name, shape.hourly, shape.monthly, kUpsertRows);
    const std::string one = UpsertRowSql(shape.name, shape.hourly, shape.monthly, 1);
    std::vector<SqlParam> params;
    int rows = 0;
    for (const auto& [k, s] : *sums) {
      if (s.zero()) continue;
      for (SqlParam& p : RowParams(k, s, shape, names)) params.push_back(std::move(p));
      if (++rows == kUpsertRows) {
        change.statements.push_back({many, std::move(params)});
        params.clear();
        rows = 0;
      }
    }
    const size_t per_row = rows > 0 ? params.size() / static_cast<size_t>(rows) : 0;
    for (int r = 0; r < rows; ++r) {
      change.statements.push_back(
          {one,
           std::vector<SqlParam>(std::make_move_iterator(params.begin() + r * per_row),
                                 std::make_move_iterator(params.begin() + (r + 1) * per_row))});
    }
  }
  return change;
}

Status SalesAggregates::WriteChange(const AggChange& change, const ExecSql& exec) {
  for (const auto& [sql, params] : change.statements) ARROW_RETURN_NOT_OK(exec(sql, params));
  return Status::OK();
}

Status SalesAggregates::WriteChange(const AggLines& before, const AggLines& after,
                                    const ExecSql& exec, const QuerySql& query) const {
  if (before.lines.empty() && after.lines.empty()) return Status::OK();
  ARROW_ASSIGN_OR_RAISE(QueryResult pizzas, ReadPizzas(query));
  ARROW_ASSIGN_OR_RAISE(AggChange change, ComputeChange(before, after, pizzas));
  return WriteChange(change, exec);
}

}  // namespace pizzastream::warehouse
