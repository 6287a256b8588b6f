#include "serve/sales_queries.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <string_view>

#include "core/calendar.h"

namespace pizzastream::serve {
namespace {

// Which lines a filter keeps, per dictionary entry.
struct Masks {
  std::vector<uint8_t> day, pizza, channel;
};

Masks MasksOf(const SalesData& d, const SalesFilter& f) {
  Masks m;
  const int32_t lo = f.from_date_id.value_or(INT32_MIN);
  const int32_t hi = f.to_date_id.value_or(INT32_MAX);
  m.day.reserve(d.date_ids.size());
  for (int32_t id : d.date_ids) m.day.push_back(id >= lo && id <= hi);
  m.pizza.reserve(d.pizzas.size());
  for (const auto& p : d.pizzas) {
    m.pizza.push_back((!f.category || p.category == *f.category) && (!f.size || p.size == *f.size));
  }
  m.channel.reserve(d.channels.size());
  for (const auto& c : d.channels) m.channel.push_back(!f.channel || c == *f.channel);
  return m;
}

// Sums the matching lines into slots[slot_of(line)]. An order counts once per slot for each
// (order, day, channel) — and hour, when `hourly` — it has matching lines in: the lines of one
// such tuple are adjacent in the view, so a tuple number and the last one counted per slot do.
template <bool kHourly, typename SlotOf>
void Accumulate(const SalesData& d, const Masks& m, size_t slots, SlotOf slot_of,
                std::vector<SalesFigures>* out) {
  out->assign(slots, SalesFigures{});
  std::vector<uint64_t> counted(slots, UINT64_MAX);
  uint64_t tuple = 0;
  const SalesLine* prev = nullptr;
  for (const SalesLine& l : d.lines) {
    if (prev == nullptr || l.order_id != prev->order_id || l.day != prev->day ||
        l.channel != prev->channel || (kHourly && l.hour != prev->hour)) {
      ++tuple;
    }
    prev = &l;
    if (!(m.day[l.day] & m.pizza[l.pizza] & m.channel[l.channel])) continue;
    const size_t slot = slot_of(l);
    SalesFigures& f = (*out)[slot];
    f.revenue_cents += l.cents;
    f.quantity += l.quantity;
    ++f.lines;
    if (counted[slot] != tuple) {
      counted[slot] = tuple;
      ++f.orders;
    }
  }
}

void Add(SalesFigures& into, const SalesFigures& f) {
  into.revenue_cents += f.revenue_cents;
  into.orders += f.orders;
  into.quantity += f.quantity;
  into.lines += f.lines;
}

// A dense id for each distinct text of pizza attribute `attribute` (per pizza index), and the
// texts.
template <typename Attribute>
std::vector<uint32_t> PizzaSlots(const SalesData& d, Attribute attribute,
                                 std::vector<std::string>* texts) {
  std::map<std::string, uint32_t> ids;
  std::vector<uint32_t> slots;
  for (const auto& p : d.pizzas) {
    auto [it, added] = ids.try_emplace(attribute(p), static_cast<uint32_t>(texts->size()));
    if (added) texts->push_back(it->first);
    slots.push_back(it->second);
  }
  return slots;
}

// Rows keyed by text, in text order (std::map), without empty groups.
std::vector<SalesGroupRow> ByText(const std::vector<std::string>& texts,
                                  const std::vector<SalesFigures>& figures,
                                  const std::vector<std::string>* output_keys = nullptr) {
  std::map<std::string, SalesFigures> merged;
  for (size_t i = 0; i < figures.size(); ++i) {
    if (figures[i].lines <= 0) continue;
    Add(merged[output_keys ? (*output_keys)[i] : texts[i]], figures[i]);
  }
  std::vector<SalesGroupRow> rows;
  for (auto& [key, f] : merged) rows.push_back({key, f});
  return rows;
}

int SizeRank(const std::string& size) {
  static constexpr std::array<std::string_view, 5> kSizes = {"S", "M", "L", "XL", "XXL"};
  auto it = std::find(kSizes.begin(), kSizes.end(), size);
  return static_cast<int>(it - kSizes.begin());
}

int IsoWeekdayOf(int32_t date_id) {
  return IsoWeekday(ToEpochDay({date_id / 10000, date_id / 100 % 100, date_id % 100}));
}

// Figures per day index.
std::vector<SalesFigures> ByDay(const SalesData& d, const SalesFilter& f) {
  std::vector<SalesFigures> days;
  Accumulate<false>(
      d, MasksOf(d, f), d.date_ids.size(), [](const SalesLine& l) { return l.day; }, &days);
  return days;
}

// Figures by a numeric key (date_id, month, weekday), in key order, without empty groups.
template <typename KeyOf>
std::map<int64_t, SalesFigures> FoldDays(const SalesData& d, const std::vector<SalesFigures>& days,
                                         KeyOf key_of) {
  std::map<int64_t, SalesFigures> out;
  for (size_t i = 0; i < days.size(); ++i) {
    if (days[i].lines > 0) Add(out[key_of(d.date_ids[i])], days[i]);
  }
  return out;
}

}  // namespace

SalesTotals SalesTotalsOf(const SalesData& d, const SalesFilter& filter) {
  SalesTotals totals;
  for (const SalesFigures& day : ByDay(d, filter)) {
    if (day.lines <= 0) continue;
    Add(totals.figures, day);
    ++totals.order_days;
  }
  return totals;
}

std::vector<SalesGroupRow> SalesByGroup(const SalesData& d, SalesGroup group,
                                        const SalesFilter& filter) {
  std::vector<SalesGroupRow> rows;
  switch (group) {
    case SalesGroup::kDay:
    case SalesGroup::kMonth:
    case SalesGroup::kWeekday: {
      const auto days = ByDay(d, filter);
      if (group == SalesGroup::kDay) {
        for (const auto& [id, f] : FoldDays(d, days, [](int32_t id) { return id; }))
          rows.push_back({FormatDateId(static_cast<int32_t>(id)), f});
      } else if (group == SalesGroup::kMonth) {
        for (const auto& [ym, f] : FoldDays(d, days, [](int32_t id) { return id / 100; })) {
          char text[7];
          rows.push_back({std::string(FormatYearMonth(static_cast<int>(ym / 100),
                                                      static_cast<int>(ym % 100), text)),
                          f});
        }
      } else {
        for (const auto& [wd, f] : FoldDays(d, days, [](int32_t id) { return IsoWeekdayOf(id); }))
          rows.push_back({std::string(WeekdayName(static_cast<int>(wd))), f});
      }
      return rows;
    }
    case SalesGroup::kHour: {
      std::vector<SalesFigures> hours;
      Accumulate<true>(
          d, MasksOf(d, filter), 256, [](const SalesLine& l) { return l.hour; }, &hours);
      for (size_t h = 0; h < hours.size(); ++h) {
        if (hours[h].lines > 0) rows.push_back({std::to_string(h), hours[h]});
      }
      return rows;
    }
    case SalesGroup::kChannel: {
      std::vector<SalesFigures> channels;
      Accumulate<false>(
          d, MasksOf(d, filter), d.channels.size(), [](const SalesLine& l) { return l.channel; },
          &channels);
      return ByText(d.channels, channels);
    }
    case SalesGroup::kPizza: {
      // Orders are distinct per (category, name); names in two categories add up.
      std::vector<std::string> variants, names;
      const auto slots = PizzaSlots(
          d, [](const PizzaAttributes& p) { return p.category + '\0' + p.name; }, &variants);
      for (const auto& v : variants) names.push_back(v.substr(v.find('\0') + 1));
      std::vector<SalesFigures> figures;
      Accumulate<false>(
          d, MasksOf(d, filter), variants.size(),
          [&](const SalesLine& l) { return slots[l.pizza]; }, &figures);
      return ByText(variants, figures, &names);
    }
    case SalesGroup::kCategory:
    case SalesGroup::kSize: {
      std::vector<std::string> texts;
      const bool by_size = group == SalesGroup::kSize;
      const auto slots = PizzaSlots(
          d, [&](const PizzaAttributes& p) { return by_size ? p.size : p.category; }, &texts);
      std::vector<SalesFigures> figures;
      Accumulate<false>(
          d, MasksOf(d, filter), texts.size(), [&](const SalesLine& l) { return slots[l.pizza]; },
          &figures);
      rows = ByText(texts, figures);
      if (by_size) {
        std::stable_sort(rows.begin(), rows.end(),
                         [](const SalesGroupRow& a, const SalesGroupRow& b) {
                           return SizeRank(a.key) < SizeRank(b.key);
                         });
      }
      return rows;
    }
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

warehouse::KpiFigures KpiOf(const SalesData& data, const SalesFilter& filter) {
  return KpiFiguresOf(SalesTotalsOf(data, filter), SalesByGroup(data, SalesGroup::kPizza, filter));
}

}  // namespace pizzastream::serve
