#include "silver/field_parsers.h"

#include <charconv>

namespace pizzastream::silver {

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Parses a run of 1..max_len digits.
bool ParseDigits(std::string_view s, size_t max_len, int64_t* out) {
  if (s.size() > max_len || !AllDigits(s)) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool ParseWholeNumber(std::string_view text, int64_t* out) {
  text = TrimBlanks(text);
  const size_t dot = text.find('.');
  if (dot != std::string_view::npos) {
    std::string_view frac = text.substr(dot + 1);
    if (frac.empty() || frac.find_first_not_of('0') != std::string_view::npos) return false;
    text = text.substr(0, dot);
  }
  return ParseDigits(text, 18, out);
}

bool ParseCents(std::string_view text, int64_t* out) {
  text = TrimBlanks(text);
  std::string_view whole = text, frac;
  const size_t dot = text.find('.');
  if (dot != std::string_view::npos) {
    whole = text.substr(0, dot);
    frac = text.substr(dot + 1);
    if (frac.empty() || frac.size() > 2 || !AllDigits(frac)) return false;
  }
  int64_t units = 0, hundredths = 0;
  if (!ParseDigits(whole, 15, &units)) return false;
  if (!frac.empty()) {
    ParseDigits(frac, 2, &hundredths);
    if (frac.size() == 1) hundredths *= 10;
  }
  *out = units * 100 + hundredths;
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
  } else {
    const size_t p1 = text.find_first_of("/-.");
    if (p1 == std::string_view::npos) return false;
    const char sep = text[p1];
    const size_t p2 = text.find(sep, p1 + 1);
    if (p2 == std::string_view::npos) return false;
    if (!ParseDigits(text.substr(0, p1), 2, &a) ||
        !ParseDigits(text.substr(p1 + 1, p2 - p1 - 1), 2, &b) || text.size() - p2 - 1 != 4 ||
        !ParseDigits(text.substr(p2 + 1), 4, &c)) {
      return false;
    }
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
  const size_t p1 = text.find(':');
  if (p1 == std::string_view::npos) return false;
  const size_t p2 = text.find(':', p1 + 1);
  int64_t h = 0, m = 0, s = 0;
  if (!ParseDigits(text.substr(0, p1), 2, &h)) return false;
  std::string_view minutes =
      text.substr(p1 + 1, p2 == std::string_view::npos ? text.npos : p2 - p1 - 1);
  if (minutes.size() != 2 || !ParseDigits(minutes, 2, &m)) return false;
  if (p2 != std::string_view::npos) {
    std::string_view secs = text.substr(p2 + 1);
    if (secs.size() != 2 || !ParseDigits(secs, 2, &s)) return false;
  }
  if (h > 23 || m > 59 || s > 59) return false;
  *seconds_out = static_cast<int32_t>(h * 3600 + m * 60 + s);
  return true;
}

}  // namespace pizzastream::silver
