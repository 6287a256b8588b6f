// Bronze's decoding of one topic message: parsed in place (the bytes after it readable, as the
// embedded log's reader guarantees) it gives exactly what it gives from a padded copy, whatever
// those following bytes hold.
#include "bronze/bronze_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pizzastream::bronze {
namespace {

struct Decoded {
  std::vector<std::string> fields;  // "<absent>" for a field not present
  std::string reason;
  bool operator==(const Decoded&) const = default;
};

Decoded Owned(const DecodedRecord& d) {
  Decoded out;
  for (size_t i = 0; i < kFields; ++i) {
    out.fields.push_back(d.present[i] ? std::string(d.fields[i]) : "<absent>");
  }
  out.reason = std::string(d.reason);
  return out;
}

TEST(BronzeRecord, InPlaceDecodingEqualsDecodingAPaddedCopyWhateverFollowsTheMessage) {
  const std::vector<std::string> messages = {
      R"({"pizza_id":"1","order_id":"2","pizza_name":"The \"Thai\" Pizza","quantity":"1"})",
      R"({"order_id":"7","quantity":3,"pizza_size":true,"unit_price":null})",
      R"({"_malformed":"a,b","_reason":"too_few_fields: 2"})",
      R"({"pizza_id":"1","order_id":"2")",  // cut short
      R"({"pizza_id":"1",)",
      R"({"pizza_id":{"nested":1}})",
      R"(["not","an","object"])",
      R"(42)",
      R"(not json)",
      R"({"pizza_id":"1)",
      R"({"quantity":12)",
      R"({})",
      R"({"pizza_id":"1","nested":{"a":[1]})",  // a '}' after it: simdjson's reason changes
  };
  // What the embedded log's buffer may hold next: the following record, JSON that would close
  // or continue a cut-short message, or zeros.
  const std::vector<std::string> followers = {
      std::string(64, '\0'), std::string(64, ' '), std::string(64, '}'),
      std::string(32, '"') + std::string(32, '}'),
      std::string("\x05\x00\x00\x00\x40\x00\x00\x00", 8) + R"(12345{"pizza_id":"9"})" +
          std::string(36, 'x')};
  simdjson::ondemand::parser parser;
  std::string scratch;
  for (const std::string& message : messages) {
    DecodedRecord copied;
    DecodeMessage(parser, scratch, message, &copied);
    const Decoded expected = Owned(copied);
    for (const std::string& follower : followers) {
      ASSERT_GE(follower.size(), simdjson::SIMDJSON_PADDING);
      const std::string buffer = message + follower;
      DecodedRecord in_place;
      DecodeMessage(parser, scratch, std::string_view(buffer).substr(0, message.size()), &in_place,
                    follower.size());
      EXPECT_EQ(Owned(in_place), expected) << message;
    }
  }
}

Decoded Decode(std::string_view message) {
  simdjson::ondemand::parser parser;
  std::string scratch;
  DecodedRecord d;
  DecodeMessage(parser, scratch, message, &d);
  return Owned(d);
}

