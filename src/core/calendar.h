// Calendar arithmetic for order dates and times, on std::chrono's civil calendar.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace pizzastream {

// How a date written with separators is read: 1/2/2015 is 1 February (day first) or
// January 2 (month first). ISO yyyy-MM-dd is unambiguous either way.
enum class DateOrder { kDayFirst, kMonthFirst };

// Days since 1970-01-01 (Arrow date32).
using EpochDay = int32_t;

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
};

// REQUIRES: d is a real calendar date.
EpochDay ToEpochDay(CivilDate d);
CivilDate FromEpochDay(EpochDay day);
// ISO 8601: Monday = 1 .. Sunday = 7.
int IsoWeekday(EpochDay day);
// ISO 8601 week number (1..53): the week with the year's first Thursday is week 1.
int IsoWeekOfYear(EpochDay day);
// "Monday" .. "Sunday" for 1..7.
std::string_view WeekdayName(int iso_weekday);
bool IsRealDate(int year, int month, int day);

}  // namespace pizzastream
