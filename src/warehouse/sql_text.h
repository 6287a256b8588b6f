// Small pieces of SQL text the warehouses build.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <string>

namespace pizzastream::warehouse {

// "(p1, p2), (p3, p4)" for `rows` rows of `columns` parameters numbered row after row, with
// `marker` '?' (?1, ?2, ...) or '$' ($1, $2, ...): the VALUES list of a multi-row INSERT.
inline std::string ParameterRows(size_t columns, size_t rows, char marker) {
  std::string out;
  for (size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    for (size_t c = 0; c < columns; ++c) {
      out += fmt::format("{}{}{}", c ? ", " : "", marker, r * columns + c + 1);
    }
    out += ")";
  }
  return out;
}

}  // namespace pizzastream::warehouse
