#include "lake/parquet_columns.h"

#include <parquet/arrow/schema.h>

#include <algorithm>

namespace pizzastream::lake {

std::vector<int> LeafColumns(const parquet::arrow::FileReader& reader,
                             const std::function<bool(const std::string&)>& wanted) {
  std::vector<int> leaves;
  for (const auto& top : reader.manifest().schema_fields) {
    if (!wanted(top.field->name())) continue;
    std::vector<const parquet::arrow::SchemaField*> stack{&top};
    while (!stack.empty()) {
      const auto* f = stack.back();
      stack.pop_back();
      if (f->is_leaf()) leaves.push_back(f->column_index);
      for (const auto& child : f->children) stack.push_back(&child);
    }
  }
  std::sort(leaves.begin(), leaves.end());
  return leaves;
}

}  // namespace pizzastream::lake
