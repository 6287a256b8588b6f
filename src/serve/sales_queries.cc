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

// The aggregate rows one request reads: a table, a level and the WHERE clause with its
// parameters.
struct AggSelection {
  const char* table = "agg_sales_daily";
  std::string where;
  std::vector<SqlParam> params;
};

AggSelection Select(const SalesFilter& f, bool hourly, bool by_category, bool by_size,
                    bool by_pizza) {
  AggSelection s;
  if (hourly) s.table = "agg_sales_hourly";
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
  if (!hourly && !by_pizza) s.where += " AND pizza_name = ''";
  s.where += " AND date_id >= " + bind(int64_t{f.from_date_id.value_or(0)});
  s.where += " AND date_id <= " + bind(int64_t{f.to_date_id.value_or(99991231)});
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
  AggSelection s = Select(filter, false, false, false, false);
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
  AggSelection s = Select(filter, group == SalesGroup::kHour, group == SalesGroup::kCategory,
                          group == SalesGroup::kSize, group == SalesGroup::kPizza);
  ARROW_ASSIGN_OR_RAISE(
      QueryResult r,
      wh.Query(fmt::format("SELECT {0}, {1} FROM pizza_sales.{2} WHERE {3} GROUP BY {0} "
                           "HAVING SUM(lines) > 0 ORDER BY {0}",
                           key, kMeasures, s.table, s.where),
               s.params));
  std::vector<SalesGroupRow> rows;
  rows.reserve(r.rows.size());
  if (group == SalesGroup::kWeekday) {
    std::array<SalesFigures, 8> by_weekday{};
    std::array<bool, 8> seen{};
    for (const auto& row : r.rows) {
      const int wd = IsoWeekdayOf(AsInt(row[0]));
      Add(by_weekday[wd], FiguresAt(row, 1));
      seen[wd] = true;
    }
    for (int wd = 1; wd <= 7; ++wd) {
      if (seen[wd]) rows.push_back({kWeekdays[wd], by_weekday[wd]});
    }
    return rows;
  }
  for (const auto& row : r.rows) {
    std::string k;
    if (group == SalesGroup::kDay) {
      k = FormatDateId(static_cast<int32_t>(AsInt(row[0])));
    } else if (group == SalesGroup::kMonth) {
      const int64_t ym = AsInt(row[0]);
      k = fmt::format("{:04d}-{:02d}", ym / 100, ym % 100);
    } else {
      k = AsText(row[0]);
    }
    rows.push_back({std::move(k), FiguresAt(row, 1)});
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

}  // namespace pizzastream::serve
