#include "gold/dimensions.h"

#include <zlib.h>

#include <cctype>

namespace pizzastream::gold {

DateAttributes DeriveDate(EpochDay day) {
  const CivilDate d = FromEpochDay(day);
  const int weekday = IsoWeekday(day);
  return {d.year * 10000 + d.month * 100 + d.day,
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
  return static_cast<int64_t>(crc32(0L, reinterpret_cast<const Bytef*>(pizza_name_id.data()),
                                    static_cast<uInt>(pizza_name_id.size())));
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
