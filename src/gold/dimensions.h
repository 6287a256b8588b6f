// How the gold dimensions are derived from a typed order line (gold contract in
// ../shared/design/pipeline.md).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/calendar.h"

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

// crc32 (zlib, IEEE) of the pizza_name_id bytes.
int64_t PizzaSurrogateKey(std::string_view pizza_name_id);
// pizza_name_id without its size suffix: "thai_ckn_l" -> "thai_ckn"; unchanged if the
// suffix is not "_" + the size (case-insensitive).
std::string_view PizzaBaseId(std::string_view pizza_name_id, std::string_view size);

}  // namespace pizzastream::gold
