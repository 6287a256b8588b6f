#include "serve/query_string.h"

#include <gtest/gtest.h>

namespace pizzastream::serve {
namespace {

TEST(QueryStringTest, DecodesNamesAndValues) {
  auto params = ParseQuery("group=day&category=Chicken+Pizza&size=X%4C&from");
  ASSERT_TRUE(params.ok());
  ASSERT_EQ(params->size(), 4u);
  EXPECT_EQ(params->find("group")->second, "day");
  EXPECT_EQ(params->find("category")->second, "Chicken Pizza");
  EXPECT_EQ(params->find("size")->second, "XL");
  EXPECT_EQ(params->find("from")->second, "");
}

TEST(QueryStringTest, KeepsEveryOccurrenceOfARepeatedParameter) {
  auto params = ParseQuery("size=L&size=L&&group=day");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->count("size"), 2u);  // identical pairs too: the filter refuses them
  EXPECT_EQ(params->count("group"), 1u);
}

TEST(QueryStringTest, MalformedEscapesAreInvalid) {
  for (const char* query : {"a=%", "a=%4", "a=%zz", "%g1=1", "a=%4-"}) {
    auto params = ParseQuery(query);
    ASSERT_FALSE(params.ok()) << query;
    EXPECT_TRUE(params.status().IsInvalid()) << query;
  }
  auto nul = ParseQuery("a=%00");
  ASSERT_TRUE(nul.ok());
  EXPECT_EQ(nul->find("a")->second, std::string(1, '\0'));
}

TEST(QueryStringTest, PlusIsLiteralInPaths) {
  auto path = PercentDecode("/a+b%20c", false);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, "/a+b c");
}

}  // namespace
}  // namespace pizzastream::serve