TEST(BronzeRecord, FieldsAreTheirUnescapedTextWhateverTheSpacingAndKeysMayBeEscaped) {
  namespace f = sources::field;
  const Decoded d = Decode(
      "{ \"pizza\\u005fid\" : \"1\" ,\"order_id\":\"a\\\\b\\\"c\",\"pizza_name\":\"caf\\u00e9 "
      "\xc3\xa9\"\n,"
      "\"quantity\":\"  2 "
      "\",\"pizza_size\":\"\",\"unit_price\":\"1.00\"\t,\"order_date\":\"x\",\"order_date\":\"y\","
      "\"pizza_category\":\"\\/\\t\",\"other\":\"z\"}");
  EXPECT_EQ(d.reason, "");
  EXPECT_EQ(d.fields[f::kPizzaId], "1");
  EXPECT_EQ(d.fields[f::kOrderId], "a\\b\"c");
  EXPECT_EQ(d.fields[f::kPizzaName], "caf\xc3\xa9 \xc3\xa9");
  EXPECT_EQ(d.fields[f::kQuantity], "  2 ");
  EXPECT_EQ(d.fields[f::kPizzaSize], "");
  EXPECT_EQ(d.fields[f::kUnitPrice], "1.00");
  EXPECT_EQ(d.fields[f::kOrderDate], "y");  // the last of a repeated key
  EXPECT_EQ(d.fields[f::kPizzaCategory], "/\t");
  EXPECT_EQ(d.fields[f::kOrderTime], "<absent>");
  // A raw control character inside a string is not JSON.
  const Decoded control =
      Decode(std::string("{\"pizza_id\":\"a\x01"
                         "b\"}"));
  EXPECT_EQ(control.reason.rfind("invalid_json: ", 0), 0u) << control.reason;
  const Decoded control_in_key = Decode(std::string("{\"pizza\x01id\":\"1\"}"));
  EXPECT_EQ(control_in_key.reason.rfind("invalid_json: ", 0), 0u) << control_in_key.reason;
}

TEST(BronzeRecord, AKeyThatOnlyBeginsOrEndsLikeAFieldNameIsAnotherKey) {
  // Keys are matched a word at a time against the field a producer writes next (here: after
  // pizza_id, order_id; after pizza_category, pizza_ingredients, whose 17 bytes reach the
  // third word): a name a byte longer or shorter, or with another last byte, is not it.
  namespace f = sources::field;
  for (const char* key : {"order_idd", "order_i", "order_ie", "Order_id"}) {
    const Decoded d = Decode(std::string(R"({"pizza_id":"1",")") + key + R"(":"x"})");
    EXPECT_EQ(d.reason, "") << key;
    EXPECT_EQ(d.fields[f::kPizzaId], "1") << key;
    EXPECT_EQ(d.fields[f::kOrderId], "<absent>") << key;
  }
  for (const char* key : {"pizza_ingredientz", "pizza_ingredients_", "pizza_ingredient"}) {
    const Decoded d = Decode(std::string(R"({"pizza_category":"c",")") + key + R"(":"x"})");
    EXPECT_EQ(d.reason, "") << key;
    EXPECT_EQ(d.fields[f::kPizzaIngredients], "<absent>") << key;
  }
  const Decoded d = Decode(R"({"pizza_category":"c","pizza_ingredients":"x"})");
  EXPECT_EQ(d.fields[f::kPizzaIngredients], "x");
}

TEST(BronzeRecord, AnEscapeOrAControlCharacterIsSeenWhereverItLiesInTheValue) {
  // Values are checked for escapes a word at a time: put one at every position of values of
  // every length around a word's size, with UTF-8 bytes (at or above 0x80) around it.
  namespace f = sources::field;
  for (size_t length = 1; length <= 26; ++length) {
    for (size_t at = 0; at < length; ++at) {
      std::string plain;
      while (plain.size() < length) plain += "pp\xc3\xa9";  // "ppé..."
      plain.resize(length);
      if (plain.back() == '\xc3') plain.back() = 'p';
      if (plain[at] != 'p') continue;  // not inside a two-byte character
      std::string escaped = plain, expected = plain;
      escaped.replace(at, 1, "\\u0041");
      expected[at] = 'A';
      const Decoded d = Decode("{\"pizza_name\":\"" + escaped + "\"}");
      ASSERT_EQ(d.reason, "") << escaped;
      EXPECT_EQ(d.fields[f::kPizzaName], expected) << escaped;
      std::string control = plain;
      control[at] = '\x1f';
      const Decoded bad = Decode("{\"pizza_name\":\"" + control + "\"}");
      EXPECT_EQ(bad.reason.rfind("invalid_json: ", 0), 0u) << length << " " << at;
    }
  }
}

}  // namespace
}  // namespace pizzastream::bronze
