#include "silver/field_parsers.h"

#include <charconv>

namespace pizzastream::silver {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads the run of digits at the start of `text` (unsigned: a run too long to use wraps, and is
// rejected by its length). Returns the run's length.
size_t LeadingDigits(std::string_view text, uint64_t* value) {
  uint64_t v = 0;
  size_t i = 0;
  for (; i < text.size() && IsDigit(text[i]); ++i)
    v = v * 10 + static_cast<uint64_t>(text[i] - '0');
  *value = v;
  return i;
}

// Parses a run of 1..max_len digits.
bool ParseDigits(std::string_view s, size_t max_len, int64_t* out) {
  uint64_t v = 0;
  if (s.empty() || s.size() > max_len || LeadingDigits(s, &v) != s.size()) return false;
  *out = static_cast<int64_t>(v);
  return true;
}

}  // namespace

// The parsers read the text once, left to right, without searching it first.

bool ParseWholeNumber(std::string_view text, int64_t* out) {
  text = TrimBlanks(text);
  uint64_t v = 0;
  const size_t digits = LeadingDigits(text, &v);
  if (digits == 0 || digits > 18) return false;
  if (digits < text.size()) {  // ".0", ".00", ... only
    if (text[digits] != '.' || digits + 1 == text.size()) return false;
    for (size_t i = digits + 1; i < text.size(); ++i) {
      if (text[i] != '0') return false;
    }
  }
  *out = static_cast<int64_t>(v);
  return true;
}

bool ParseCents(std::string_view text, int64_t* out) {
  text = TrimBlanks(text);
  uint64_t units = 0, hundredths = 0;
  const size_t digits = LeadingDigits(text, &units);
  if (digits == 0 || digits > 15) return false;
  if (digits < text.size()) {  // one or two decimals
    const std::string_view frac = text.substr(digits + 1);
    if (text[digits] != '.' || frac.empty() || frac.size() > 2 ||
        LeadingDigits(frac, &hundredths) != frac.size()) {
      return false;
    }
    if (frac.size() == 1) hundredths *= 10;
  }
  *out = static_cast<int64_t>(units * 100 + hundredths);
  return true;
}

bool ParseDate(std::string_view text, DateOrder order, EpochDay* out) {
  text = TrimBlanks(text);
  int64_t a = 0, b = 0, c = 0;
  int year = 0, month = 0, day = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {  // ISO yyyy-MM-dd
    if (!ParseDigits(text.substr(0, 4), 4, &a) || !ParseDigits(text.substr(5, 2), 2, &b) ||
        !ParseDigits(text.substr(8, 2), 2, &c)) {
      return false;
    }
    year = static_cast<int>(a), month = static_cast<int>(b), day = static_cast<int>(c);
  } else {  // d<sep>M<sep>yyyy, <sep> one of / - . (the same twice)
    uint64_t d1 = 0, d2 = 0;
    const size_t n1 = LeadingDigits(text, &d1);
    if (n1 == 0 || n1 > 2 || n1 == text.size()) return false;
    const char sep = text[n1];
    if (sep != '/' && sep != '-' && sep != '.') return false;
    const std::string_view rest = text.substr(n1 + 1);
    const size_t n2 = LeadingDigits(rest, &d2);
    if (n2 == 0 || n2 > 2 || rest.size() != n2 + 5 || rest[n2] != sep ||
        !ParseDigits(rest.substr(n2 + 1), 4, &c)) {
      return false;
    }
    a = static_cast<int64_t>(d1), b = static_cast<int64_t>(d2);
    year = static_cast<int>(c);
    day = static_cast<int>(order == DateOrder::kDayFirst ? a : b);
    month = static_cast<int>(order == DateOrder::kDayFirst ? b : a);
  }
  if (!IsRealDate(year, month, day)) return false;
  *out = ToEpochDay({year, month, day});
  return true;
}

bool ParseTimeOfDay(std::string_view text, int32_t* seconds_out) {
  text = TrimBlanks(text);
  // H or HH, then :MM, then optionally :SS.
  uint64_t h = 0, m = 0, s = 0;
  const size_t nh = LeadingDigits(text, &h);
  if (nh == 0 || nh > 2 || text.size() < nh + 3 || text[nh] != ':') return false;
  const std::string_view minutes = text.substr(nh + 1, 2);
  if (LeadingDigits(minutes, &m) != 2) return false;
  const std::string_view rest = text.substr(nh + 3);
  if (!rest.empty()) {
    if (rest.size() != 3 || rest[0] != ':' || LeadingDigits(rest.substr(1), &s) != 2) return false;
  }
  if (h > 23 || m > 59 || s > 59) return false;
  *seconds_out = static_cast<int32_t>(h * 3600 + m * 60 + s);
  return true;
}

}  // namespace pizzastream::silver
