#include "serve/sales_rollup.h"

#include <algorithm>
#include <map>

namespace pizzastream::serve {
namespace {

// Counts a rollup's orders: the tuple each slot last counted (a tuple has a single day).
struct Counter {
  DayRollup* rollup;
  std::vector<uint64_t> counted;
};

void Init(DayRollup* r, size_t days, size_t slots, std::vector<Counter>* counters) {
  r->slots = slots;
  r->cells.assign(days * slots, SalesFigures{});
  counters->push_back({r, std::vector<uint64_t>(slots, UINT64_MAX)});
}

void AddLine(Counter& c, const SalesLine& l, size_t slot, uint64_t tuple) {
  SalesFigures& f = c.rollup->cells[l.day * c.rollup->slots + slot];
  f.revenue_cents += l.cents;
  f.quantity += l.quantity;
  ++f.lines;
  if (c.counted[slot] != tuple) {
    c.counted[slot] = tuple;
    ++f.orders;
  }
}

}  // namespace

PizzaSlotMap PizzaSlotsOf(const SalesData& d, PizzaAttribute attribute) {
  PizzaSlotMap out;
  std::map<std::string, uint32_t> ids;
  for (const auto& p : d.pizzas) {
    std::string text = attribute == PizzaAttribute::kCategory ? p.category
                       : attribute == PizzaAttribute::kSize   ? p.size
                                                              : p.category + '\0' + p.name;
    auto [it, added] = ids.try_emplace(std::move(text), static_cast<uint32_t>(out.texts.size()));
    if (added) out.texts.push_back(it->first);
    out.of_pizza.push_back(it->second);
  }
  return out;
}

std::shared_ptr<const SalesRollups> BuildRollups(const SalesData& d) {
  auto r = std::make_shared<SalesRollups>();
  r->categories = PizzaSlotsOf(d, PizzaAttribute::kCategory);
  r->sizes = PizzaSlotsOf(d, PizzaAttribute::kSize);
  r->variants = PizzaSlotsOf(d, PizzaAttribute::kVariant);
  uint8_t max_hour = 0;
  for (const SalesLine& l : d.lines) max_hour = std::max(max_hour, l.hour);
  const size_t days = d.date_ids.size();
  std::vector<Counter> c;  // all, channel, category, size, variant, hour
  c.reserve(6);
  Init(&r->all, days, 1, &c);
  Init(&r->channel, days, d.channels.size(), &c);
  Init(&r->category, days, r->categories.texts.size(), &c);
  Init(&r->size, days, r->sizes.texts.size(), &c);
  Init(&r->variant, days, r->variants.texts.size(), &c);
  Init(&r->hour, days, size_t{max_hour} + 1, &c);
  r->day_first.assign(days, d.lines.size());
  r->day_end.assign(days, 0);
  for (size_t i = 0; i < d.lines.size(); ++i) {
    const uint32_t day = d.lines[i].day;
    r->day_first[day] = std::min(r->day_first[day], i);
    r->day_end[day] = i + 1;
  }
  uint64_t tuple = 0, hourly = 0;
  const SalesLine* prev = nullptr;
  for (const SalesLine& l : d.lines) {
    const bool same = prev != nullptr && l.order_id == prev->order_id && l.day == prev->day &&
                      l.channel == prev->channel;
    if (!same) ++tuple;
    if (!same || l.hour != prev->hour) ++hourly;
    prev = &l;
    AddLine(c[0], l, 0, tuple);
    AddLine(c[1], l, l.channel, tuple);
    AddLine(c[2], l, r->categories.of_pizza[l.pizza], tuple);
    AddLine(c[3], l, r->sizes.of_pizza[l.pizza], tuple);
    AddLine(c[4], l, r->variants.of_pizza[l.pizza], tuple);
    AddLine(c[5], l, l.hour, hourly);
  }
  return r;
}

}  // namespace pizzastream::serve
