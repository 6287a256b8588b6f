#include "serve/sales_queries.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

#include "core/calendar.h"

namespace pizzastream::serve {
namespace {

void Add(SalesFigures& into, const SalesFigures& f) {
  into.revenue_cents += f.revenue_cents;
  into.orders += f.orders;
  into.quantity += f.quantity;
  into.lines += f.lines;
}

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
// With rollups, only the span of the kept days' lines is read (a tuple has a single day, so each
// kept tuple lies wholly inside it).
template <bool kHourly, typename SlotOf>
void Accumulate(const SalesData& d, const Masks& m, size_t slots, SlotOf slot_of,
                std::vector<SalesFigures>* out) {
  out->assign(slots, SalesFigures{});
  std::vector<uint64_t> counted(slots, UINT64_MAX);
  uint64_t tuple = 0;
  const SalesLine* prev = nullptr;
  size_t first = 0, end = d.lines.size();
  if (const SalesRollups* r = d.rollups.get()) {
    first = d.lines.size();
    end = 0;
    for (size_t day = 0; day < m.day.size(); ++day) {
      if (!m.day[day]) continue;
      first = std::min(first, r->day_first[day]);
      end = std::max(end, r->day_end[day]);
    }
  }
  for (size_t i = first; i < end; ++i) {
    const SalesLine& l = d.lines[i];
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

// Sums a rollup's cells of the days and slots kept: per day (`by_day`) or per slot.
std::vector<SalesFigures> Fold(const DayRollup& r, const std::vector<uint8_t>& days,
                               const std::vector<uint8_t>& slots, bool by_day) {
  std::vector<SalesFigures> out(by_day ? days.size() : r.slots);
  for (size_t day = 0; day < days.size(); ++day) {
    if (!days[day]) continue;
    const SalesFigures* cells = r.cells.data() + day * r.slots;
    for (size_t slot = 0; slot < r.slots; ++slot) {
      if (slots[slot] && cells[slot].lines > 0) Add(out[by_day ? day : slot], cells[slot]);
    }
  }
  return out;
}

// Which slots of a pizza attribute the category and size slicers keep.
std::vector<uint8_t> KeptSlots(const PizzaSlotMap& map, PizzaAttribute attribute,
                               const SalesFilter& f) {
  std::vector<uint8_t> keep;
  for (const std::string& text : map.texts) {
    const std::string_view category = attribute == PizzaAttribute::kSize
                                          ? std::string_view()
                                          : std::string_view(text).substr(0, text.find('\0'));
    const bool size_ok = !f.size || (attribute == PizzaAttribute::kSize && text == *f.size);
    const bool category_ok =
        !f.category || (attribute != PizzaAttribute::kSize && category == *f.category);
    keep.push_back(size_ok && category_ok);
  }
  return keep;
}

std::vector<uint8_t> AllSlots(size_t n) { return std::vector<uint8_t>(n, 1); }

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

int IsoWeekdayOf(int64_t date_id) { return IsoWeekday(ToEpochDay(CivilOfDateId(date_id))); }

// The date_id of the Monday of date_id's ISO week.
int32_t MondayOf(int64_t date_id) {
  const EpochDay day = ToEpochDay(CivilOfDateId(date_id));
  return DateId(FromEpochDay(day - (IsoWeekday(day) - 1)));
}

// Figures per day index.
std::vector<SalesFigures> ByDay(const SalesData& d, const SalesFilter& f) {
  const Masks m = MasksOf(d, f);
  if (const SalesRollups* r = d.rollups.get()) {
    const int slicers = f.category.has_value() + f.size.has_value() + f.channel.has_value();
    if (slicers == 0) return Fold(r->all, m.day, AllSlots(1), true);
    if (slicers == 1 && f.channel) return Fold(r->channel, m.day, m.channel, true);
    if (slicers == 1 && f.category) {
      return Fold(r->category, m.day, KeptSlots(r->categories, PizzaAttribute::kCategory, f), true);
    }
    if (slicers == 1) {
      return Fold(r->size, m.day, KeptSlots(r->sizes, PizzaAttribute::kSize, f), true);
    }
  }
  std::vector<SalesFigures> days;
  Accumulate<false>(
      d, m, d.date_ids.size(), [](const SalesLine& l) { return l.day; }, &days);
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
    case SalesGroup::kWeek:
    case SalesGroup::kMonth:
    case SalesGroup::kWeekday: {
      const auto days = ByDay(d, filter);
      if (group == SalesGroup::kDay) {
        for (const auto& [id, f] : FoldDays(d, days, [](int32_t id) { return id; }))
          rows.push_back({FormatDateId(static_cast<int32_t>(id)), f});
      } else if (group == SalesGroup::kWeek) {
        for (const auto& [id, f] : FoldDays(d, days, MondayOf))
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
      const Masks m = MasksOf(d, filter);
      std::vector<SalesFigures> hours;
      if (d.rollups && !filter.category && !filter.size && !filter.channel) {
        hours = Fold(d.rollups->hour, m.day, AllSlots(d.rollups->hour.slots), false);
      } else {
        Accumulate<true>(
            d, m, 256, [](const SalesLine& l) { return l.hour; }, &hours);
      }
      for (size_t h = 0; h < hours.size(); ++h) {
        if (hours[h].lines > 0) rows.push_back({std::to_string(h), hours[h]});
      }
      return rows;
    }
    case SalesGroup::kChannel: {
      const Masks m = MasksOf(d, filter);
      std::vector<SalesFigures> channels;
      if (d.rollups && !filter.category && !filter.size) {
        channels = Fold(d.rollups->channel, m.day, m.channel, false);
      } else {
        Accumulate<false>(
            d, m, d.channels.size(), [](const SalesLine& l) { return l.channel; }, &channels);
      }
      return ByText(d.channels, channels);
    }
    case SalesGroup::kPizza:
    case SalesGroup::kCategory:
    case SalesGroup::kSize: {
      // Orders are distinct per (category, name) for pizzas; names in two categories add up.
      const bool by_size = group == SalesGroup::kSize;
      const PizzaAttribute attribute = group == SalesGroup::kPizza ? PizzaAttribute::kVariant
                                       : by_size                   ? PizzaAttribute::kSize
                                                                   : PizzaAttribute::kCategory;
      const SalesRollups* r = d.rollups.get();
      // A rollup answers when the other pizza slicer and the channel are not set (a variant
      // has one category, so the category slicer keeps whole variants).
      const bool rolled =
          r != nullptr && !filter.channel && !(by_size ? filter.category : filter.size);
      const PizzaSlotMap slots = rolled ? (by_size                                 ? r->sizes
                                           : attribute == PizzaAttribute::kVariant ? r->variants
                                                                                   : r->categories)
                                        : PizzaSlotsOf(d, attribute);
      const Masks m = MasksOf(d, filter);
      std::vector<SalesFigures> figures;
      if (rolled) {
        const DayRollup& rollup = by_size                                 ? r->size
                                  : attribute == PizzaAttribute::kVariant ? r->variant
                                                                          : r->category;
        figures = Fold(rollup, m.day, KeptSlots(slots, attribute, filter), false);
      } else {
        Accumulate<false>(
            d, m, slots.texts.size(), [&](const SalesLine& l) { return slots.of_pizza[l.pizza]; },
            &figures);
      }
      if (attribute == PizzaAttribute::kVariant) {
        std::vector<std::string> names;
        for (const auto& v : slots.texts) names.push_back(v.substr(v.find('\0') + 1));
        return ByText(slots.texts, figures, &names);
      }
      rows = ByText(slots.texts, figures);
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
