// libFuzzer target: the dashboard's query-parameter parsing (src/serve/sales_filter.h).
// The input is "name=value" pairs separated by '&' (no URL decoding: the server decodes before
// this). An accepted filter must hold only what the parser promises: real dates, from <= to,
// and slicer values of 1-64 allowed characters.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "serve/sales_filter.h"

using namespace pizzastream::serve;

namespace {
void CheckSlicer(const std::optional<std::string>& value) {
  if (!value) return;
  if (value->empty() || value->size() > 64) std::abort();
  for (char c : *value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == ' ' || c == '_' || c == '-';
    if (!ok) std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  QueryParams params;
  while (!input.empty() && params.size() < 32) {
    const size_t end = input.find('&');
    const std::string_view pair = input.substr(0, end);
    const size_t eq = pair.find('=');
    params.emplace(std::string(pair.substr(0, eq)),
                   eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
  auto filter = ParseSalesFilter(params, {"group"});
  if (filter.ok()) {
    if (filter->from_date_id && filter->to_date_id && *filter->from_date_id > *filter->to_date_id) {
      std::abort();
    }
    for (const auto& date : {filter->from_date_id, filter->to_date_id}) {
      if (date && ParseDateId(FormatDateId(*date)).ValueOr(-1) != *date) std::abort();
    }
    CheckSlicer(filter->category);
    CheckSlicer(filter->size);
    CheckSlicer(filter->channel);
  }
  for (const auto& [name, value] : params) {
    if (auto group = ParseSalesGroup(value); group.ok() && SalesGroupName(*group) != value) {
      std::abort();
    }
    if (auto date = ParseDateId(value); date.ok() && FormatDateId(*date) != value) std::abort();
  }
  return 0;
}
