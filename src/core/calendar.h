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

// The one way dates and times are written as text. Each writes into the caller's buffer and
// returns a view of it (no allocation: silver calls them per row).
// ISO 8601 "yyyy-mm-dd" (years clamped to 0..9999).
std::string_view FormatIsoDate(CivilDate date, char (&out)[10]);
// "yyyy-mm" of a year and month.
std::string_view FormatYearMonth(int year, int month, char (&out)[7]);
// The star schema's date key (docs/data-model.md, dim_date.date_id): yyyymmdd as an integer,
// 2015-01-01 -> 20150101; and back.
constexpr int32_t DateId(CivilDate d) { return d.year * 10000 + d.month * 100 + d.day; }
constexpr CivilDate CivilOfDateId(int64_t date_id) {
  return {static_cast<int>(date_id / 10000), static_cast<int>(date_id / 100 % 100),
          static_cast<int>(date_id % 100)};
}

// "HH:MM:SS" of seconds since midnight (0..86399).
std::string_view FormatTimeOfDay(int32_t seconds_of_day, char (&out)[8]);

// An order's moment as Arrow/Delta timestamps hold it: microseconds since the epoch of `day`
// at `seconds_of_day` (the source's local time, stored as UTC), and back.
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
constexpr int64_t TimestampMicros(EpochDay day, int32_t seconds_of_day) {
  return (int64_t{day} * 86400 + seconds_of_day) * 1000000;
}
constexpr int32_t SecondsOfDay(int64_t timestamp_micros) {
  const int64_t in_day = timestamp_micros % kMicrosPerDay;
  return static_cast<int32_t>((in_day < 0 ? in_day + kMicrosPerDay : in_day) / 1000000);
}

}  // namespace pizzastream
