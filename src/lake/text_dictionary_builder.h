// Builds a text column of few distinct values as dictionary<int32, utf8> (what TextColumn reads),
// so that the Parquet writer stores the dictionary as it is, once per row group, instead of
// hashing every row's text to find its dictionary index (lake/lakehouse.h starts a row group at
// each batch holding a dictionary column).
//
// A row's text is looked up first by the address of its bytes: rows a reader took from one
// dictionary entry share them, so a repeated value costs a pointer comparison. Only a new
// address is looked up by content. The addresses stand for their text while the batch they come
// from lives: ForgetAddresses() before taking rows from another one.
//
// Text that hardly repeats (dirt, or an attack) is not kept twice (dictionary and lookup) for
// nothing: once the distinct texts outgrow kMostDictionaryBytes (where Parquet itself turns a
// column chunk plain), the column is built plain, as utf8, until Finish. Not thread-safe.
#pragma once

#include <arrow/array.h>
#include <arrow/buffer_builder.h>
#include <arrow/builder.h>
#include <arrow/record_batch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "lake/text_address_cache.h"

namespace pizzastream::lake {

class TextDictionaryBuilder {
 public:
  static constexpr int64_t kMostDictionaryBytes = 1 << 20;

  // Room for `rows` more rows (their indices; a new value's text is stored as it comes).
  Status Reserve(int64_t rows) { return plain_ ? plain_->Reserve(rows) : indices_.Reserve(rows); }
  // REQUIRES: Reserve() for the row. Fails only when a new value cannot be stored.
  Status Append(std::string_view text) {
    if (const int32_t* index = by_address_.Find(text)) {
      indices_.UnsafeAppend(*index);
      return Status::OK();
    }
    return AppendByContent(text);
  }
  void ForgetAddresses() { by_address_.Forget(); }

  int64_t length() const { return plain_ ? plain_->length() : indices_.length(); }
  // The rows appended since the last Finish as dictionary<int32, utf8>, each distinct text once
  // in the dictionary (or as utf8, when they outgrew it). The next rows start a new dictionary.
  Result<std::shared_ptr<arrow::Array>> Finish();

  static const std::shared_ptr<arrow::DataType>& Type();

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  Status AppendByContent(std::string_view text);
  // Turns the rows so far into plain text, and the builder to plain until Finish.
  Status TurnPlain();

  TextAddressCache<int32_t> by_address_;
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> by_text_;
  arrow::StringBuilder values_;
  arrow::TypedBufferBuilder<int32_t> indices_;
  std::unique_ptr<arrow::StringBuilder> plain_;  // once the dictionary outgrew its bytes
};

// A batch of `columns` under `declared`, whose text columns built here are typed as the
// dictionaries they are (a file written from the batch stores `declared`, lake/lakehouse.h).
std::shared_ptr<arrow::RecordBatch> BatchWithDictionaries(
    const std::shared_ptr<arrow::Schema>& declared, int64_t rows, arrow::ArrayVector columns);

}  // namespace pizzastream::lake
