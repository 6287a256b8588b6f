// SalesAggregates' in-memory path: one load's change to the aggregates summed here from the
// orders' lines (hash tables over packed integer keys) and written with one upsert per table,
// instead of grouping the lines in SQL once per level (about 6x cheaper on SQLite). Falls back
// to the SQL path for data it cannot pack (thousands of distinct names, text JSON cannot carry).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>

#include "warehouse/aggregates.h"

namespace pizzastream::warehouse {
namespace {

struct Sums {
  int64_t cents = 0, quantity = 0, lines = 0, orders = 0;
};

// Key fields packed into 58 bits: level 3, category 7, size 7, pizza name 11, period 18,
// channel 7, hour 5.
constexpr int kCategoryBits = 7, kSizeBits = 7, kNameBits = 11, kChannelBits = 7;
constexpr uint32_t kNoHour = 31;

struct KeyFields {
  uint32_t level, category, size, name, period, channel, hour;
};

uint64_t Pack(const KeyFields& k) {
  uint64_t v = k.level;
  v = (v << kCategoryBits) | k.category;
  v = (v << kSizeBits) | k.size;
  v = (v << kNameBits) | k.name;
  v = (v << 18) | k.period;
  v = (v << kChannelBits) | k.channel;
  return (v << 5) | k.hour;
}

KeyFields Unpack(uint64_t v) {
  KeyFields k{};
  k.hour = v & 31;
  v >>= 5;
  k.channel = v & ((1u << kChannelBits) - 1);
  v >>= kChannelBits;
  k.period = v & ((1u << 18) - 1);
  v >>= 18;
  k.name = v & ((1u << kNameBits) - 1);
  v >>= kNameBits;
  k.size = v & ((1u << kSizeBits) - 1);
  v >>= kSizeBits;
  k.category = v & ((1u << kCategoryBits) - 1);
  k.level = static_cast<uint32_t>(v >> kCategoryBits);
  return k;
}

// Days and months as small integers: yyyymmdd -> 0.., yyyymm -> 0.. (from 1900).
uint32_t DayCode(int64_t date_id) {
  return static_cast<uint32_t>((date_id / 10000 - 1900) * 372 + (date_id / 100 % 100 - 1) * 31 +
                               (date_id % 100 - 1));
}
int64_t DateIdOf(uint32_t code) {
  return (code / 372 + 1900) * 10000 + (code % 372 / 31 + 1) * 100 + code % 31 + 1;
}
uint32_t MonthCodeOfDay(uint32_t day_code) { return day_code / 31; }  // (y-1900)*12 + m-1
int64_t MonthIdOf(uint32_t code) { return (code / 12 + 1900) * 100 + code % 12 + 1; }

// Dense ids for text values; id 0 is "".
class Names {
 public:
  explicit Names(int bits) : limit_(1u << bits) { Id(""); }
  // UINT32_MAX when the field is full.
  uint32_t Id(std::string_view name) {
    auto it = ids_.find(std::string(name));
    if (it != ids_.end()) return it->second;
    if (names_.size() >= limit_) return UINT32_MAX;
    names_.emplace_back(name);
    return ids_[names_.back()] = static_cast<uint32_t>(names_.size() - 1);
  }
  const std::string& Name(uint32_t id) const { return names_[id]; }

