// Per-day pre-rolled figures of the dashboard's in-memory view (serve/sales_view.h): for each
// day, the figures of its lines per order channel, per hour, per pizza category, per size and
// per pizza (category, name), with distinct orders counted exactly as a scan of the lines counts
// them (per (order, day, channel) — and hour for the hourly rollup). An order belongs to one day,
// so orders add up across days within one slot: a call whose slicers touch at most the rollup's
// own attribute (and any date range) is answered by summing days x slots instead of scanning
// millions of lines (serve/sales_queries.cc falls back to the lines otherwise).
//
// Built in one pass over the view's lines by the refresher and replaced whole; immutable once
// built, so any number of readers may share it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "serve/sales_view.h"

namespace pizzastream::serve {

// The figures the dashboard shows for a set of lines.
struct SalesFigures {
  int64_t revenue_cents = 0;
  int64_t orders = 0;    // distinct orders with at least one matching line
  int64_t quantity = 0;  // pizzas sold
  int64_t lines = 0;     // fact rows
};

// A dense slot per distinct text of a pizza attribute (slots in first-seen order over the
// pizza indexes), and the slot of each pizza index.
struct PizzaSlotMap {
  std::vector<uint32_t> of_pizza;
  std::vector<std::string> texts;
};

enum class PizzaAttribute { kCategory, kSize, kVariant };  // variant: category '\0' name
PizzaSlotMap PizzaSlotsOf(const SalesData& d, PizzaAttribute attribute);

struct DayRollup {
  size_t slots = 0;
  std::vector<SalesFigures> cells;  // [day * slots + slot]
};

struct SalesRollups {
  DayRollup all;      // one slot
  DayRollup channel;  // slot = channel index
  DayRollup hour;     // slot = hour, orders per (order, day, channel, hour)
  DayRollup category, size, variant;
  PizzaSlotMap categories, sizes, variants;
  // Where each day's lines lie in the view: all of them in [first, end) (other days' lines may
  // lie in between), so a scan under a date range reads only the span of the days it keeps.
  std::vector<size_t> day_first, day_end;
};

std::shared_ptr<const SalesRollups> BuildRollups(const SalesData& d);

}  // namespace pizzastream::serve
