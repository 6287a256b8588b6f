// The Parquet leaf columns of a file's top-level fields, chosen by name, so a reader reads only
// the columns it uses (a struct column is all of its leaves). Stateless; thread-safe.
#pragma once

#include <parquet/arrow/reader.h>

#include <functional>
#include <string>
#include <vector>

namespace pizzastream::lake {

// Leaf column indices, ascending, of the top-level fields for which `wanted(name)` is true.
std::vector<int> LeafColumns(const parquet::arrow::FileReader& reader,
                             const std::function<bool(const std::string&)>& wanted);

}  // namespace pizzastream::lake
