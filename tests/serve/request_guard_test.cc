#include "serve/request_guard.h"

#include <gtest/gtest.h>

namespace pizzastream::serve {
namespace {

TEST(RequestGuardTest, OnLoopbackOnlyLoopbackHostNamesPass) {
  const RequestGuard guard("127.0.0.1", "");
  EXPECT_EQ(guard.Check("/api/kpi", "127.0.0.1:8080", "").status, 0);
  EXPECT_EQ(guard.Check("/api/kpi", "localhost:8080", "").status, 0);
  EXPECT_EQ(guard.Check("/api/kpi", "[::1]:8080", "").status, 0);
  EXPECT_EQ(guard.Check("/api/kpi", "", "").status, 0);  // HTTP/1.0 sends no Host
  EXPECT_EQ(guard.Check("/api/kpi", "evil.example:8080", "").status, 403);
  EXPECT_EQ(guard.Check("/", "localhost.evil.example", "").status, 403);
  EXPECT_EQ(RequestGuard("0.0.0.0", "").Check("/api/kpi", "dashboard.lan:8080", "").status, 0);
}

TEST(RequestGuardTest, TheTokenGuardsTheApiAndMetricsOnly) {
  const RequestGuard guard("127.0.0.1", "t0ken");
  EXPECT_EQ(guard.Check("/api/kpi", "localhost", "").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "Bearer t0ke").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "Bearer t0ken!").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "bearer t0ken").status, 401);
  EXPECT_EQ(guard.Check("/metrics", "localhost", "").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "Bearer t0ken").status, 0);
  EXPECT_EQ(guard.Check("/", "localhost", "").status, 0);
  EXPECT_EQ(guard.Check("/healthz", "localhost", "").status, 0);
}

}  // namespace
}  // namespace pizzastream::serve
