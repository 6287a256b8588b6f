// A text column read straight from its buffers: plain (utf8) or dictionary-encoded (int32
// indices into a utf8 dictionary, as Parquet stores columns of few distinct values and as the
// generator sends the fields it draws from short lists, sources/order_source.h). A reader that
// types a column dictionary<int32, utf8> in its expected schema gets the file's dictionary page
// as the Arrow dictionary (nothing copied out of it) and batches handed over in memory as they
// were written (plain): a row's text is a view either way. Holds no data of its own.
#pragma once

#include <arrow/array.h>
#include <arrow/util/bit_util.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/status.h"

namespace pizzastream::lake {

class TextColumn {
 public:
  TextColumn() = default;
  // `array` must be utf8 or dictionary<int32, utf8> (no null among the dictionary's values: a
  // null row is a null index), and outlive the TextColumn. Otherwise a TypeError.
  static Result<TextColumn> Of(const arrow::Array& array);
  // `field` (utf8) as a reader's expected schema types it to be read as a dictionary where the
  // file has one: dictionary<int32, utf8>, what Of takes.
  static std::shared_ptr<arrow::Field> DictionaryField(const std::shared_ptr<arrow::Field>& field);

  // Row `row`'s text; nullopt when it is null.
  std::optional<std::string_view> Get(int64_t row) const {
    if (validity_ != nullptr && !arrow::bit_util::GetBit(validity_, offset_ + row)) {
      return std::nullopt;
    }
    const int64_t at = indices_ == nullptr ? row : indices_[row];
    return std::string_view(data_ + offsets_[at],
                            static_cast<size_t>(offsets_[at + 1] - offsets_[at]));
  }
  bool dictionary() const { return indices_ != nullptr; }
  // Every byte the text of rows [from, end) is taken from: those rows' text, one after another,
  // when plain; all the dictionary's values for a dictionary.
  std::string_view Bytes(int64_t from, int64_t end) const;
  // Bytes of the text of rows [from, end) at most: exact when plain, rows x the longest value
  // for a dictionary.
  int64_t TextBytesAtMost(int64_t from, int64_t end) const;

 private:
  const uint8_t* validity_ = nullptr;  // nullptr: no nulls
  int64_t offset_ = 0;                 // of the column in its validity bitmap
  const int32_t* indices_ = nullptr;   // a dictionary's, offset applied
  const int32_t* offsets_ = nullptr;   // of the values (a dictionary's: of its values)
  const char* data_ = nullptr;
  int64_t values_ = 0;   // how many values offsets_ spans (a dictionary's size)
  int64_t longest_ = 0;  // a dictionary's longest value
};

}  // namespace pizzastream::lake
