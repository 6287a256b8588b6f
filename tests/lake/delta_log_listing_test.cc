#include "lake/delta_log_listing.h"

#include <gtest/gtest.h>

namespace pizzastream::lake {
namespace {

LogListing Of(const std::vector<std::string>& names) {
  LogListing l;
  for (const auto& n : names) AddLogFileName(n, &l);
  return l;
}

TEST(DeltaLogListing, StartsFromTheNewestCompleteCheckpoint) {
  auto plan = PlanLogRead(Of({"00000000000000000010.checkpoint.parquet",
                              "00000000000000000020.checkpoint.0000000001.0000000002.parquet",
                              "00000000000000000020.checkpoint.0000000002.0000000002.parquet",
                              "00000000000000000030.checkpoint.0000000001.0000000002.parquet",
                              "00000000000000000020.json", "00000000000000000021.json",
                              "00000000000000000022.json", "00000000000000000010.crc",
                              "_last_checkpoint", "00000000000000000023.json.1.2.tmp"}),
                          "t")
                  .ValueOrDie();
  ASSERT_TRUE(plan.checkpoint.has_value());
  EXPECT_EQ(*plan.checkpoint, 20);
  EXPECT_EQ(plan.checkpoint_files.size(), 2u);
  EXPECT_EQ(plan.first_commit, 21);
  EXPECT_EQ(plan.last_version, 22);
}

TEST(DeltaLogListing, HolesAndMissingStartsAreCorruption) {
  EXPECT_FALSE(
      PlanLogRead(Of({"00000000000000000000.json", "00000000000000000002.json"}), "t").ok());
  EXPECT_FALSE(
      PlanLogRead(Of({"00000000000000000003.json", "00000000000000000004.json"}), "t").ok());
  EXPECT_FALSE(
      PlanLogRead(Of({"00000000000000000005.checkpoint.parquet", "00000000000000000007.json"}), "t")
          .ok());
  // A hole among the commits older than the checkpoint is corruption too.
  EXPECT_FALSE(
      PlanLogRead(Of({"00000000000000000001.json", "00000000000000000003.json",
                      "00000000000000000004.checkpoint.parquet", "00000000000000000004.json"}),
                  "t")
          .ok());
  EXPECT_TRUE(
      PlanLogRead(Of({"00000000000000000003.json", "00000000000000000004.json",
                      "00000000000000000004.checkpoint.parquet", "00000000000000000005.json"}),
                  "t")
          .ok());
  EXPECT_TRUE(Of({"x.tmp", "00000000000000000000.json.9.9.tmp"}).empty());
}

}  // namespace
}  // namespace pizzastream::lake
