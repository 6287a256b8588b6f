// The wire form of an order line on the topic: one JSON object with the source fields as
// strings, as the original producer sent them; absent fields are left out. A record the
// source could not split travels as {"_malformed": RAW, "_reason": WHY} so bronze can
// quarantine it with its raw text.
#pragma once

#include <arrow/array.h>

#include <string>
#include <string_view>
#include <vector>

#include "lake/text_column.h"
#include "sources/order_source.h"

namespace pizzastream::transport {

// The columns of a source batch (sources/order_source.h), looked up once per batch rather than
// per record, with what the encoder needs to know of each: whether any of its text needs a JSON
// escape (one pass over the column's bytes, or its dictionary's, so plain text is copied as
// is), and how much text its rows hold.
class SourceColumns {
 public:
  // A column of a type a source batch may not have (lake/text_column.h) makes status() say
  // which: nothing else may be asked of the columns then.
  explicit SourceColumns(const arrow::RecordBatch& batch);
  const Status& status() const { return status_; }
  const std::shared_ptr<arrow::Array>& array(size_t c) const { return arrays_[c]; }
  const lake::TextColumn& text(size_t c) const { return text_[c]; }
  size_t size() const { return arrays_.size(); }
  int64_t rows() const { return rows_; }
  // No value of column `c` holds a byte JSON must escape (a control, '"' or '\\').
  bool plain(size_t c) const { return plain_[c]; }
  // Column c's value at `row`, or false when it is null.
  bool Get(size_t c, int64_t row, std::string_view* value) const {
    const auto text = text_[c].Get(row);
    if (text) *value = *text;
    return text.has_value();
  }
  // Bytes of the JSON text of rows [from, end) at most (with every escape at its longest).
  size_t JsonBytesAtMost(int64_t from, int64_t end) const;

 private:
  arrow::ArrayVector arrays_;  // keeps the columns alive
  std::vector<lake::TextColumn> text_;
  std::vector<uint8_t> plain_;  // not vector<bool>: read per value
  int64_t rows_ = 0;
  Status status_;
};

// True if `text` holds a byte that a JSON string must escape.
bool NeedsJsonEscape(std::string_view text);

// The Write functions write at `out`, which must have room for what they write (the BytesAtMost
// functions bound it), and return where they stopped: a batch is written into one buffer sized
// once, without a capacity check per piece. The Append functions append to a string.

// The JSON text of record `row` of `columns` (room: columns.JsonBytesAtMost(row, row + 1)).
char* WriteRecordJson(const SourceColumns& columns, int64_t row, char* out);
void AppendRecordJson(const SourceColumns& columns, int64_t row, std::string* out);
// {"_malformed":...,"_reason":...}.
size_t MalformedJsonBytesAtMost(const sources::MalformedRecord& record);
char* WriteMalformedJson(const sources::MalformedRecord& record, char* out);
void AppendMalformedJson(const sources::MalformedRecord& record, std::string* out);
// `text` as a JSON string literal, quotes included.
inline size_t JsonStringBytesAtMost(std::string_view text) { return 2 + 6 * text.size(); }
char* WriteJsonString(std::string_view text, char* out);
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace pizzastream::transport
