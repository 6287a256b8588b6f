// The wire form of an order line on the topic: one JSON object with the source fields as
// strings, as the original producer sent them; absent fields are left out. A record the
// source could not split travels as {"_malformed": RAW, "_reason": WHY} so bronze can
// quarantine it with its raw text.
#pragma once

#include <arrow/array.h>
#include <arrow/util/bit_util.h>

#include <string>
#include <string_view>
#include <vector>

#include "sources/order_source.h"

namespace pizzastream::transport {

// The columns of a SourceSchema batch, looked up once per batch rather than per record, with
// what the encoder needs to know of each: whether any of its text needs a JSON escape (one pass
// over the column's bytes, so a column of plain text is copied as is), and its text's size.
class SourceColumns {
 public:
  explicit SourceColumns(const arrow::RecordBatch& batch);
  const arrow::StringArray& operator[](size_t c) const { return *columns_[c]; }
  const std::shared_ptr<arrow::Array>& array(size_t c) const { return arrays_[c]; }
  size_t size() const { return columns_.size(); }
  // No value of column `c` holds a byte JSON must escape (a control, '"' or '\\').
  bool plain(size_t c) const { return plain_[c]; }
  // Column c's value at `row` or nullopt-like: false when null. Reads the buffers directly,
  // without the array's per-call type checks.
  bool Get(size_t c, int64_t row, std::string_view* value) const {
    const Raw& raw = raw_[c];
    if (raw.validity != nullptr && !arrow::bit_util::GetBit(raw.validity, raw.offset + row)) {
      return false;
    }
    *value = std::string_view(raw.data + raw.offsets[row],
                              static_cast<size_t>(raw.offsets[row + 1] - raw.offsets[row]));
    return true;
  }
  // Bytes of the JSON text of rows [from, end) at most (with every escape at its longest).
  size_t JsonBytesAtMost(int64_t from, int64_t end) const;

 private:
  arrow::ArrayVector arrays_;  // keeps the columns alive
  std::vector<const arrow::StringArray*> columns_;
  std::vector<uint8_t> plain_;  // not vector<bool>: read per value
  struct Raw {
    const uint8_t* validity;  // nullptr: no nulls
    int64_t offset;           // of the array in its validity bitmap
    const int32_t* offsets;   // value offsets, from the array's first value
    const char* data;
  };
  std::vector<Raw> raw_;
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
