// Formats the rows of a gold record batch as the text COPY expects, one cell per column:
// integers in decimal, date32 as YYYY-MM-DD, decimal128 with its scale (exact), utf8 as is,
// NULL as nullptr. The text is not escaped here: pqxx::stream_to escapes every field.
// Buffers are reused from row to row, so a batch formats without allocating per row.
#pragma once

#include <arrow/record_batch.h>

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace pizzastream::warehouse {

class CopyCells {
 public:
  // Fails unless every column is int32, int64, date32, decimal128 or utf8, or when a utf8 value
  // holds a NUL character (PostgreSQL text cannot).
  static Result<CopyCells> Make(std::shared_ptr<arrow::RecordBatch> batch);

  int num_columns() const { return static_cast<int>(columns_.size()); }
  int64_t num_rows() const { return batch_->num_rows(); }

  // Writes row `row`'s cells to out[0 .. num_columns()): NUL-terminated text, or nullptr for
  // NULL. The pointers stay valid until the next call.
  void Row(int64_t row, const char** out);

 private:
  struct Column {
    const arrow::Array* array;
    arrow::Type::type type;
    int32_t scale;     // decimal128 only
    std::string text;  // the current cell
  };
  explicit CopyCells(std::shared_ptr<arrow::RecordBatch> batch) : batch_(std::move(batch)) {}

  std::shared_ptr<arrow::RecordBatch> batch_;
  std::vector<Column> columns_;
};

}  // namespace pizzastream::warehouse
