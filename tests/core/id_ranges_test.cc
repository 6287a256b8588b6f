#include "core/id_ranges.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

namespace pizzastream {
namespace {

TEST(IdRanges, InsertReportsFirstSightingOnly) {
  IdRanges set;
  EXPECT_TRUE(set.Insert(7));
  EXPECT_FALSE(set.Insert(7));
  EXPECT_TRUE(set.Contains(7));
  EXPECT_FALSE(set.Contains(8));
  EXPECT_FALSE(set.Contains(6));
  EXPECT_EQ(set.size(), 1u);
}

TEST(IdRanges, InOrderIdsStayOneRange) {
  IdRanges set;
  for (int64_t id = 1; id <= 1000000; ++id) ASSERT_TRUE(set.Insert(id));
  EXPECT_EQ(set.size(), 1000000u);
  EXPECT_EQ(set.range_count(), 1u);
  EXPECT_FALSE(set.Insert(500000));
  EXPECT_TRUE(set.Contains(1));
  EXPECT_TRUE(set.Contains(1000000));
  EXPECT_FALSE(set.Contains(0));
  EXPECT_FALSE(set.Contains(1000001));
}

TEST(IdRanges, GapsCostARangeEachAndCloseWhenFilled) {
  IdRanges set;
  for (int64_t id = 0; id < 100; id += 2) ASSERT_TRUE(set.Insert(id));  // 0, 2, ..., 98
  EXPECT_EQ(set.range_count(), 50u);
  for (int64_t id = 1; id < 99; id += 2) ASSERT_TRUE(set.Insert(id));  // fill every gap
  EXPECT_EQ(set.range_count(), 1u);
  EXPECT_EQ(set.size(), 99u);
  ASSERT_TRUE(set.Insert(-5));  // before the first range, not adjacent
  ASSERT_TRUE(set.Insert(-1));  // adjacent to the first range: joins it
  EXPECT_EQ(set.range_count(), 2u);
  EXPECT_TRUE(set.Contains(-1));
  EXPECT_FALSE(set.Contains(-2));
  EXPECT_TRUE(set.Insert(INT64_MAX));
  EXPECT_TRUE(set.Insert(INT64_MAX - 1));
  EXPECT_FALSE(set.Insert(INT64_MAX));
  EXPECT_TRUE(set.Insert(INT64_MIN));
  EXPECT_TRUE(set.Contains(INT64_MIN));
}

TEST(IdRanges, AgreesWithAStdSetOnRandomIds) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> near(0, 3000);
  IdRanges set;
  std::set<int64_t> reference;
  for (int i = 0; i < 20000; ++i) {
    const int64_t id = near(rng);
    ASSERT_EQ(set.Insert(id), reference.insert(id).second) << id;
  }
  EXPECT_EQ(set.size(), reference.size());
  for (int64_t id = -1; id <= 3001; ++id) ASSERT_EQ(set.Contains(id), reference.count(id) == 1);
  set.Clear();
  EXPECT_FALSE(set.Contains(5));
  EXPECT_EQ(set.size(), 0u);
}

}  // namespace
}  // namespace pizzastream
