// Spelling order-line fields as a point-of-sale export writes them, into caller-owned stack
// buffers (no allocation): ids, prices from integer cents, dates in the day-first spellings of
// the public data set, times. Each returns a view of the bytes written into `buf`, which must
// hold at least 32 bytes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace pizzastream::sources {

// How an order date is spelled. kPosExport is the real file's habit: d/M/yyyy when the day is
// <= 12, else dd-MM-yyyy. The others: d/M/yyyy, dd-MM-yyyy, d.M.yyyy, yyyy-MM-dd.
enum class DateStyle : uint8_t { kPosExport, kSlash, kDash, kDot, kIso };

std::string_view WriteInt(char* buf, int64_t value);
// value / 10^decimals (decimals 2 or 3) with exactly that many digits: 1325, 2 -> "13.25".
std::string_view WriteFixed(char* buf, int64_t value, int decimals);
std::string_view WriteDate(char* buf, const std::chrono::year_month_day& ymd, DateStyle style);
// HH:MM:SS, two digits each, whatever the values (25:75:00 is written as such).
std::string_view WriteTime(char* buf, unsigned hour, unsigned minute, unsigned second);
// A date in `year` that is not on the calendar (31/02, 30-02, -02-30, 31.04) or "not a date",
// the spelling picked by `variant`.
std::string_view WriteBadDate(char* buf, int year, uint32_t variant);

}  // namespace pizzastream::sources
