#include "transport/record_json.h"

#include <array>
#include <cstring>

namespace pizzastream::transport {

char* WriteJsonString(std::string_view text, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out++ = '"';
  size_t plain_from = 0;
  auto two = [&out](char a, char b) {
    out[0] = a;
    out[1] = b;
    out += 2;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    std::memcpy(out, text.data() + plain_from, i - plain_from);
    out += i - plain_from;
    plain_from = i + 1;
    switch (c) {
      case '"':
        two('\\', '"');
        break;
      case '\\':
        two('\\', '\\');
        break;
      case '\n':
        two('\\', 'n');
        break;
      case '\r':
        two('\\', 'r');
        break;
      case '\t':
        two('\\', 't');
        break;
      default:
        std::memcpy(out, "\\u00", 4);
        out[4] = kHex[c >> 4];
        out[5] = kHex[c & 0xf];
        out += 6;
    }
  }
  std::memcpy(out, text.data() + plain_from, text.size() - plain_from);
  out += text.size() - plain_from;
  *out++ = '"';
  return out;
}

void AppendJsonString(std::string_view text, std::string* out) {
  const size_t at = out->size();
  out->resize(at + JsonStringBytesAtMost(text));
  char* end = WriteJsonString(text, out->data() + at);
  out->resize(static_cast<size_t>(end - out->data()));
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

SourceColumns::SourceColumns(const arrow::RecordBatch& batch)
    : arrays_(batch.columns()), rows_(batch.num_rows()) {
  for (const auto& array : arrays_) {
    auto text = lake::TextColumn::Of(*array);
    if (!text.ok()) {
      if (status_.ok()) status_ = text.status();
      text_.emplace_back();
      plain_.push_back(true);
      continue;
    }
    text_.push_back(*text);
    plain_.push_back(!NeedsJsonEscape(text->Bytes(0, array->length())));
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
  if (end <= from) return 0;
  size_t bytes = static_cast<size_t>(end - from) * (text_.size() * Keys().longest + 3);
  for (size_t c = 0; c < text_.size(); ++c) {
    const auto text = static_cast<size_t>(text_[c].TextBytesAtMost(from, end));
    bytes += plain_[c] ? text : text * 6;  // \u00XX is the longest escape
  }
  return bytes;
}

char* WriteRecordJson(const SourceColumns& columns, int64_t row, char* out) {
  const ColumnKeys& keys = Keys();
  bool first = true;
  for (size_t c = 0; c < columns.size() && c < keys.first.size(); ++c) {
    std::string_view value;
    if (!columns.Get(c, row, &value)) continue;
    // The opening quote is part of the key; WriteJsonString writes its own quotes.
    const std::string& key = first ? keys.first[c] : keys.next[c];
    first = false;
    if (columns.plain(c)) {
      std::memcpy(out, key.data(), key.size());
      out += key.size();
      std::memcpy(out, value.data(), value.size());
      out += value.size();
    } else {
      std::memcpy(out, key.data(), key.size() - 1);
      out = WriteJsonString(value, out + key.size() - 1) - 1;
    }
  }
  std::memcpy(out, first ? "{}" : "\"}", 2);
  return out + 2;
}

void AppendRecordJson(const SourceColumns& columns, int64_t row, std::string* out) {
  const size_t at = out->size();
  out->resize(at + columns.JsonBytesAtMost(row, row + 1));
  char* end = WriteRecordJson(columns, row, out->data() + at);
  out->resize(static_cast<size_t>(end - out->data()));
}

size_t MalformedJsonBytesAtMost(const sources::MalformedRecord& record) {
  return 32 + JsonStringBytesAtMost(record.raw) + JsonStringBytesAtMost(record.reason);
}

char* WriteMalformedJson(const sources::MalformedRecord& record, char* out) {
  constexpr std::string_view kRaw = "{\"_malformed\":", kReason = ",\"_reason\":";
  std::memcpy(out, kRaw.data(), kRaw.size());
  out = WriteJsonString(record.raw, out + kRaw.size());
  std::memcpy(out, kReason.data(), kReason.size());
  out = WriteJsonString(record.reason, out + kReason.size());
  *out++ = '}';
  return out;
}

void AppendMalformedJson(const sources::MalformedRecord& record, std::string* out) {
  const size_t at = out->size();
  out->resize(at + MalformedJsonBytesAtMost(record));
  char* end = WriteMalformedJson(record, out->data() + at);
  out->resize(static_cast<size_t>(end - out->data()));
}

}  // namespace pizzastream::transport
