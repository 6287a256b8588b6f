// How bronze reads one message of the topic: a JSON object whose fields are the source
// columns as strings (transport/record_json.h). Anything else is a reason to quarantine the
// message: not JSON, not an object, a nested value, or a source line the producer could not
// parse (`_malformed` / `_reason`). Pure and allocation-free in the common case; the fuzz
// target fuzz/bronze_record_fuzzer.cc drives it with arbitrary bytes.
#pragma once

#include <simdjson.h>

#include <array>
#include <string>
#include <string_view>

#include "sources/order_source.h"

namespace pizzastream::bronze {

inline constexpr size_t kFields = sources::kSourceColumns.size();

// Result of decoding one message. Views point into the message or the parser's buffers and
// stay valid until the next DecodeMessage with the same parser and scratch.
struct DecodedRecord {
  std::array<std::string_view, kFields> fields;
  std::array<bool, kFields> present{};
  std::string_view reason;  // non-empty: quarantine
  std::string reason_storage;
};

// Decodes `value` into `out`. `value` is parsed in place when `readable_after` (bytes after it
// that may be read, Message::readable_after) covers simdjson's padding, else from `scratch`, a
// reused padded copy.
void DecodeMessage(simdjson::ondemand::parser& parser, std::string& scratch, std::string_view value,
                   DecodedRecord* out, size_t readable_after = 0);

}  // namespace pizzastream::bronze
