// The query string of a request target, split into parameters as sent: "a=1&b=x%20y" ->
// {a: "1", b: "x y"} ('+' is a space, %XX a byte). Every occurrence is kept, so a parameter
// given twice (even with the same value) stays visible to the validation that refuses it.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "serve/sales_filter.h"

namespace pizzastream::serve {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`); a '%' not followed by two
// hex digits is Status::Invalid.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Splits `query` (without the '?') into decoded name/value pairs; "a" alone is {a: ""} and
// empty pieces ("a=1&&b=2") are skipped.
Result<QueryParams> ParseQuery(std::string_view query);

}  // namespace pizzastream::serve
