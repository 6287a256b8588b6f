#include "bronze/bronze_record.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>

namespace pizzastream::bronze {
namespace {

constexpr std::array<std::string_view, kFields> kFieldNames = [] {
  std::array<std::string_view, kFields> names;
  for (size_t i = 0; i < kFields; ++i) names[i] = sources::kSourceColumns[i];
  return names;
}();

// A field's name followed by its closing quote, as a producer writes it, in three words with
// the masks of the bytes it covers: a key as written is compared with three loads instead of a
// memcmp call (the message's buffer is padded, so 24 bytes from any key's start are readable).
struct PackedName {
  std::array<uint64_t, 3> word{}, mask{};
};
static_assert(
    [] {
      size_t longest = 0;
      for (std::string_view name : kFieldNames) longest = std::max(longest, name.size());
      return longest;
    }() < 24,
    "a field name and its quote must fit in 24 bytes");

const std::array<PackedName, kFields>& PackedNames() {
  static const std::array<PackedName, kFields> names = [] {
    std::array<PackedName, kFields> out{};
    for (size_t i = 0; i < kFields; ++i) {
      std::array<char, 24> bytes{}, mask{};
      const std::string_view name = kFieldNames[i];
      for (size_t b = 0; b <= name.size(); ++b) {
        bytes[b] = b < name.size() ? name[b] : '"';
        mask[b] = static_cast<char>(0xff);
      }
      std::memcpy(out[i].word.data(), bytes.data(), bytes.size());
      std::memcpy(out[i].mask.data(), mask.data(), mask.size());
    }
    return out;
  }();
  return names;
}

// Whether the key whose text starts at `raw` (after its opening quote) is `name`.
bool KeyIs(const char* raw, const PackedName& name) {
  std::array<uint64_t, 3> w;
  std::memcpy(w.data(), raw, sizeof w);
  return (((w[0] ^ name.word[0]) & name.mask[0]) | ((w[1] ^ name.word[1]) & name.mask[1]) |
          ((w[2] ^ name.word[2]) & name.mask[2])) == 0;
}

// The field `key` names, or -1.
int FieldIndex(std::string_view key) {
  for (size_t i = 0; i < kFields; ++i) {
    if (key == kFieldNames[i]) return static_cast<int>(i);
  }
  return -1;
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Whether `text` holds a backslash or a control character, eight bytes at a time (a byte loop
// that stops at the first hit cannot be vectorised; this costs a few instructions a word).
bool HasEscapeOrControl(std::string_view text) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  // Bytes below 0x20 (only for bytes under 0x80: the ones at or above it are masked by ~word),
  // and bytes equal to '\\' (a zero byte after the xor).
  auto flagged = [](uint64_t word) {
    const uint64_t control = (word - kOnes * 0x20) & ~word;
    const uint64_t x = word ^ (kOnes * '\\');
    const uint64_t backslash = (x - kOnes) & ~x;
    return ((control | backslash) & kHighs) != 0;
  };
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    if (flagged(word)) return true;
  }
  if (i == text.size()) return false;
  uint64_t word = kOnes * 'a';  // the missing bytes are plain letters
  std::memcpy(&word, text.data() + i, text.size() - i);
  return flagged(word);
}

// The text of a JSON string token (`"..."` and the whitespace after it) as written, when it
// holds no escape and no control character (which JSON rejects): nothing to unescape or copy.
std::optional<std::string_view> VerbatimString(std::string_view token) {
  while (!token.empty() && IsJsonSpace(token.back())) token.remove_suffix(1);
  if (token.size() < 2 || token.front() != '"' || token.back() != '"') return std::nullopt;
  token = token.substr(1, token.size() - 2);
  if (HasEscapeOrControl(token)) return std::nullopt;
  return token;
}

// Decodes `value`, whose bytes (and `allocated` - value.size() readable ones after them) are at
// `json`.
void Decode(simdjson::ondemand::parser& parser, const char* json, size_t allocated,
            std::string_view value, DecodedRecord* out) {
  out->present.fill(false);
  out->reason = {};
  if (value.empty()) {
    out->reason = "empty_message";
    return;
  }
  auto fail = [&](std::string_view what, simdjson::error_code code) {
    out->reason_storage.assign(what);
    out->reason_storage.append(": ");
    out->reason_storage.append(simdjson::error_message(code));
    out->reason = out->reason_storage;
  };
  simdjson::ondemand::document doc;
  if (auto err = parser.iterate(json, value.size(), allocated).get(doc)) {
    return fail("invalid_json", err);
  }
  simdjson::ondemand::object object;
  if (auto err = doc.get_object().get(object)) {
    // On-Demand reads lazily: tell a JSON value that is not an object from text that is no JSON.
    std::string_view text = value;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
      text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
      text.remove_suffix(1);
    const bool json_value =
        text == "true" || text == "false" || text == "null" ||
        (!text.empty() && std::strchr("[\"-0123456789", text.front()) != nullptr);
    return fail(json_value ? "not_a_json_object" : "invalid_json", err);
  }
  std::string_view malformed, malformed_reason;
  const std::array<PackedName, kFields>& names = PackedNames();
  size_t hint = 0;
  for (auto result : object) {
    simdjson::ondemand::field field;
    if (auto err = std::move(result).get(field)) return fail("invalid_json", err);
    // The key a producer writes next is compared as written (no unescaping, no copy); any
    // other key may be escaped ("pizza\u005fid"), so is unescaped and looked up.
    std::string_view key;
    int index = -1;
    if (hint < kFields && KeyIs(field.key().raw(), names[hint])) {
      key = kFieldNames[hint];
      index = static_cast<int>(hint);
    } else {
      if (auto err = field.unescaped_key().get(key)) return fail("invalid_json", err);
      index = FieldIndex(key);
    }
    simdjson::ondemand::value v = std::move(field).value();
    simdjson::ondemand::json_type type;
    if (auto err = v.type().get(type)) return fail("invalid_json", err);
    std::string_view text;
    if (type == simdjson::ondemand::json_type::string) {
      if (auto verbatim = VerbatimString(v.raw_json_token())) {
        text = *verbatim;
      } else if (auto err = v.get_string().get(text)) {
        return fail("invalid_json", err);
      }
    } else if (type == simdjson::ondemand::json_type::null) {
      continue;
    } else if (type == simdjson::ondemand::json_type::object ||
               type == simdjson::ondemand::json_type::array) {
      out->reason_storage = "nested_value: field '" + std::string(key) + "' is not a scalar";
      out->reason = out->reason_storage;
      return;
    } else {
      text = v.raw_json_token();  // numbers and booleans keep their text as received
      while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
    }
    if (key == "_malformed") {
      malformed = text;
    } else if (key == "_reason") {
      malformed_reason = text;
    } else if (index >= 0) {
      out->fields[index] = text;
      out->present[index] = true;
      hint = static_cast<size_t>(index) + 1;
    }
  }
  if (!malformed.empty() || !malformed_reason.empty()) {
    out->reason_storage.assign(malformed_reason.empty() ? "malformed_source_record"
                                                        : malformed_reason);
    out->reason = out->reason_storage;
  }
}

}  // namespace

void DecodeMessage(simdjson::ondemand::parser& parser, std::string& scratch, std::string_view value,
                   DecodedRecord* out, size_t readable_after) {
  if (readable_after >= simdjson::SIMDJSON_PADDING) {
    Decode(parser, value.data(), value.size() + readable_after, value, out);
    // simdjson may tell why it rejects a message differently depending on the bytes after it:
    // a rejected message gets its reason from a zero-padded copy, the same wherever it lies.
    if (out->reason.empty()) return;
  }
  scratch.assign(value);
  scratch.resize(value.size() + simdjson::SIMDJSON_PADDING);
  Decode(parser, scratch.data(), scratch.size(), value, out);
}

}  // namespace pizzastream::bronze
