#include "bronze/order_line_rows.h"

#include <algorithm>
#include <cstdint>

#include "bronze/bronze_schema.h"

namespace pizzastream::bronze {

Status OrderLineRows::Reserve(int64_t rows, int64_t text_bytes) {
  // Text bytes ahead as the last batch had them per row (and a little over): a buffer that
  // grows by doubling copies what it holds each time.
  for (size_t i = 0; i < kFields; ++i) {
    ARROW_RETURN_NOT_OK(fields_[i].Reserve(rows));
    ARROW_RETURN_NOT_OK(fields_[i].ReserveData(TextBytesAhead(i, rows, text_bytes)));
  }
  ARROW_RETURN_NOT_OK(position_.Reserve(rows, TextBytesAhead(kFields, rows, INT64_MAX)));
  reserved_ += rows;
  return Status::OK();
}

Status OrderLineRows::Add(const std::array<std::string_view, kFields>& fields,
                          const std::array<bool, kFields>& present, int64_t ingest_micros,
                          std::string_view topic, int32_t partition, int64_t offset) {
  if (reserved_ == 0) ARROW_RETURN_NOT_OK(Reserve(std::max<int64_t>(1024, rows())));
  --reserved_;
  for (size_t i = 0; i < kFields; ++i) {
    if (present[i]) {
      ARROW_RETURN_NOT_OK(AppendText(fields_[i], fields[i]));
    } else {
      fields_[i].UnsafeAppendNull();
    }
  }
  return position_.UnsafeAdd(ingest_micros, topic, partition, offset);
}

int64_t OrderLineRows::TextBytesAhead(size_t column, int64_t rows, int64_t limit) const {
  const int64_t per_row = text_bytes_per_row_[column] + text_bytes_per_row_[column] / 16;
  return std::min(limit, rows * per_row);
}

Result<std::shared_ptr<arrow::RecordBatch>> OrderLineRows::Finish() {
  reserved_ = 0;
  if (const int64_t n = rows(); n > 0) {
    for (size_t i = 0; i < kFields; ++i) {
      text_bytes_per_row_[i] = fields_[i].value_data_length() / n + 1;
    }
    text_bytes_per_row_[kFields] = position_.topic_bytes() / n + 1;
  }
  arrow::ArrayVector cols;
  for (auto& b : fields_) {
    ARROW_ASSIGN_OR_RAISE(auto a, b.Finish());
    cols.push_back(a);
  }
  ARROW_RETURN_NOT_OK(position_.Finish(&cols));
  return arrow::RecordBatch::Make(OrderLinesSchema(), cols[0]->length(), cols);
}

void OrderLineRows::Reset() {
  reserved_ = 0;
  for (auto& b : fields_) b.Reset();
  position_.Reset();
}

Result<std::shared_ptr<arrow::RecordBatch>> OrderLinesFromSource(
    const transport::SourceColumns& columns, int64_t first_row, int64_t rows, int64_t ingest_micros,
    std::string_view topic, int32_t partition, int64_t first_offset) {
  if (columns.size() != OrderLineRows::kFields) {
    return Status::Invalid("a source batch of ", columns.size(), " columns, not ",
                           OrderLineRows::kFields);
  }
  arrow::ArrayVector cols;
  for (size_t c = 0; c < OrderLineRows::kFields; ++c) {
    cols.push_back(columns.array(c)->Slice(first_row, rows));
  }
  PositionColumns position;
  ARROW_RETURN_NOT_OK(position.Reserve(rows, rows * static_cast<int64_t>(topic.size())));
  for (int64_t r = 0; r < rows; ++r) {
    ARROW_RETURN_NOT_OK(position.UnsafeAdd(ingest_micros, topic, partition, first_offset + r));
  }
  ARROW_RETURN_NOT_OK(position.Finish(&cols));
  return arrow::RecordBatch::Make(OrderLinesSchema(), rows, cols);
}

}  // namespace pizzastream::bronze
