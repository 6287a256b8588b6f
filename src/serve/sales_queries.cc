#include "serve/sales_queries.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <map>

#include "warehouse/aggregates.h"

namespace pizzastream::serve {
namespace {

using warehouse::QueryResult;
using warehouse::SqlParam;
using warehouse::Warehouse;

constexpr const char* kMeasures =
    "CAST(SUM(revenue_cents) AS BIGINT), CAST(SUM(orders) AS BIGINT), "
    "CAST(SUM(quantity) AS BIGINT), CAST(SUM(lines) AS BIGINT)";

// A date range as the aggregate tables key it: date_id (yyyymmdd) or month_id (yyyymm).
struct PeriodRange {
  const char* column;
  int32_t lo;
  int32_t hi;
};

int32_t NextMonth(int32_t ym) { return ym % 100 == 12 ? (ym / 100 + 1) * 100 + 1 : ym + 1; }
int32_t PreviousMonth(int32_t ym) { return ym % 100 == 1 ? (ym / 100 - 1) * 100 + 12 : ym - 1; }

int32_t LastDayOfMonth(int32_t ym) {
  const std::chrono::year_month_day_last last{
      std::chrono::year(ym / 100), std::chrono::month_day_last(std::chrono::month(ym % 100))};
  return ym * 100 + static_cast<int32_t>(static_cast<unsigned>(last.day()));
}

// [from, to] as whole months (read from a monthly table) plus the days of the partial months
// at either end (read from the by-day table); an unbounded end counts as whole.
std::vector<PeriodRange> SplitByMonth(const SalesFilter& f) {
  const int32_t lo = f.from_date_id.value_or(0);
  const int32_t hi = f.to_date_id.value_or(99991231);
  const int32_t first_month = (lo == 0 || lo % 100 == 1) ? lo / 100 : NextMonth(lo / 100);
  const int32_t last_month = hi == LastDayOfMonth(hi / 100) ? hi / 100 : PreviousMonth(hi / 100);
  if (first_month > last_month) return {{"date_id", lo, hi}};  // within two months: few days
  std::vector<PeriodRange> out = {{"month_id", first_month, last_month}};
  if (lo / 100 < first_month) out.push_back({"date_id", lo, LastDayOfMonth(lo / 100)});
  if (hi / 100 > last_month) out.push_back({"date_id", hi / 100 * 100 + 1, hi});
  return out;
}

// The aggregate rows one query reads: a table, a level and the WHERE clause with its
// parameters.
struct AggSelection {
  std::string table;
  std::string where;
  std::vector<SqlParam> params;
};

// `grain`: "daily", "hourly", "monthly_pizza" or "monthly_hourly" (agg_sales_<grain>).
AggSelection Select(const SalesFilter& f, std::string_view grain, const PeriodRange& period,
                    bool by_category, bool by_size, bool by_pizza) {
  AggSelection s;
  s.table = fmt::format("agg_sales_{}", grain);
  const bool category = f.category.has_value() || by_category || by_pizza;
  const bool size = f.size.has_value() || by_size;
  const int level = (category ? warehouse::kAggCategory : 0) | (size ? warehouse::kAggSize : 0) |
                    (by_pizza ? warehouse::kAggPizza : 0);
  auto bind = [&](const auto& value) {
    s.params.emplace_back(value);
    return fmt::format("${}", s.params.size());
  };
  s.where = "level = " + bind(int64_t{level});
  // Attributes the level does not break down by hold '': naming them keeps the primary key
  // prefix usable.
  if (f.category) {
    s.where += " AND category = " + bind(*f.category);
  } else if (!category) {
    s.where += " AND category = ''";
  }
  if (f.size) {
    s.where += " AND size = " + bind(*f.size);
  } else if (!size) {
    s.where += " AND size = ''";
  }
  if (grain == "daily" && !by_pizza) s.where += " AND pizza_name = ''";
  s.where += fmt::format(" AND {} >= ", period.column) + bind(int64_t{period.lo});
  s.where += fmt::format(" AND {} <= ", period.column) + bind(int64_t{period.hi});
  if (f.channel) s.where += " AND channel = " + bind(*f.channel);
  return s;
}

int64_t AsInt(const SqlParam& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;  // NULL: SUM over no rows
}

std::string AsText(const SqlParam& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  return "";
}

SalesFigures FiguresAt(const std::vector<SqlParam>& row, size_t first) {
  return {AsInt(row[first]), AsInt(row[first + 1]), AsInt(row[first + 2]), AsInt(row[first + 3])};
}

void Add(SalesFigures& into, const SalesFigures& f) {
  into.revenue_cents += f.revenue_cents;
  into.orders += f.orders;
  into.quantity += f.quantity;
  into.lines += f.lines;
}

int SizeRank(const std::string& size) {
  static constexpr std::array<std::string_view, 5> kSizes = {"S", "M", "L", "XL", "XXL"};
  auto it = std::find(kSizes.begin(), kSizes.end(), size);
  return static_cast<int>(it - kSizes.begin());
}

int IsoWeekdayOf(int64_t date_id) {
  const std::chrono::year_month_day ymd{
      std::chrono::year(static_cast<int>(date_id / 10000)),
      std::chrono::month(static_cast<unsigned>(date_id / 100 % 100)),
      std::chrono::day(static_cast<unsigned>(date_id % 100))};
  return static_cast<int>(std::chrono::weekday(std::chrono::sys_days(ymd)).iso_encoding());
}

constexpr std::array<const char*, 8> kWeekdays = {"",         "Monday", "Tuesday",  "Wednesday",
                                                  "Thursday", "Friday", "Saturday", "Sunday"};

}  // namespace

Result<SalesTotals> QuerySalesTotals(Warehouse& wh, const SalesFilter& filter) {
  const AggSelection s =
      Select(filter, "daily",
             {"date_id", filter.from_date_id.value_or(0), filter.to_date_id.value_or(99991231)},
             false, false, false);
  ARROW_ASSIGN_OR_RAISE(
      QueryResult r,
      wh.Query(fmt::format("SELECT {}, COUNT(DISTINCT CASE WHEN lines > 0 THEN date_id END) "
                           "FROM pizza_sales.{} WHERE {}",
                           kMeasures, s.table, s.where),
               s.params));
  SalesTotals totals;
  if (r.rows.size() == 1 && r.rows[0].size() == 5) {
    totals.figures = FiguresAt(r.rows[0], 0);
    totals.order_days = AsInt(r.rows[0][4]);
  }
  return totals;
}

Result<std::vector<SalesGroupRow>> QuerySalesByGroup(Warehouse& wh, SalesGroup group,
                                                     const SalesFilter& filter) {
  const char* key = "date_id";
  switch (group) {
    case SalesGroup::kDay:
    case SalesGroup::kWeekday:  // folded from days below: an order falls on one day
      break;
    case SalesGroup::kMonth:
      key = "date_id / 100";
      break;
    case SalesGroup::kHour:
      key = "hour";
      break;
    case SalesGroup::kPizza:
      key = "pizza_name";
      break;
    case SalesGroup::kCategory:
      key = "category";
      break;
    case SalesGroup::kSize:
      key = "size";
      break;
    case SalesGroup::kChannel:
      key = "channel";
      break;
  }
  // Pizzas and hours have many rows per day: whole months come from the monthly tables.
  const bool by_month = group == SalesGroup::kPizza || group == SalesGroup::kHour;
  const std::vector<PeriodRange> periods =
      by_month ? SplitByMonth(filter)
               : std::vector<PeriodRange>{{"date_id", filter.from_date_id.value_or(0),
                                           filter.to_date_id.value_or(99991231)}};
  // Rows by the key's text, or by its number for hours; parts over disjoint dates add up.
  std::map<std::pair<int64_t, std::string>, SalesFigures> merged;
  for (const PeriodRange& period : periods) {
    const bool monthly = std::string_view(period.column) == "month_id";
    const char* grain = group == SalesGroup::kHour ? (monthly ? "monthly_hourly" : "hourly")
                        : monthly                  ? "monthly_pizza"
                                                   : "daily";
    const AggSelection s = Select(filter, grain, period, group == SalesGroup::kCategory,
                                  group == SalesGroup::kSize, group == SalesGroup::kPizza);
    ARROW_ASSIGN_OR_RAISE(
        QueryResult r,
        wh.Query(fmt::format("SELECT {0}, {1} FROM pizza_sales.{2} WHERE {3} GROUP BY {0}", key,
                             kMeasures, s.table, s.where),
                 s.params));
    for (const auto& row : r.rows) {
      const bool numeric = std::holds_alternative<int64_t>(row[0]);
      Add(merged[{numeric ? AsInt(row[0]) : 0, numeric ? "" : AsText(row[0])}], FiguresAt(row, 1));
    }
  }
  std::erase_if(merged, [](const auto& e) { return e.second.lines <= 0; });

  std::vector<SalesGroupRow> rows;
  rows.reserve(merged.size());
  if (group == SalesGroup::kWeekday) {
    std::array<SalesFigures, 8> by_weekday{};
    std::array<bool, 8> seen{};
    for (const auto& [k, figures] : merged) {
      const int wd = IsoWeekdayOf(k.first);
      Add(by_weekday[wd], figures);
      seen[wd] = true;
    }
    for (int wd = 1; wd <= 7; ++wd) {
      if (seen[wd]) rows.push_back({kWeekdays[wd], by_weekday[wd]});
    }
    return rows;
  }
  for (const auto& [k, figures] : merged) {
    std::string text;
    if (group == SalesGroup::kDay) {
      text = FormatDateId(static_cast<int32_t>(k.first));
    } else if (group == SalesGroup::kMonth) {
      text = fmt::format("{:04d}-{:02d}", k.first / 100, k.first % 100);
    } else if (group == SalesGroup::kHour) {
      text = std::to_string(k.first);
    } else {
      text = k.second;
    }
    rows.push_back({std::move(text), figures});
  }
  if (group == SalesGroup::kSize) {
    std::stable_sort(rows.begin(), rows.end(), [](const SalesGroupRow& a, const SalesGroupRow& b) {
      return SizeRank(a.key) < SizeRank(b.key);
    });
  }
  return rows;
}

std::string TopPizzaByRevenue(const std::vector<SalesGroupRow>& pizza_rows) {
  const SalesGroupRow* top = nullptr;
  for (const auto& row : pizza_rows) {
    if (top == nullptr || row.figures.revenue_cents > top->figures.revenue_cents ||
        (row.figures.revenue_cents == top->figures.revenue_cents && row.key < top->key)) {
      top = &row;
    }
  }
  return top ? top->key : "";
}

warehouse::KpiFigures KpiFiguresOf(const SalesTotals& totals,
                                   const std::vector<SalesGroupRow>& pizza_rows) {
  warehouse::KpiFigures k;
  k.revenue_cents = totals.figures.revenue_cents;
  k.orders = totals.figures.orders;
  k.pizzas = totals.figures.quantity;
  k.order_days = totals.order_days;
  k.fact_rows = totals.figures.lines;
  k.top_pizza = TopPizzaByRevenue(pizza_rows);
  return k;
}

Result<warehouse::KpiFigures> QueryKpi(Warehouse& wh, const SalesFilter& filter) {
  ARROW_ASSIGN_OR_RAISE(SalesTotals totals, QuerySalesTotals(wh, filter));
  ARROW_ASSIGN_OR_RAISE(auto pizzas, QuerySalesByGroup(wh, SalesGroup::kPizza, filter));
  return KpiFiguresOf(totals, pizzas);
}

}  // namespace pizzastream::serve
