#include "lake/text_column.h"

namespace pizzastream::lake {

Result<TextColumn> TextColumn::Of(const arrow::Array& array) {
  TextColumn c;
  c.array_ = &array;
  if (array.type_id() == arrow::Type::STRING) {
    c.plain_ = static_cast<const arrow::StringArray*>(&array);
    return c;
  }
  if (array.type_id() == arrow::Type::DICTIONARY) {
    const auto& dict = static_cast<const arrow::DictionaryArray&>(array);
    const auto& type = static_cast<const arrow::DictionaryType&>(*array.type());
    if (type.index_type()->id() == arrow::Type::INT32 &&
        type.value_type()->id() == arrow::Type::STRING) {
      c.dictionary_ = static_cast<const arrow::StringArray*>(dict.dictionary().get());
      c.indices_ = static_cast<const arrow::Int32Array&>(*dict.indices()).raw_values();
      return c;
    }
  }
  return Status::TypeError("a text column of type ", array.type()->ToString(),
                           " (expected utf8 or dictionary<int32, utf8>)");
}

std::shared_ptr<arrow::Field> TextColumn::DictionaryField(
    const std::shared_ptr<arrow::Field>& field) {
  return field->WithType(arrow::dictionary(arrow::int32(), field->type()));
}

}  // namespace pizzastream::lake
