// The wire form of an order line on the topic: one JSON object with the source fields as
// strings, as the original producer sent them; absent fields are left out. A record the
// source could not split travels as {"_malformed": RAW, "_reason": WHY} so bronze can
// quarantine it with its raw text.
#pragma once

#include <arrow/array.h>

#include <string>
#include <string_view>

#include "sources/order_source.h"

namespace pizzastream::transport {

// Appends the JSON text of record `row` of `batch` (SourceSchema) to `out`.
void AppendRecordJson(const arrow::RecordBatch& batch, int64_t row, std::string* out);
// Appends {"_malformed":...,"_reason":...} to `out`.
void AppendMalformedJson(const sources::MalformedRecord& record, std::string* out);
// Appends `text` as a JSON string literal (quotes included) to `out`.
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace pizzastream::transport
