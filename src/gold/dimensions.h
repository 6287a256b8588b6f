// How the gold dimensions are derived from a typed order line (gold contract in
// docs/data-model.md), and the pizza surrogate keys (PizzaKeys).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/calendar.h"
#include "core/status.h"

namespace pizzastream::gold {

struct DateAttributes {
  int32_t date_id;  // yyyymmdd
  int32_t day, month, year, quarter, week_of_year, weekday_num;
  std::string_view weekday_name;
};
DateAttributes DeriveDate(EpochDay day);

// time_id = HHmm of a time of day given in seconds since midnight.
int32_t TimeId(int32_t seconds_of_day);
// Breakfast 5-10, Lunch 11-15, Dinner 16-21, Late-night otherwise (by hour).
std::string_view Timeslot(int hour);

// The key a new pizza_name_id gets: the low 53 bits of XXH3-64 of its bytes, stable across
// runs, machines and versions (XXH3's output is fixed by its spec); 53 bits stay exact in
// every JSON/JavaScript/BI reader that holds numbers as doubles. Lakes made before this key
// keep their crc32 keys: PizzaKeys takes every existing key from dim_pizza.
int64_t PizzaSurrogateKey(std::string_view pizza_name_id);

// The pizza_sk of every pizza_name_id, as persisted in dim_pizza. A key is never shared by two
// pizza_name_ids: an id keeps the key dim_pizza gives it; a new id gets PizzaSurrogateKey(id)
// unless another id already has that key, which fails loudly (naming both) instead of merging
// two pizzas. Not thread-safe; lookups of known ids allocate nothing.
class PizzaKeys {
 public:
  // Records a dim_pizza row. Fails if the key or the id is already recorded with another
  // partner (dim_pizza is then corrupt).
  Status Add(int64_t key, std::string_view pizza_name_id);
  // Sets *key to the key of `pizza_name_id`; *is_new is true when the id had none (it is then
  // recorded, and the caller writes its dim_pizza row).
  Status KeyFor(std::string_view pizza_name_id, int64_t* key, bool* is_new);
  void Clear();
  size_t size() const { return by_id_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> by_id_;
  std::unordered_map<int64_t, std::string> by_key_;
};
// pizza_name_id without its size suffix: "thai_ckn_l" -> "thai_ckn"; unchanged if the
// suffix is not "_" + the size (case-insensitive).
std::string_view PizzaBaseId(std::string_view pizza_name_id, std::string_view size);

}  // namespace pizzastream::gold
