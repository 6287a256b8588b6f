#include "silver/field_parsers.h"

#include <gtest/gtest.h>

namespace pizzastream::silver {
namespace {

TEST(ParseWholeNumber, AcceptsPlainAndPointZeroForms) {
  int64_t v = 0;
  EXPECT_TRUE(ParseWholeNumber("42", &v));
  EXPECT_EQ(v, 42);
  EXPECT_TRUE(ParseWholeNumber("1.00", &v));
  EXPECT_EQ(v, 1);
  EXPECT_TRUE(ParseWholeNumber(" 7 ", &v));
  EXPECT_EQ(v, 7);
}

TEST(ParseWholeNumber, RejectsFractionsSignsAndJunk) {
  int64_t v = 0;
  for (const char* bad :
       {"", "1.5", "-1", "+1", "abc", "1e3", "1.", ".0", "12a", "99999999999999999999"}) {
    EXPECT_FALSE(ParseWholeNumber(bad, &v)) << bad;
  }
}

TEST(ParseCents, ReadsAtMostTwoDecimalsExactly) {
  int64_t c = 0;
  EXPECT_TRUE(ParseCents("13.25", &c));
  EXPECT_EQ(c, 1325);
  EXPECT_TRUE(ParseCents("9", &c));
  EXPECT_EQ(c, 900);
  EXPECT_TRUE(ParseCents("0.5", &c));
  EXPECT_EQ(c, 50);
  EXPECT_TRUE(ParseCents("0.00", &c));
  EXPECT_EQ(c, 0);
  for (const char* bad : {"", "13.255", "-1.00", "1,5", "abc", "1.", ".5", "1e2"}) {
    EXPECT_FALSE(ParseCents(bad, &c)) << bad;
  }
}

TEST(ParseDate, ReadsDayFirstFormatsAndIso) {
  EpochDay d = 0;
  const EpochDay jan13 = ToEpochDay({2015, 1, 13});
  for (const char* text : {"13/1/2015", "13-01-2015", "13.1.2015", "2015-01-13"}) {
    ASSERT_TRUE(ParseDate(text, DateOrder::kDayFirst, &d)) << text;
    EXPECT_EQ(d, jan13) << text;
  }
  ASSERT_TRUE(ParseDate("1/13/2015", DateOrder::kMonthFirst, &d));
  EXPECT_EQ(d, jan13);
  EXPECT_FALSE(ParseDate("1/13/2015", DateOrder::kDayFirst, &d));
}

TEST(ParseDate, RejectsDaysThatDoNotExist) {
  EpochDay d = 0;
  for (const char* bad : {"31/02/2015", "29/2/2015", "0/1/2015", "1/0/2015", "2015-13-01", "1/1/15",
                          "1/1-2015", "", "yesterday"}) {
    EXPECT_FALSE(ParseDate(bad, DateOrder::kDayFirst, &d)) << bad;
  }
  EXPECT_TRUE(ParseDate("29/2/2016", DateOrder::kDayFirst, &d));
}

TEST(ParseTimeOfDay, ReadsHoursMinutesSeconds) {
  int32_t s = 0;
  ASSERT_TRUE(ParseTimeOfDay("11:38:36", &s));
  EXPECT_EQ(s, 11 * 3600 + 38 * 60 + 36);
  ASSERT_TRUE(ParseTimeOfDay("9:05", &s));
  EXPECT_EQ(s, 9 * 3600 + 5 * 60);
  for (const char* bad : {"24:00:00", "12:60:00", "12:00:60", "12", "12:5", "ab:cd", ""}) {
    EXPECT_FALSE(ParseTimeOfDay(bad, &s)) << bad;
  }
}

}  // namespace
}  // namespace pizzastream::silver
