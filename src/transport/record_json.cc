#include "transport/record_json.h"

#include <array>

namespace pizzastream::transport {

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t plain_from = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.data() + plain_from, i - plain_from);
    plain_from = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xf]);
    }
  }
  out->append(text.data() + plain_from, text.size() - plain_from);
  out->push_back('"');
}

SourceColumns::SourceColumns(const arrow::RecordBatch& batch) : arrays_(batch.columns()) {
  for (const auto& array : arrays_) {
    columns_.push_back(static_cast<const arrow::StringArray*>(array.get()));
  }
}

void AppendRecordJson(const SourceColumns& columns, int64_t row, std::string* out) {
  // "name": for every source column, built once.
  static const std::array<std::string, sources::kSourceColumns.size()> kKeys = [] {
    std::array<std::string, sources::kSourceColumns.size()> keys;
    for (size_t c = 0; c < keys.size(); ++c) {
      keys[c] = std::string("\"") + sources::kSourceColumns[c] + "\":";
    }
    return keys;
  }();
  out->push_back('{');
  bool first = true;
  for (size_t c = 0; c < columns.size() && c < kKeys.size(); ++c) {
    const arrow::StringArray& column = columns[c];
    if (column.IsNull(row)) continue;
    if (!first) out->push_back(',');
    first = false;
    out->append(kKeys[c]);
    AppendJsonString(column.GetView(row), out);
  }
  out->push_back('}');
}

void AppendMalformedJson(const sources::MalformedRecord& record, std::string* out) {
  out->append("{\"_malformed\":");
  AppendJsonString(record.raw, out);
  out->append(",\"_reason\":");
  AppendJsonString(record.reason, out);
  out->push_back('}');
}

}  // namespace pizzastream::transport
