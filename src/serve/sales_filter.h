// What a dashboard request asks for: the slicers (date range, category, size, channel) and,
// for /api/sales, the grouping. Parsed from query parameters and validated here, before any
// SQL is built; the values only ever reach SQL as bound parameters.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pizzastream::serve {

// kWeek: ISO weeks, keyed by their Monday.
enum class SalesGroup { kDay, kWeek, kMonth, kHour, kWeekday, kPizza, kCategory, kSize, kChannel };

struct SalesFilter {
  std::optional<int32_t> from_date_id;  // yyyymmdd, inclusive
  std::optional<int32_t> to_date_id;    // yyyymmdd, inclusive
  std::optional<std::string> category;
  std::optional<std::string> size;
  std::optional<std::string> channel;
};

// Query parameters as received, every occurrence kept (serve/query_string.h).
using QueryParams = std::multimap<std::string, std::string>;

// Reads from, to (YYYY-MM-DD, real dates, from <= to), category, size and channel (1-64
// letters, digits, spaces, '_' or '-'). Any other parameter name must be listed in
// `also_allowed`. A parameter given twice, an unknown one or a malformed value is
// Status::Invalid with a message fit for the client.
Result<SalesFilter> ParseSalesFilter(const QueryParams& params,
                                     const std::vector<std::string_view>& also_allowed = {});
Result<SalesGroup> ParseSalesGroup(std::string_view name);
std::string_view SalesGroupName(SalesGroup group);

// "2015-01-31" <-> 20150131.
Result<int32_t> ParseDateId(std::string_view text);
std::string FormatDateId(int32_t date_id);

}  // namespace pizzastream::serve
