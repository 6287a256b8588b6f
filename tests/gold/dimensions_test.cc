#include "gold/dimensions.h"

#include <gtest/gtest.h>
#include <zlib.h>

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

TEST(GoldDimensions, PizzaKeysOfACrc32CollisionAreDistinct) {
  // crc32("plumless") == crc32("buckeroo"): the old key credited Buckeroo's lines to Plum.
  EXPECT_EQ(crc32(0, reinterpret_cast<const Bytef*>("plumless"), 8),
            crc32(0, reinterpret_cast<const Bytef*>("buckeroo"), 8));
  PizzaKeys keys;
  int64_t plum = 0, buck = 0;
  bool is_new = false;
  ASSERT_TRUE(keys.KeyFor("plumless", &plum, &is_new).ok());
  EXPECT_TRUE(is_new);
  ASSERT_TRUE(keys.KeyFor("buckeroo", &buck, &is_new).ok());
  EXPECT_TRUE(is_new);
  EXPECT_NE(plum, buck);
  EXPECT_EQ(plum, PizzaSurrogateKey("plumless"));  // the same key in every run
  EXPECT_GE(plum, 0);
  EXPECT_LT(plum, int64_t{1} << 53);
  int64_t again = 0;
  ASSERT_TRUE(keys.KeyFor("plumless", &again, &is_new).ok());
  EXPECT_FALSE(is_new);
  EXPECT_EQ(again, plum);
}

TEST(GoldDimensions, PizzaKeysKeepTheKeysDimPizzaAlreadyHas) {
  // A lake made with crc32 keys: its ids keep their keys, a new id gets the wide hash.
  PizzaKeys keys;
  ASSERT_TRUE(keys.Add(0xCBF43926, "hawaiian_m").ok());
  int64_t key = 0;
  bool is_new = true;
  ASSERT_TRUE(keys.KeyFor("hawaiian_m", &key, &is_new).ok());
  EXPECT_FALSE(is_new);
  EXPECT_EQ(key, 0xCBF43926);
  ASSERT_TRUE(keys.KeyFor("hawaiian_l", &key, &is_new).ok());
  EXPECT_TRUE(is_new);
  EXPECT_EQ(key, PizzaSurrogateKey("hawaiian_l"));
}

TEST(GoldDimensions, PizzaKeyCollisionFailsLoudlyInsteadOfMerging) {
  PizzaKeys keys;
  // dim_pizza already gives buckeroo's hash to another id: buckeroo must not share it.
  ASSERT_TRUE(keys.Add(PizzaSurrogateKey("buckeroo"), "plumless").ok());
  int64_t key = 0;
  bool is_new = false;
  const Status st = keys.KeyFor("buckeroo", &key, &is_new);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("collision"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("plumless"), std::string::npos) << st.message();
  // A corrupt dim_pizza (one key, two ids; one id, two keys) is an error too.
  EXPECT_FALSE(keys.Add(PizzaSurrogateKey("buckeroo"), "other").ok());
  EXPECT_FALSE(keys.Add(7, "plumless").ok());
}

TEST(GoldDimensions, BaseIdDropsTheSizeSuffix) {
  EXPECT_EQ(PizzaBaseId("thai_ckn_l", "L"), "thai_ckn");
  EXPECT_EQ(PizzaBaseId("the_greek_xxl", "XXL"), "the_greek");
  EXPECT_EQ(PizzaBaseId("custom", "M"), "custom");
}

}  // namespace
}  // namespace pizzastream::gold
