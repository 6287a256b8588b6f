// The topic's hot-path JSON string escaper (the one hand-written JSON writer; everything off
// the hot path uses nlohmann): whatever the text, a JSON parser reads back exactly the bytes
// that went in, and the escapes are the short ones where JSON has them.
#include "transport/record_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace pizzastream::transport {
namespace {

std::string Escaped(std::string_view text) {
  std::string out = "prefix:";  // appends, never overwrites
  AppendJsonString(text, &out);
  EXPECT_EQ(out.rfind("prefix:", 0), 0u);
  return out.substr(7);
}

TEST(RecordJson, EveryStringReadsBackExactly) {
  std::string every_control;
  for (int c = 0; c < 0x20; ++c) every_control.push_back(static_cast<char>(c));
  for (const std::string& text :
       {std::string(""), std::string("The Hawaiian Pizza"), std::string("say \"cheese\""),
        std::string("back\\slash"), std::string("tab\there, line\nthere\r"), every_control,
        std::string("Pepperoni, Mushrooms, Red Onions, \xC3\xA9t\xC3\xA9 \xE2\x82\xAC"),
        std::string("end\\")}) {
    const std::string json = Escaped(text);
    EXPECT_EQ(nlohmann::json::parse(json).get<std::string>(), text) << json;
  }
}

TEST(RecordJson, UsesTheShortEscapesAndHexForOtherControls) {
  EXPECT_EQ(Escaped("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Escaped("\n\r\t"), R"("\n\r\t")");
  EXPECT_EQ(Escaped(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
  EXPECT_EQ(Escaped("\xC3\xA9"), "\"\xC3\xA9\"");  // UTF-8 passes through
}

}  // namespace
}  // namespace pizzastream::transport
