// libFuzzer target: bronze's decoding of one topic message (src/bronze/bronze_record.h).
// Any bytes must give either fields or a quarantine reason, never a crash; a decoded field
// must lie inside the message or the parser's buffers (ASan checks the reads).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bronze/bronze_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static simdjson::ondemand::parser parser;
  static std::string scratch;
  pizzastream::bronze::DecodedRecord decoded;
  pizzastream::bronze::DecodeMessage(
      parser, scratch, std::string_view(reinterpret_cast<const char*>(data), size), &decoded);
  size_t total = 0;
  for (size_t i = 0; i < decoded.fields.size(); ++i) {
    if (!decoded.present[i]) continue;
    for (char c : decoded.fields[i]) total += static_cast<unsigned char>(c);  // touch every byte
  }
  if (size == 0 && decoded.reason.empty()) std::abort();  // an empty message is quarantined
  return total == SIZE_MAX ? 1 : 0;
}
