// The real menu of the public "Pizza Place Sales" data set (32 pizza types, 91 items = type x
// size) and how the shop sells over a day, a week and an order, as measured on its 2015 sales
// (48,620 order lines, 21,350 orders on 358 days). The synthetic generator draws from these
// tables; anything else that needs the menu (a catalog check, a demo) may read them too.
// All data is immutable and static: safe to read from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace pizzastream::sources {

inline constexpr int kPizzaTypeCount = 32;
inline constexpr int kMenuItemCount = 91;

enum class PizzaCategory : uint8_t { kClassic, kChicken, kSupreme, kVeggie };

// "Classic", "Chicken", "Supreme" or "Veggie", as the data set spells it.
std::string_view CategoryName(PizzaCategory category);

// A pizza type, e.g. {"hawaiian", "The Hawaiian Pizza", kClassic, "Sliced Ham, ..."}.
struct PizzaType {
  std::string_view base_id;  // pizza_name_id without the size suffix
  std::string_view name;     // pizza_name; may contain commas
  PizzaCategory category;
  std::string_view ingredients;  // UTF-8; one contains U+2018 ('Nduja)
};

// One orderable item: a type in a size, e.g. "hawaiian_m" at 13.25.
struct MenuItem {
  std::string_view pizza_name_id;
  int type;               // index into PizzaTypes()
  std::string_view size;  // S, M, L, XL, XXL
  int64_t unit_price_cents;
  int64_t lines_2015;  // order lines of this item in 2015: its popularity weight
};

// The 32 pizza types, sorted by base_id.
std::span<const PizzaType> PizzaTypes();
// The 91 menu items, grouped by type (in PizzaTypes() order), sizes ascending.
std::span<const MenuItem> MenuItems();
// The item with this pizza_name_id, or nullptr.
const MenuItem* FindMenuItem(std::string_view pizza_name_id);

// How the shop sells, measured on the 2015 data set. Each table is a set of weights (counts);
// the generator normalizes them.
struct SalesProfile {
  // Orders placed in each hour of the day (0..23); the shop takes orders ~9-23 and peaks at
  // lunch (12-13) and dinner (17-19).
  std::array<int64_t, 24> orders_by_hour;
  // Mean orders per open day for each weekday, Monday first, in hundredths (Friday is busiest).
  std::array<int64_t, 7> orders_per_day_by_weekday_x100;
  // Orders with n lines at index n (index 0 unused); mean 2.28 lines per order.
  std::array<int64_t, 22> orders_by_line_count;
  // Lines with quantity q at index q (index 0 unused); mostly 1, mean 1.02.
  std::array<int64_t, 5> lines_by_quantity;
  // Orders per open day over the year, in hundredths (21,350 orders / 358 days = 59.64).
  int64_t orders_per_day_x100;
};

const SalesProfile& PizzaPlaceSalesProfile();

}  // namespace pizzastream::sources
