#include "sources/order_line_text.h"

#include <algorithm>
#include <charconv>

namespace pizzastream::sources {
namespace {

char* Write2(char* p, unsigned v) {
  *p++ = static_cast<char>('0' + v / 10);
  *p++ = static_cast<char>('0' + v % 10);
  return p;
}

char* WriteUnpadded(char* p, unsigned v) { return std::to_chars(p, p + 4, v).ptr; }

}  // namespace

std::string_view WriteInt(char* buf, int64_t value) {
  auto end = std::to_chars(buf, buf + 24, value).ptr;
  return {buf, static_cast<size_t>(end - buf)};
}

std::string_view WriteFixed(char* buf, int64_t value, int decimals) {
  char* p = buf;
  if (value < 0) {
    *p++ = '-';
    value = -value;
  }
  int64_t scale = decimals == 3 ? 1000 : 100;
  p = std::to_chars(p, p + 24, value / scale).ptr;
  *p++ = '.';
  int64_t frac = value % scale;
  for (int64_t div = scale / 10; div > 0; div /= 10)
    *p++ = static_cast<char>('0' + frac / div % 10);
  return {buf, static_cast<size_t>(p - buf)};
}

std::string_view WriteDate(char* buf, const std::chrono::year_month_day& ymd, DateStyle style) {
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  const unsigned d = static_cast<unsigned>(ymd.day());
  if (style == DateStyle::kPosExport) style = d <= 12 ? DateStyle::kSlash : DateStyle::kDash;
  char* p = buf;
  switch (style) {
    case DateStyle::kSlash:
    case DateStyle::kDot: {
      const char sep = style == DateStyle::kSlash ? '/' : '.';
      p = WriteUnpadded(p, d);
      *p++ = sep;
      p = WriteUnpadded(p, m);
      *p++ = sep;
      p = std::to_chars(p, p + 8, y).ptr;
      break;
    }
    case DateStyle::kDash:
      p = Write2(p, d);
      *p++ = '-';
      p = Write2(p, m);
      *p++ = '-';
      p = std::to_chars(p, p + 8, y).ptr;
      break;
    case DateStyle::kIso:
    case DateStyle::kPosExport:
      p = std::to_chars(p, p + 8, y).ptr;
      *p++ = '-';
      p = Write2(p, m);
      *p++ = '-';
      p = Write2(p, d);
      break;
  }
  return {buf, static_cast<size_t>(p - buf)};
}

std::string_view WriteTime(char* buf, unsigned hour, unsigned minute, unsigned second) {
  char* p = Write2(buf, hour);
  *p++ = ':';
  p = Write2(p, minute);
  *p++ = ':';
  p = Write2(p, second);
  return {buf, static_cast<size_t>(p - buf)};
}

std::string_view WriteBadDate(char* buf, int year, uint32_t variant) {
  char y[8];
  auto year_text = std::string_view(y, std::to_chars(y, y + 8, year).ptr - y);
  auto out = [&](std::string_view head, std::string_view tail) {
    char* p = std::copy(head.begin(), head.end(), buf);
    p = std::copy(tail.begin(), tail.end(), p);
    return std::string_view(buf, static_cast<size_t>(p - buf));
  };
  switch (variant % 5) {
    case 0:
      return out("31/02/", year_text);
    case 1:
      return out("30-02-", year_text);
    case 2:
      return out(year_text, "-02-30");
    case 3:
      return out("31.04.", year_text);
    default:
      return "not a date";
  }
}

}  // namespace pizzastream::sources
