#include "bronze/order_line_rows.h"

#include "bronze/bronze_schema.h"

namespace pizzastream::bronze {

Status OrderLineRows::Add(const std::array<std::string_view, kFields>& fields,
                          const std::array<bool, kFields>& present, int64_t ingest_micros,
                          std::string_view topic, int32_t partition, int64_t offset) {
  for (size_t i = 0; i < kFields; ++i) {
    ARROW_RETURN_NOT_OK(present[i] ? fields_[i].Append(fields[i]) : fields_[i].AppendNull());
  }
  ARROW_RETURN_NOT_OK(time_.Append(ingest_micros));
  ARROW_RETURN_NOT_OK(topic_.Append(topic));
  ARROW_RETURN_NOT_OK(partition_.Append(partition));
  return offset_.Append(offset);
}

Result<std::shared_ptr<arrow::RecordBatch>> OrderLineRows::Finish() {
  arrow::ArrayVector cols;
  for (auto& b : fields_) {
    ARROW_ASSIGN_OR_RAISE(auto a, b.Finish());
    cols.push_back(a);
  }
  for (arrow::ArrayBuilder* b :
       std::initializer_list<arrow::ArrayBuilder*>{&time_, &topic_, &partition_, &offset_}) {
    ARROW_ASSIGN_OR_RAISE(auto a, b->Finish());
    cols.push_back(a);
  }
  return arrow::RecordBatch::Make(OrderLinesSchema(), cols[0]->length(), cols);
}

void OrderLineRows::Reset() {
  for (auto& b : fields_) b.Reset();
  time_.Reset();
  topic_.Reset();
  partition_.Reset();
  offset_.Reset();
}

}  // namespace pizzastream::bronze
