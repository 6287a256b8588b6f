#include "bronze/order_line_rows.h"

#include <arrow/array/util.h>
#include <arrow/scalar.h>

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
  ARROW_RETURN_NOT_OK(columns.status());
  arrow::ArrayVector cols;
  for (size_t c = 0; c < OrderLineRows::kFields; ++c) {
    cols.push_back(columns.array(c)->Slice(first_row, rows));
  }
  // Where and when, the same for every row but the offset. The topic is a dictionary of one
  // value: the lake's writer takes it as it is rather than hashing the name on every row.
  const std::shared_ptr<arrow::Schema>& lines = OrderLinesSchema();
  ARROW_ASSIGN_OR_RAISE(auto topic_name,
                        arrow::MakeArrayFromScalar(arrow::StringScalar(std::string(topic)), 1));
  for (const auto& scalar : std::initializer_list<std::shared_ptr<arrow::Scalar>>{
           std::make_shared<arrow::TimestampScalar>(ingest_micros,
                                                    lines->GetFieldByName("ingest_time")->type()),
           arrow::DictionaryScalar::Make(std::make_shared<arrow::Int32Scalar>(0), topic_name),
           std::make_shared<arrow::Int32Scalar>(partition)}) {
    ARROW_ASSIGN_OR_RAISE(auto column, arrow::MakeArrayFromScalar(*scalar, rows));
    cols.push_back(std::move(column));
  }
  arrow::Int64Builder offsets;
  ARROW_RETURN_NOT_OK(offsets.Reserve(rows));
  for (int64_t r = 0; r < rows; ++r) offsets.UnsafeAppend(first_offset + r);
  ARROW_ASSIGN_OR_RAISE(auto offset_column, offsets.Finish());
  cols.push_back(std::move(offset_column));
  // A field sent as a dictionary stays one (the lake's writer then takes its values as they
  // are, rather than hashing every row's text): the batch says so in its schema.
  std::shared_ptr<arrow::Schema> schema = lines;
  for (int c = 0; c < schema->num_fields(); ++c) {
    if (cols[c]->type()->Equals(*schema->field(c)->type())) continue;
    ARROW_ASSIGN_OR_RAISE(schema, schema->SetField(c, schema->field(c)->WithType(cols[c]->type())));
  }
  return arrow::RecordBatch::Make(std::move(schema), rows, cols);
}

}  // namespace pizzastream::bronze
