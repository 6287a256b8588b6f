#include "core/calendar.h"

#include <gtest/gtest.h>

namespace pizzastream {
namespace {

TEST(Calendar, EpochDayRoundTrips) {
  EXPECT_EQ(ToEpochDay({1970, 1, 1}), 0);
  const CivilDate d = FromEpochDay(ToEpochDay({2015, 12, 31}));
  EXPECT_EQ(d.year, 2015);
  EXPECT_EQ(d.month, 12);
  EXPECT_EQ(d.day, 31);
}

TEST(Calendar, IsoWeekdayStartsOnMonday) {
  EXPECT_EQ(IsoWeekday(ToEpochDay({2015, 1, 1})), 4);  // Thursday
  EXPECT_EQ(IsoWeekday(ToEpochDay({2015, 1, 4})), 7);  // Sunday
  EXPECT_EQ(IsoWeekday(ToEpochDay({2015, 1, 5})), 1);  // Monday
  EXPECT_EQ(WeekdayName(7), "Sunday");
}

TEST(Calendar, IsoWeekFollowsTheFirstThursdayRule) {
  EXPECT_EQ(IsoWeekOfYear(ToEpochDay({2015, 1, 1})), 1);
  EXPECT_EQ(IsoWeekOfYear(ToEpochDay({2015, 12, 31})), 53);  // 2015 has 53 ISO weeks
  EXPECT_EQ(IsoWeekOfYear(ToEpochDay({2016, 1, 3})), 53);    // still week 53 of 2015
  EXPECT_EQ(IsoWeekOfYear(ToEpochDay({2016, 1, 4})), 1);
  EXPECT_EQ(IsoWeekOfYear(ToEpochDay({2018, 12, 31})), 1);  // week 1 of 2019
}

}  // namespace
}  // namespace pizzastream
