// Parsers for the text fields of an order line. Each returns false on anything it cannot
// read exactly; none allocates. Leading/trailing ASCII blanks are ignored.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/calendar.h"

namespace pizzastream::silver {

// A whole number, also written as "1.00" (zeros after the point only). No sign, no exponent.
bool ParseWholeNumber(std::string_view text, int64_t* out);
// A non-negative decimal with at most 2 decimals, in cents: "13.25" -> 1325, "9" -> 900.
bool ParseCents(std::string_view text, int64_t* out);
// d/M/yyyy, d-M-yyyy, d.M.yyyy (day first unless `order` says month first) or ISO yyyy-MM-dd.
// Fails on dates that are not real calendar days (31/02/2015).
bool ParseDate(std::string_view text, DateOrder order, EpochDay* out);
// H:MM:SS or H:MM (24 h) -> seconds since midnight.
bool ParseTimeOfDay(std::string_view text, int32_t* seconds_out);

// `text` without leading/trailing spaces, tabs and carriage returns. Inline: it runs on every
// field of every line, and most fields have no blanks to trim.
inline bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
inline std::string_view TrimBlanks(std::string_view text) {
  if (text.empty() || (!IsBlank(text.front()) && !IsBlank(text.back()))) return text;
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace pizzastream::silver
