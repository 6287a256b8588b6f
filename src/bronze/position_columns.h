// The columns that say where and when bronze landed a record (bronze_schema.h's position
// fields: ingest_time, source_topic, source_partition, source_offset), built a row at a time.
// Shared by the order lines built from messages (order_line_rows.h) and the quarantine; lines
// sliced from source rows have them built whole (OrderLinesFromSource: one time, topic and
// partition for the stretch).
#pragma once

#include <arrow/builder.h>

#include <array>
#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace pizzastream::bronze {

// Appends `text` to a builder that has room for the row; grows the text buffer (geometrically)
// only when it lacks room.
inline Status AppendText(arrow::StringBuilder& b, std::string_view text) {
  const auto size = static_cast<int64_t>(text.size());
  if (b.value_data_capacity() - b.value_data_length() < size) {
    ARROW_RETURN_NOT_OK(b.ReserveData(size));
  }
  b.UnsafeAppend(text);
  return Status::OK();
}

class PositionColumns {
 public:
  // Room for `rows` more rows, `topic_bytes` of topic names among them: UnsafeAdd then
  // appends with no capacity check but the topic's.
  Status Reserve(int64_t rows, int64_t topic_bytes) {
    ARROW_RETURN_NOT_OK(topic_.ReserveData(topic_bytes));
    for (arrow::ArrayBuilder* b : Builders()) ARROW_RETURN_NOT_OK(b->Reserve(rows));
    return Status::OK();
  }
  // One row, in room made by Reserve (the topic's text grows when it lacks room).
  Status UnsafeAdd(int64_t ingest_micros, std::string_view topic, int32_t partition,
                   int64_t offset) {
    ARROW_RETURN_NOT_OK(AppendText(topic_, topic));
    time_.UnsafeAppend(ingest_micros);
    partition_.UnsafeAppend(partition);
    offset_.UnsafeAppend(offset);
    return Status::OK();
  }
  // One row, making room for it.
  Status Add(int64_t ingest_micros, std::string_view topic, int32_t partition, int64_t offset) {
    ARROW_RETURN_NOT_OK(Reserve(1, static_cast<int64_t>(topic.size())));
    return UnsafeAdd(ingest_micros, topic, partition, offset);
  }

  int64_t rows() const { return offset_.length(); }
  int64_t topic_bytes() const { return topic_.value_data_length(); }
  // Appends the four columns to `cols`, in the schema's order, and starts empty again.
  Status Finish(arrow::ArrayVector* cols) {
    for (arrow::ArrayBuilder* b : Builders()) {
      ARROW_ASSIGN_OR_RAISE(auto a, b->Finish());
      cols->push_back(std::move(a));
    }
    return Status::OK();
  }
  void Reset() {
    for (arrow::ArrayBuilder* b : Builders()) b->Reset();
  }

 private:
  std::array<arrow::ArrayBuilder*, 4> Builders() {
    return {&time_, &topic_, &partition_, &offset_};
  }

  arrow::TimestampBuilder time_{arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                                arrow::default_memory_pool()};
  arrow::StringBuilder topic_;
  arrow::Int32Builder partition_;
  arrow::Int64Builder offset_;
};

}  // namespace pizzastream::bronze
