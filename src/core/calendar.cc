#include "core/calendar.h"

namespace pizzastream {

namespace {
using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;
}  // namespace

bool IsRealDate(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}
      .ok();
}

EpochDay ToEpochDay(CivilDate d) {
  const sys_days sd = year_month_day{year{d.year}, month{static_cast<unsigned>(d.month)},
                                     day{static_cast<unsigned>(d.day)}};
  return static_cast<EpochDay>(sd.time_since_epoch().count());
}

CivilDate FromEpochDay(EpochDay epoch_day) {
  const year_month_day ymd{sys_days{days{epoch_day}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int IsoWeekday(EpochDay epoch_day) {
  return static_cast<int>(std::chrono::weekday{sys_days{days{epoch_day}}}.iso_encoding());
}

int IsoWeekOfYear(EpochDay epoch_day) {
  // The Thursday of this ISO week decides the ISO year; count weeks from that year's first one.
  const EpochDay thursday = epoch_day - IsoWeekday(epoch_day) + 4;
  const int iso_year = FromEpochDay(thursday).year;
  const EpochDay jan1 = ToEpochDay({iso_year, 1, 1});
  return (thursday - jan1) / 7 + 1;
}

std::string_view WeekdayName(int iso_weekday) {
  static constexpr std::string_view kNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                "Friday", "Saturday", "Sunday"};
  if (iso_weekday < 1 || iso_weekday > 7) return "";
  return kNames[iso_weekday - 1];
}

namespace {
// Writes `value` as `width` decimal digits (leading zeros) at `out`.
void PutDigits(int value, int width, char* out) {
  for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}
}  // namespace

std::string_view FormatIsoDate(CivilDate date, char (&out)[10]) {
  PutDigits(date.year < 0 ? 0 : (date.year > 9999 ? 9999 : date.year), 4, out);
  out[4] = out[7] = '-';
  PutDigits(date.month, 2, out + 5);
  PutDigits(date.day, 2, out + 8);
  return {out, 10};
}

std::string_view FormatYearMonth(int year, int month, char (&out)[7]) {
  PutDigits(year < 0 ? 0 : (year > 9999 ? 9999 : year), 4, out);
  out[4] = '-';
  PutDigits(month, 2, out + 5);
  return {out, 7};
}

std::string_view FormatTimeOfDay(int32_t seconds_of_day, char (&out)[8]) {
  PutDigits(seconds_of_day / 3600 % 100, 2, out);
  out[2] = out[5] = ':';
  PutDigits(seconds_of_day / 60 % 60, 2, out + 3);
  PutDigits(seconds_of_day % 60, 2, out + 6);
  return {out, 8};
}

}  // namespace pizzastream
