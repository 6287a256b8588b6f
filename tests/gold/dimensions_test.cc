#include "gold/dimensions.h"

#include <gtest/gtest.h>

namespace pizzastream::gold {
namespace {

TEST(GoldDimensions, DateAttributesFollowTheContract) {
  const DateAttributes d = DeriveDate(ToEpochDay({2015, 12, 31}));
  EXPECT_EQ(d.date_id, 20151231);
  EXPECT_EQ(d.quarter, 4);
  EXPECT_EQ(d.week_of_year, 53);
  EXPECT_EQ(d.weekday_num, 4);
  EXPECT_EQ(d.weekday_name, "Thursday");
  EXPECT_EQ(DeriveDate(ToEpochDay({2015, 4, 1})).quarter, 2);
}

TEST(GoldDimensions, TimeIdIsHoursAndMinutes) {
  EXPECT_EQ(TimeId(11 * 3600 + 38 * 60 + 36), 1138);
  EXPECT_EQ(TimeId(9 * 60), 9);
}

TEST(GoldDimensions, TimeslotsCoverTheDay) {
  EXPECT_EQ(Timeslot(4), "Late-night");
  EXPECT_EQ(Timeslot(5), "Breakfast");
  EXPECT_EQ(Timeslot(10), "Breakfast");
  EXPECT_EQ(Timeslot(11), "Lunch");
  EXPECT_EQ(Timeslot(15), "Lunch");
  EXPECT_EQ(Timeslot(16), "Dinner");
  EXPECT_EQ(Timeslot(21), "Dinner");
  EXPECT_EQ(Timeslot(22), "Late-night");
}

TEST(GoldDimensions, PizzaKeyIsCrc32OfTheNameId) {
  EXPECT_EQ(PizzaSurrogateKey("123456789"), 0xCBF43926);  // the CRC-32 check value
  EXPECT_NE(PizzaSurrogateKey("hawaiian_m"), PizzaSurrogateKey("hawaiian_l"));
}

TEST(GoldDimensions, BaseIdDropsTheSizeSuffix) {
  EXPECT_EQ(PizzaBaseId("thai_ckn_l", "L"), "thai_ckn");
  EXPECT_EQ(PizzaBaseId("the_greek_xxl", "XXL"), "the_greek");
  EXPECT_EQ(PizzaBaseId("custom", "M"), "custom");
}

}  // namespace
}  // namespace pizzastream::gold