 private:
  uint32_t limit_;
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> names_;
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

constexpr std::array<uint32_t, 6> kDailyLevels = {0,
                                                  kAggCategory,
                                                  kAggSize,
                                                  kAggCategory | kAggSize,
                                                  kAggCategory | kAggPizza,
                                                  kAggCategory | kAggSize | kAggPizza};
constexpr std::array<uint32_t, 4> kHourlyLevels = {0, kAggCategory, kAggSize,
                                                   kAggCategory | kAggSize};

struct Deltas {
  std::unordered_map<uint64_t, Sums> daily, hourly;
};

// Sums the lines (order_id, date_id, channel, hour, pizza_sk, cents, quantity; sorted by
// order) into per-key deltas; false when a field's ids run out.
bool SumLines(const QueryResult& lines,
              const std::unordered_map<int64_t, std::array<uint32_t, 3>>& pizzas, Names& channels,
              Deltas& out) {
  std::vector<uint64_t> order_daily, order_hourly;
  auto close_order = [&] {
    for (auto* keys : {&order_daily, &order_hourly}) {
      std::sort(keys->begin(), keys->end());
      keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
      auto& table = keys == &order_daily ? out.daily : out.hourly;
      for (uint64_t k : *keys) ++table[k].orders;
      keys->clear();
    }
  };
  int64_t order = INT64_MIN;
  for (const auto& row : lines.rows) {
    if (Int(row[0]) != order) {
      close_order();
      order = Int(row[0]);
    }
    const uint32_t day = DayCode(Int(row[1]));
    const uint32_t channel = channels.Id(Text(row[2]));
    const int64_t hour = Int(row[3]);
    if (channel == UINT32_MAX || day >= (1u << 18) || hour < 0 || hour > 23) return false;
    static const std::array<uint32_t, 3> kUnknownPizza = {0, 0, 0};
    auto p = pizzas.find(Int(row[4]));
    const auto& [category, size, name] = p == pizzas.end() ? kUnknownPizza : p->second;
    const Sums line{Int(row[5]), Int(row[6]), 1, 0};
    auto add = [&](std::unordered_map<uint64_t, Sums>& table, std::vector<uint64_t>& keys,
                   uint32_t level, uint32_t h) {
      const uint64_t k =
          Pack({level, (level & kAggCategory) ? category : 0, (level & kAggSize) ? size : 0,
                (level & kAggPizza) ? name : 0, day, channel, h});
      Sums& s = table[k];
      s.cents += line.cents;
      s.quantity += line.quantity;
      s.lines += 1;
      keys.push_back(k);
    };
    for (uint32_t level : kDailyLevels) add(out.daily, order_daily, level, kNoHour);
    for (uint32_t level : kHourlyLevels)
      add(out.hourly, order_hourly, level, static_cast<uint32_t>(hour));
  }
  close_order();
  return true;
}

// By-day deltas summed by month, for the levels the monthly table keeps.
std::unordered_map<uint64_t, Sums> ByMonth(const std::unordered_map<uint64_t, Sums>& by_day,
                                           bool pizza_levels_only) {
  std::unordered_map<uint64_t, Sums> out;
  for (const auto& [k, s] : by_day) {
    KeyFields f = Unpack(k);
    if (pizza_levels_only && !(f.level & kAggPizza)) continue;
    f.period = MonthCodeOfDay(f.period);
    Sums& m = out[Pack(f)];
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

// The deltas as JSON rows in the table's column order, measures times `sign`.
std::string RowsJson(const std::unordered_map<uint64_t, Sums>& deltas, const TableShape& t,
                     const Names& categories, const Names& sizes, const Names& names,
                     const Names& channels, int sign) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [k, s] : deltas) {
    const KeyFields f = Unpack(k);
    nlohmann::json row = {f.level, categories.Name(f.category), sizes.Name(f.size)};
    if (!t.hourly) row.push_back(names.Name(f.name));
    row.push_back(t.monthly ? MonthIdOf(f.period) : DateIdOf(f.period));
    row.push_back(channels.Name(f.channel));
    if (t.hourly) row.push_back(f.hour);
    for (int64_t v : {s.cents, s.quantity, s.lines, s.orders}) row.push_back(sign * v);
    rows.push_back(std::move(row));
  }
  return rows.dump();  // throws on text that is not UTF-8: the caller falls back
}

}  // namespace

std::string SalesAggregates::UpsertJsonSql(const char* table, bool hourly, bool monthly) const {
  std::vector<std::pair<const char*, bool>> columns = {
      {"level", false}, {"category", true}, {"size", true}};
  if (!hourly) columns.push_back({"pizza_name", true});
  columns.push_back({monthly ? "month_id" : "date_id", false});
  columns.push_back({"channel", true});
  if (hourly) columns.push_back({"hour", false});
  const size_t keys = columns.size();
  for (const char* m : {"revenue_cents", "quantity", "lines", "orders"})
    columns.push_back({m, false});
  std::string names, values, key_names;
  for (size_t i = 0; i < columns.size(); ++i) {
    const auto& [name, text] = columns[i];
    names += (i ? ", " : "") + std::string(name);
    if (i < keys) key_names += (i ? ", " : "") + std::string(name);
    values += i ? ", " : "";
    values += postgres_
                  ? (text ? fmt::format("e->>{}", i) : fmt::format("CAST(e->>{} AS BIGINT)", i))
                  : fmt::format("json_extract(value, '$[{}]')", i);
  }
  return fmt::format(
      "INSERT INTO pizza_sales.{0} AS a ({1}) SELECT {2} FROM {3} WHERE true "
      "ON CONFLICT ({4}) DO UPDATE SET revenue_cents = a.revenue_cents + excluded.revenue_cents, "
      "quantity = a.quantity + excluded.quantity, lines = a.lines + excluded.lines, "
      "orders = a.orders + excluded.orders",
      table, names, values,
      postgres_ ? "jsonb_array_elements(CAST($1 AS JSONB)) AS e" : "json_each($1)", key_names);
}

Result<bool> SalesAggregates::ChangeInMemory(const SqlParam& orders, int sign, const ExecSql& exec,
                                             const QuerySql& query) const {
  const std::string where = postgres_ ? "f.order_id = ANY (CAST($1 AS BIGINT[]))"
                                      : "f.order_id IN (SELECT value FROM json_each($1))";
  ARROW_ASSIGN_OR_RAISE(
      QueryResult lines,
      query("SELECT f.order_id, f.date_id, f.order_channel, f.time_id / 100, f.pizza_sk, "
            "CAST(ROUND(f.total_price * 100) AS BIGINT), f.quantity "
            "FROM pizza_sales.fact_order_item f WHERE " +
                where + " ORDER BY f.order_id",
            {orders}));
  if (lines.rows.empty()) return true;
  ARROW_ASSIGN_OR_RAISE(
      QueryResult dims,
      query("SELECT pizza_sk, COALESCE(pizza_category, ''), COALESCE(pizza_size, ''), "
            "COALESCE(pizza_name, '') FROM pizza_sales.dim_pizza",
            {}));
  Names categories(kCategoryBits), sizes(kSizeBits), names(kNameBits), channels(kChannelBits);
  std::unordered_map<int64_t, std::array<uint32_t, 3>> pizzas;
  for (const auto& row : dims.rows) {
    const std::array<uint32_t, 3> ids = {categories.Id(Text(row[1])), sizes.Id(Text(row[2])),
                                         names.Id(Text(row[3]))};
    if (std::find(ids.begin(), ids.end(), UINT32_MAX) != ids.end()) return false;
    pizzas[Int(row[0])] = ids;
  }
  Deltas deltas;
  if (!SumLines(lines, pizzas, channels, deltas)) return false;
  const auto monthly_pizza = ByMonth(deltas.daily, true);
  const auto monthly_hourly = ByMonth(deltas.hourly, false);
  const std::array<std::pair<TableShape, const std::unordered_map<uint64_t, Sums>*>, 4> tables = {{
      {{"agg_sales_daily", false, false}, &deltas.daily},
      {{"agg_sales_hourly", true, false}, &deltas.hourly},
      {{"agg_sales_monthly_pizza", false, true}, &monthly_pizza},
      {{"agg_sales_monthly_hourly", true, true}, &monthly_hourly},
  }};
  std::vector<std::pair<std::string, std::string>> statements;
  try {
    for (const auto& [shape, sums] : tables) {
      statements.emplace_back(UpsertJsonSql(shape.name, shape.hourly, shape.monthly),
                              RowsJson(*sums, shape, categories, sizes, names, channels, sign));
    }
  } catch (const nlohmann::json::exception&) {
    return false;  // text that is not UTF-8
  }
  for (auto& [sql, rows] : statements) ARROW_RETURN_NOT_OK(exec(sql, {SqlParam(std::move(rows))}));
  return true;
}

Status SalesAggregates::Retract(const SqlParam& orders, const ExecSql& exec,
                                const QuerySql& query) const {
  ARROW_ASSIGN_OR_RAISE(bool done, ChangeInMemory(orders, -1, exec, query));
  return done ? Status::OK() : Retract(orders, exec);
}

Status SalesAggregates::Apply(const SqlParam& orders, const ExecSql& exec,
                              const QuerySql& query) const {
  ARROW_ASSIGN_OR_RAISE(bool done, ChangeInMemory(orders, +1, exec, query));
  return done ? Status::OK() : Apply(orders, exec);
}

}  // namespace pizzastream::warehouse
