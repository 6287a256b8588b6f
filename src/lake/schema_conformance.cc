#include "lake/schema_conformance.h"

#include <arrow/array/util.h>
#include <arrow/compute/api.h>
#include <arrow/type.h>

#include "lake/arrow_compute.h"

namespace pizzastream::lake {

namespace {

bool IsString(arrow::Type::type id) {
  return id == arrow::Type::STRING || id == arrow::Type::LARGE_STRING ||
         id == arrow::Type::STRING_VIEW;
}
bool IsBinary(arrow::Type::type id) {
  return id == arrow::Type::BINARY || id == arrow::Type::LARGE_BINARY ||
         id == arrow::Type::BINARY_VIEW || id == arrow::Type::FIXED_SIZE_BINARY;
}
bool IsDecimal(arrow::Type::type id) {
  return id == arrow::Type::DECIMAL32 || id == arrow::Type::DECIMAL64 ||
         id == arrow::Type::DECIMAL128 || id == arrow::Type::DECIMAL256;
}

// A reader asking for `expected` (a dictionary of utf8, lake/text_column.h) takes a plain utf8
// column as it is: turning it into a dictionary would hash every value for nothing.
bool PlainTextWillDo(const arrow::DataType& actual, const arrow::DataType& expected) {
  return actual.id() == arrow::Type::STRING && expected.id() == arrow::Type::DICTIONARY &&
         static_cast<const arrow::DictionaryType&>(expected).value_type()->id() ==
             arrow::Type::STRING;
}

}  // namespace

bool EquivalentTypes(const arrow::DataType& actual, const arrow::DataType& expected) {
  if (actual.Equals(expected)) return true;
  if (expected.id() == arrow::Type::DICTIONARY) {  // a reader that asked for a dictionary
    return EquivalentTypes(actual,
                           *static_cast<const arrow::DictionaryType&>(expected).value_type());
  }
  if (actual.id() == arrow::Type::DICTIONARY) {
    return EquivalentTypes(*static_cast<const arrow::DictionaryType&>(actual).value_type(),
                           expected);
  }
  const auto a = actual.id(), e = expected.id();
  if (IsString(e)) return IsString(a);
  if (IsBinary(e)) return IsBinary(a);
  if (arrow::is_integer(e)) return arrow::is_integer(a);
  if (IsDecimal(e)) {
    return IsDecimal(a) && static_cast<const arrow::DecimalType&>(actual).scale() ==
                               static_cast<const arrow::DecimalType&>(expected).scale();
  }
  if (e == arrow::Type::DOUBLE) return a == arrow::Type::FLOAT || a == arrow::Type::HALF_FLOAT;
  if (e == arrow::Type::DATE32) return a == arrow::Type::DATE64;
  if (e == arrow::Type::TIMESTAMP && a == arrow::Type::TIMESTAMP) {
    // Both instants (with a time zone) or both local times.
    return static_cast<const arrow::TimestampType&>(actual).timezone().empty() ==
           static_cast<const arrow::TimestampType&>(expected).timezone().empty();
  }
  return false;
}

Result<std::shared_ptr<arrow::Table>> ConformTable(const std::shared_ptr<arrow::Table>& table,
                                                   const std::shared_ptr<arrow::Schema>& expected,
                                                   std::string_view where) {
  std::vector<std::shared_ptr<arrow::ChunkedArray>> columns;
  arrow::FieldVector fields;
  for (auto field : expected->fields()) {
    const auto indices = table->schema()->GetAllFieldIndices(field->name());
    if (indices.size() > 1) {
      return Status::Invalid(where, ": column '", field->name(), "' appears more than once");
    }
    if (indices.empty()) {
      if (!field->nullable()) {
        return Status::Invalid(where, ": required column '", field->name(), "' is missing");
      }
      ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(field->type(), table->num_rows()));
      columns.push_back(std::make_shared<arrow::ChunkedArray>(nulls));
      fields.push_back(field);
      continue;
    }
    auto column = table->column(indices[0]);
    const auto& actual = *column->type();
    if (PlainTextWillDo(actual, *field->type())) {
      field = field->WithType(column->type());
    } else if (!actual.Equals(*field->type())) {
      if (!EquivalentTypes(actual, *field->type())) {
        return Status::Invalid(where, ": column '", field->name(), "' has type ", actual.ToString(),
                               ", expected ", field->type()->ToString());
      }
      ARROW_RETURN_NOT_OK(InitializeCompute());
      auto cast = arrow::compute::Cast(column, field->type(), arrow::compute::CastOptions::Safe());
      if (!cast.ok()) {
        return Status::Invalid(where, ": column '", field->name(), "' (", actual.ToString(),
                               ") does not fit ", field->type()->ToString(), ": ",
                               cast.status().message());
      }
      column = cast->chunked_array();
    }
    if (!field->nullable() && column->null_count() > 0) {
      return Status::Invalid(where, ": required column '", field->name(), "' holds ",
                             column->null_count(), " null(s)");
    }
    columns.push_back(std::move(column));
    fields.push_back(std::move(field));
  }
  return arrow::Table::Make(arrow::schema(std::move(fields), expected->metadata()), columns,
                            table->num_rows());
}

}  // namespace pizzastream::lake
