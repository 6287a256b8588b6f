#include "gold/dimensions.h"

#define XXH_INLINE_ALL
#include <arrow/vendored/xxhash.h>

#include <cctype>
#include <cstdint>

namespace pizzastream::gold {

DateAttributes DeriveDate(EpochDay day) {
  const CivilDate d = FromEpochDay(day);
  const int weekday = IsoWeekday(day);
  return {DateId(d),
          d.day,
          d.month,
          d.year,
          (d.month - 1) / 3 + 1,
          IsoWeekOfYear(day),
          weekday,
          WeekdayName(weekday)};
}

int32_t TimeId(int32_t seconds_of_day) {
  return seconds_of_day / 3600 * 100 + seconds_of_day / 60 % 60;
}

std::string_view Timeslot(int hour) {
  if (hour >= 5 && hour <= 10) return "Breakfast";
  if (hour >= 11 && hour <= 15) return "Lunch";
  if (hour >= 16 && hour <= 21) return "Dinner";
  return "Late-night";
}

int64_t PizzaSurrogateKey(std::string_view pizza_name_id) {
  constexpr uint64_t kLow53Bits = (uint64_t{1} << 53) - 1;
  return static_cast<int64_t>(XXH3_64bits(pizza_name_id.data(), pizza_name_id.size()) & kLow53Bits);
}

Status PizzaKeys::Add(int64_t key, std::string_view pizza_name_id) {
  if (auto it = by_id_.find(pizza_name_id); it != by_id_.end()) {
    if (it->second == key) return Status::OK();
    return Status::Invalid("gold/dim_pizza is corrupt: pizza_name_id '", pizza_name_id,
                           "' has two keys, ", it->second, " and ", key);
  }
  if (auto it = by_key_.find(key); it != by_key_.end()) {
    return Status::Invalid("gold/dim_pizza is corrupt: pizza_sk ", key, " is given to both '",
                           it->second, "' and '", pizza_name_id, "'");
  }
  by_id_.emplace(std::string(pizza_name_id), key);
  by_key_.emplace(key, std::string(pizza_name_id));
  return Status::OK();
}

Status PizzaKeys::KeyFor(std::string_view pizza_name_id, int64_t* key, bool* is_new) {
  if (auto it = by_id_.find(pizza_name_id); it != by_id_.end()) {
    *key = it->second;
    *is_new = false;
    return Status::OK();
  }
  const int64_t candidate = PizzaSurrogateKey(pizza_name_id);
  if (auto it = by_key_.find(candidate); it != by_key_.end()) {
    return Status::Invalid("pizza_sk collision: '", pizza_name_id, "' hashes to ", candidate,
                           ", the key of '", it->second,
                           "' in gold/dim_pizza; refusing to merge two pizzas");
  }
  ARROW_RETURN_NOT_OK(Add(candidate, pizza_name_id));
  *key = candidate;
  *is_new = true;
  return Status::OK();
}

void PizzaKeys::Clear() {
  by_id_.clear();
  by_key_.clear();
}

std::string_view PizzaBaseId(std::string_view id, std::string_view size) {
  if (id.size() <= size.size() + 1 || id[id.size() - size.size() - 1] != '_') return id;
  const std::string_view suffix = id.substr(id.size() - size.size());
  for (size_t i = 0; i < size.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(suffix[i])) !=
        std::tolower(static_cast<unsigned char>(size[i]))) {
      return id;
    }
  }
  return id.substr(0, id.size() - size.size() - 1);
}

}  // namespace pizzastream::gold
