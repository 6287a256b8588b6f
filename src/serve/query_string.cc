#include "serve/query_string.h"

#include <charconv>

namespace pizzastream::serve {

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      unsigned value = 0;
      const char* first = text.data() + i + 1;
      if (i + 3 > text.size() || std::from_chars(first, first + 2, value, 16).ptr != first + 2) {
        return Status::Invalid("malformed percent-encoding in the request");
      }
      out += static_cast<char>(value);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

Result<QueryParams> ParseQuery(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    ARROW_ASSIGN_OR_RAISE(std::string name, PercentDecode(piece.substr(0, eq), true));
    std::string value;
    if (eq != std::string_view::npos) {
      ARROW_ASSIGN_OR_RAISE(value, PercentDecode(piece.substr(eq + 1), true));
    }
    params.emplace(std::move(name), std::move(value));
  }
  return params;
}

}  // namespace pizzastream::serve
