#include "sources/order_source.h"

#include <arrow/type.h>

namespace pizzastream::sources {

std::shared_ptr<arrow::Schema> SourceSchema() {
  static const auto schema = [] {
    arrow::FieldVector fields;
    for (const char* name : kSourceColumns) fields.push_back(arrow::field(name, arrow::utf8()));
    return arrow::schema(fields);
  }();
  return schema;
}

}  // namespace pizzastream::sources
