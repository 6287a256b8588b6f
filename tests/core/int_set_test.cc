#include "core/int_set.h"

#include <gtest/gtest.h>

namespace pizzastream {
namespace {

TEST(IntSet, InsertReportsFirstSightingOnly) {
  IntSet set(4);
  EXPECT_TRUE(set.Insert(7));
  EXPECT_FALSE(set.Insert(7));
  EXPECT_TRUE(set.Contains(7));
  EXPECT_FALSE(set.Contains(8));
}

TEST(IntSet, GrowsWithoutLosingKeys) {
  IntSet set(4);
  for (int64_t i = 0; i < 100000; ++i) ASSERT_TRUE(set.Insert(i * 3));
  EXPECT_EQ(set.size(), 100000u);
  for (int64_t i = 0; i < 100000; ++i) ASSERT_TRUE(set.Contains(i * 3));
  EXPECT_FALSE(set.Contains(1));
  set.Clear();
  EXPECT_FALSE(set.Contains(3));
}

}  // namespace
}  // namespace pizzastream
