// The rows of bronze/order_lines (bronze/bronze_schema.h: OrderLinesSchema), built a row at a
// time from the source fields as text: bronze lands decoded messages with it, and tests and
// benchmarks that need a bronze table without a topic use it too, so every bronze row is built
// one way. Not thread-safe; reusable after Finish or Reset.
#pragma once

#include <arrow/builder.h>
#include <arrow/record_batch.h>

#include <array>
#include <memory>
#include <string_view>

#include "bronze/position_columns.h"
#include "core/status.h"
#include "sources/order_source.h"
#include "transport/record_json.h"

namespace pizzastream::bronze {

class OrderLineRows {
 public:
  static constexpr size_t kFields = sources::kSourceColumns.size();

  // One row: the source fields in sources::kSourceColumns order (present[i] false: null),
  // when bronze landed it (µs since the epoch) and where it came from.
  Status Add(const std::array<std::string_view, kFields>& fields,
             const std::array<bool, kFields>& present, int64_t ingest_micros,
             std::string_view topic, int32_t partition, int64_t offset);
  // Makes room for `rows` more rows (and grows the text buffers ahead): Add then appends
  // without a capacity check per column. `text_bytes`: what the rows' text can hold at most (a
  // column's text is reserved as the last batch had it per row, never beyond this).
  Status Reserve(int64_t rows, int64_t text_bytes = 0);
  int64_t rows() const { return position_.rows(); }
  Result<std::shared_ptr<arrow::RecordBatch>> Finish();
  void Reset();

 private:
  std::array<arrow::StringBuilder, kFields> fields_;
  PositionColumns position_;
  // Text bytes to make room for ahead of `rows` rows of `column` (kFields: the topic), at
  // most `limit`.
  int64_t TextBytesAhead(size_t column, int64_t rows, int64_t limit) const;
  int64_t reserved_ = 0;  // rows Reserve made room for, not added yet
  // Text bytes a row held per column in the last batch finished (the last: the topic).
  std::array<int64_t, kFields + 1> text_bytes_per_row_{};
};

// Rows [first_row, first_row + rows) of a source batch as order lines, landed at offsets
// first_offset.. of `partition`: the source columns are sliced, not copied (a record this
// process sent, taken from its row: transport/sent_records.h).
Result<std::shared_ptr<arrow::RecordBatch>> OrderLinesFromSource(
    const transport::SourceColumns& columns, int64_t first_row, int64_t rows, int64_t ingest_micros,
    std::string_view topic, int32_t partition, int64_t first_offset);

}  // namespace pizzastream::bronze
