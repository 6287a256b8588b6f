#include "serve/connection_limits.h"

#include <gtest/gtest.h>

namespace pizzastream::serve {
namespace {

TEST(ConnectionLimitsTest, OneClientCannotTakeMoreThanItsShare) {
  ConnectionLimits limits(10, 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limits.TryAdmit("127.0.0.2"));
  EXPECT_FALSE(limits.TryAdmit("127.0.0.2"));
  EXPECT_TRUE(limits.TryAdmit("127.0.0.1"));  // others still get in
  limits.Release("127.0.0.2");
  EXPECT_TRUE(limits.TryAdmit("127.0.0.2"));
  EXPECT_EQ(limits.open(), 4u);
  EXPECT_EQ(limits.refused(), 1u);
}

TEST(ConnectionLimitsTest, TheTotalIsBoundedAcrossClients) {
  ConnectionLimits limits(4, 3);
  for (const char* client : {"a", "b", "c", "d"}) EXPECT_TRUE(limits.TryAdmit(client));
  EXPECT_FALSE(limits.TryAdmit("e"));
  limits.Release("a");
  EXPECT_TRUE(limits.TryAdmit("e"));
  EXPECT_EQ(limits.open(), 4u);
}

TEST(ConnectionLimitsTest, ReleasingAnUnknownClientChangesNothing) {
  ConnectionLimits limits(2, 2);
  EXPECT_TRUE(limits.TryAdmit("a"));
  limits.Release("b");
  EXPECT_EQ(limits.open(), 1u);
  limits.Release("a");
  limits.Release("a");
  EXPECT_EQ(limits.open(), 0u);
}

}  // namespace
}  // namespace pizzastream::serve
