// A text column as a stage reads it from the lake: plain (utf8) or dictionary-encoded (int32
// indices into a utf8 dictionary, as Parquet stores columns of few distinct values). A reader
// that types a column dictionary<int32, utf8> in its expected schema gets the file's dictionary
// page as the Arrow dictionary (nothing copied out of it) and batches handed over in memory as
// they were written (plain): a row's text is a view either way. Holds no data of its own.
#pragma once

#include <arrow/array.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/status.h"

namespace pizzastream::lake {

class TextColumn {
 public:
  TextColumn() = default;
  // `array` must be utf8 or dictionary<int32, utf8>, and outlive the TextColumn.
  static Result<TextColumn> Of(const arrow::Array& array);
  // `field` (utf8) as a reader's expected schema types it to be read as a dictionary where the
  // file has one: dictionary<int32, utf8>, what Of takes.
  static std::shared_ptr<arrow::Field> DictionaryField(const std::shared_ptr<arrow::Field>& field);

  std::optional<std::string_view> Get(int64_t row) const {
    if (array_->IsNull(row)) return std::nullopt;
    if (indices_ == nullptr) return plain_->GetView(row);
    return dictionary_->GetView(indices_[row]);
  }

 private:
  const arrow::Array* array_ = nullptr;
  const arrow::StringArray* plain_ = nullptr;       // when plain
  const arrow::StringArray* dictionary_ = nullptr;  // when dictionary-encoded
  const int32_t* indices_ = nullptr;                // offset applied
};

}  // namespace pizzastream::lake
