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
  // Parsed in place, with readable bytes after it as the embedded log's reader leaves them, the
  // message decodes exactly the same (a parser of its own keeps the first decoding's views).
  static simdjson::ondemand::parser in_place_parser;
  static std::string padded;
  padded.assign(reinterpret_cast<const char*>(data), size);
  // What follows it in the log is another message: here the input again, or '}' if empty.
  for (size_t i = 0; i < simdjson::SIMDJSON_PADDING; ++i) {
    padded.push_back(size == 0 ? '}' : static_cast<char>(data[i % size]));
  }
  pizzastream::bronze::DecodedRecord in_place;
  pizzastream::bronze::DecodeMessage(in_place_parser, scratch,
                                     std::string_view(padded.data(), size), &in_place,
                                     simdjson::SIMDJSON_PADDING);
  if (in_place.reason != decoded.reason || in_place.present != decoded.present) std::abort();
  for (size_t i = 0; i < decoded.fields.size(); ++i) {
    if (decoded.present[i] && in_place.fields[i] != decoded.fields[i]) std::abort();
  }
  return total == SIZE_MAX ? 1 : 0;
}
