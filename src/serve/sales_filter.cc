#include "serve/sales_filter.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>

#include "core/calendar.h"

namespace pizzastream::serve {
namespace {

constexpr std::array<std::pair<SalesGroup, std::string_view>, 9> kGroups = {{
    {SalesGroup::kDay, "day"},
    {SalesGroup::kWeek, "week"},
    {SalesGroup::kMonth, "month"},
    {SalesGroup::kHour, "hour"},
    {SalesGroup::kWeekday, "weekday"},
    {SalesGroup::kPizza, "pizza"},
    {SalesGroup::kCategory, "category"},
    {SalesGroup::kSize, "size"},
    {SalesGroup::kChannel, "channel"},
}};

constexpr std::array<std::string_view, 5> kFilterNames = {"from", "to", "category", "size",
                                                          "channel"};
constexpr size_t kMaxValueLength = 64;

// Printable ASCII for error messages: a hostile value is echoed escaped and truncated.
std::string Quoted(std::string_view value) {
  std::string out = "'";
  for (char c : value.substr(0, 40)) {
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    }
  }
  if (value.size() > 40) out += "...";
  return out + "'";
}

Result<std::string> ParseAttribute(std::string_view name, std::string_view value) {
  const bool ok = !value.empty() && value.size() <= kMaxValueLength &&
                  std::all_of(value.begin(), value.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == ' ' || c == '_' || c == '-';
                  });
  if (!ok) {
    return Status::Invalid(name, " must be 1-64 letters, digits, spaces, '_' or '-', got ",
                           Quoted(value));
  }
  return std::string(value);
}

}  // namespace

Result<int32_t> ParseDateId(std::string_view text) {
  auto digits = [&](size_t pos, size_t n, int* out) {
    auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + n, *out);
    return ec == std::errc() && end == text.data() + pos + n &&
           std::all_of(text.begin() + pos, text.begin() + pos + n,
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, &y) ||
      !digits(5, 2, &m) || !digits(8, 2, &d) ||
      !std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d))
           .ok() ||
      y < 1900) {
    return Status::Invalid("expected a date as YYYY-MM-DD, got ", Quoted(text));
  }
  return DateId({y, m, d});
}

std::string FormatDateId(int32_t date_id) {
  char text[10];
  return std::string(FormatIsoDate(CivilOfDateId(date_id), text));
}

Result<SalesGroup> ParseSalesGroup(std::string_view name) {
  for (const auto& [group, group_name] : kGroups) {
    if (group_name == name) return group;
  }
  return Status::Invalid(
      "group must be one of day, week, month, hour, weekday, pizza, category, size, channel; got ",
      Quoted(name));
}

std::string_view SalesGroupName(SalesGroup group) {
  for (const auto& [g, name] : kGroups) {
    if (g == group) return name;
  }
  return "?";
}

Result<SalesFilter> ParseSalesFilter(const QueryParams& params,
                                     const std::vector<std::string_view>& also_allowed) {
  SalesFilter filter;
  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string& name = it->first;
    const std::string_view value = it->second;
    if (params.count(name) > 1) return Status::Invalid("parameter ", Quoted(name), " given twice");
    const bool is_filter =
        std::find(kFilterNames.begin(), kFilterNames.end(), name) != kFilterNames.end();
    if (!is_filter) {
      if (std::find(also_allowed.begin(), also_allowed.end(), name) != also_allowed.end()) continue;
      return Status::Invalid("unknown parameter ", Quoted(name),
                             "; filters are from, to, category, size, channel");
    }
    if (name == "from" || name == "to") {
      auto date = ParseDateId(value);
      if (!date.ok()) return Status::Invalid(name, ": ", date.status().message());
      (name == "from" ? filter.from_date_id : filter.to_date_id) = *date;
    } else {
      ARROW_ASSIGN_OR_RAISE(std::string v, ParseAttribute(name, value));
      (name == "category" ? filter.category
       : name == "size"   ? filter.size
                          : filter.channel) = std::move(v);
    }
  }
  if (filter.from_date_id && filter.to_date_id && *filter.from_date_id > *filter.to_date_id) {
    return Status::Invalid("from (", FormatDateId(*filter.from_date_id), ") is after to (",
                           FormatDateId(*filter.to_date_id), ")");
  }
  return filter;
}

}  // namespace pizzastream::serve
