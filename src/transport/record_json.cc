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

bool NeedsJsonEscape(std::string_view text) {
  // Blocks of a fixed size without an early exit: the compiler turns the inner loop into
  // vector compares (several times faster than a byte loop that stops at the first hit).
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  auto escaped = [](unsigned char c) { return (c < 0x20) | (c == '"') | (c == '\\'); };
  unsigned char found = 0;
  size_t i = 0;
  for (; i + 256 <= text.size(); i += 256) {
    unsigned char block = 0;
    for (size_t j = 0; j < 256; ++j) block |= escaped(p[i + j]);
    found |= block;
  }
  for (; i < text.size(); ++i) found |= escaped(p[i]);
  return found != 0;
}

SourceColumns::SourceColumns(const arrow::RecordBatch& batch) : arrays_(batch.columns()) {
  for (const auto& array : arrays_) {
    const auto* column = static_cast<const arrow::StringArray*>(array.get());
    columns_.push_back(column);
    // The text of every value, null slots included (they span no bytes).
    const int64_t n = column->length();
    const std::string_view text =
        n == 0 ? std::string_view()
               : std::string_view(
                     reinterpret_cast<const char*>(column->raw_data()) + column->value_offset(0),
                     static_cast<size_t>(column->value_offset(n) - column->value_offset(0)));
    plain_.push_back(!NeedsJsonEscape(text));
    raw_.push_back({column->null_count() == 0 ? nullptr : column->null_bitmap_data(),
                    column->offset(), column->raw_value_offsets(),
                    reinterpret_cast<const char*>(column->raw_data())});
  }
}

namespace {

// What goes before each column's value: "name":" after '{', and ","name":" after a value.
struct ColumnKeys {
  std::array<std::string, sources::kSourceColumns.size()> first, next;
  size_t longest = 0;
};

const ColumnKeys& Keys() {
  static const ColumnKeys kKeys = [] {
    ColumnKeys keys;
    for (size_t c = 0; c < keys.first.size(); ++c) {
      keys.first[c] = std::string("{\"") + sources::kSourceColumns[c] + "\":\"";
      keys.next[c] = "\",\"" + keys.first[c].substr(2);
      keys.longest = std::max(keys.longest, keys.next[c].size());
    }
    return keys;
  }();
  return kKeys;
}

}  // namespace

size_t SourceColumns::JsonBytesAtMost(int64_t from, int64_t end) const {
  size_t bytes = static_cast<size_t>(end - from) * (columns_.size() * Keys().longest + 3);
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (end <= from) break;
    const size_t text =
        static_cast<size_t>(columns_[c]->value_offset(end) - columns_[c]->value_offset(from));
    bytes += plain_[c] ? text : text * 6;  // \u00XX is the longest escape
  }
  return bytes;
}

void AppendRecordJson(const SourceColumns& columns, int64_t row, std::string* out) {
  const ColumnKeys& keys = Keys();
  bool first = true;
  for (size_t c = 0; c < columns.size() && c < keys.first.size(); ++c) {
    std::string_view value;
    if (!columns.Get(c, row, &value)) continue;
    // The opening quote is part of the key; AppendJsonString writes its own quotes.
    const std::string& key = first ? keys.first[c] : keys.next[c];
    first = false;
    if (columns.plain(c)) {
      out->append(key);
      out->append(value);
    } else {
      out->append(key, 0, key.size() - 1);
      AppendJsonString(value, out);
      out->pop_back();
    }
  }
  out->append(first ? "{}" : "\"}");
}

void AppendMalformedJson(const sources::MalformedRecord& record, std::string* out) {
  out->append("{\"_malformed\":");
  AppendJsonString(record.raw, out);
  out->append(",\"_reason\":");
  AppendJsonString(record.reason, out);
  out->push_back('}');
}

}  // namespace pizzastream::transport
