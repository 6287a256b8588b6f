#include "lake/text_column.h"

#include <algorithm>

namespace pizzastream::lake {

Result<TextColumn> TextColumn::Of(const arrow::Array& array) {
  TextColumn c;
  c.validity_ = array.null_count() == 0 ? nullptr : array.null_bitmap_data();
  c.offset_ = array.offset();
  const arrow::StringArray* values = nullptr;
  if (array.type_id() == arrow::Type::STRING) {
    values = static_cast<const arrow::StringArray*>(&array);
  } else if (array.type_id() == arrow::Type::DICTIONARY) {
    const auto& dict = static_cast<const arrow::DictionaryArray&>(array);
    const auto& type = static_cast<const arrow::DictionaryType&>(*array.type());
    if (type.index_type()->id() == arrow::Type::INT32 &&
        type.value_type()->id() == arrow::Type::STRING && dict.dictionary()->null_count() == 0) {
      values = static_cast<const arrow::StringArray*>(dict.dictionary().get());
      c.indices_ = static_cast<const arrow::Int32Array&>(*dict.indices()).raw_values();
      for (int64_t v = 0; v < values->length(); ++v) {
        c.longest_ = std::max<int64_t>(c.longest_, values->value_length(v));
      }
    }
  }
  if (values == nullptr) {
    return Status::TypeError("a text column of type ", array.type()->ToString(),
                             " (expected utf8, or dictionary<int32, utf8> without null values)");
  }
  c.values_ = values->length();
  c.offsets_ = values->raw_value_offsets();
  c.data_ = reinterpret_cast<const char*>(values->raw_data());
  return c;
}

std::shared_ptr<arrow::Field> TextColumn::DictionaryField(
    const std::shared_ptr<arrow::Field>& field) {
  return field->WithType(arrow::dictionary(arrow::int32(), field->type()));
}

std::string_view TextColumn::Bytes(int64_t from, int64_t end) const {
  if (indices_ != nullptr) {
    from = 0;
    end = values_;
  }
  if (end <= from) return {};
  return std::string_view(data_ + offsets_[from],
                          static_cast<size_t>(offsets_[end] - offsets_[from]));
}

int64_t TextColumn::TextBytesAtMost(int64_t from, int64_t end) const {
  if (end <= from) return 0;
  if (indices_ == nullptr) return offsets_[end] - offsets_[from];
  return (end - from) * longest_;
}

}  // namespace pizzastream::lake
