#include "silver/text_column.h"

#include <algorithm>

namespace pizzastream::silver {

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

int64_t TextColumn::ValueBytesBound() const {
  if (plain_ != nullptr) return plain_->total_values_length();
  int32_t longest = 0;
  for (int64_t i = 0; i < dictionary_->length(); ++i) {
    longest = std::max(longest, dictionary_->value_length(i));
  }
  return int64_t{longest} * array_->length();
}

}  // namespace pizzastream::silver
