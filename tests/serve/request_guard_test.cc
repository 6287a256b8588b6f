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

TEST(RequestGuardTest, HostNamesAreParsedAsAddressesNotMatchedByPrefix) {
  const RequestGuard guard("127.0.0.1", "");
  for (const char* host : {"127.attacker.example", "127.0.0.1.nip.io", "127.0.0.1.nip.io:8080",
                           "127.1", "127.0.0.1:", "127.0.0.1:80x", "127.0.0.1:123456", "0x7f.0.0.1",
                           "0177.0.0.1", "[::1", "[::1]x", "[::2]", "::1", "128.0.0.1",
                           "localhost.", "localhostx", "[127.0.0.1]", " 127.0.0.1", "127.0.0.1 "}) {
    EXPECT_EQ(guard.Check("/api/kpi", host, "").status, 403) << host;
  }
  for (const char* host : {"127.0.0.1", "127.255.255.254:1", "LocalHost", "localhost:65535",
                           "[::1]", "[0:0:0:0:0:0:0:1]:80", "[::ffff:127.0.0.1]"}) {
    EXPECT_EQ(guard.Check("/api/kpi", host, "").status, 0) << host;
  }
}

TEST(RequestGuardTest, TheBindAddressDecidesWhetherHostsAreChecked) {
  EXPECT_TRUE(IsLoopbackName("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackName("::1"));
  EXPECT_TRUE(IsLoopbackName("localhost"));
  EXPECT_FALSE(IsLoopbackName("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackName("::"));
  EXPECT_FALSE(IsLoopbackName("127.example"));
  EXPECT_EQ(RequestGuard("::1", "").Check("/api/kpi", "evil.example", "").status, 403);
}

TEST(RequestGuardTest, TheTokenGuardsTheApiAndMetricsOnly) {
  const RequestGuard guard("127.0.0.1", "t0ken");
  EXPECT_EQ(guard.Check("/api/kpi", "localhost", "").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "Bearer t0ke").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "Bearer t0ken!").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "Basic t0ken").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "Bearert0ken").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "t0ken").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "Bearer ").status, 401);
  EXPECT_EQ(guard.Check("/metrics", "localhost", "").status, 401);
  EXPECT_EQ(guard.Check("/api/sales", "localhost", "Bearer t0ken").status, 0);
  EXPECT_EQ(guard.Check("/", "localhost", "").status, 0);
  EXPECT_EQ(guard.Check("/healthz", "localhost", "").status, 0);
}

TEST(RequestGuardTest, TheBearerSchemeIsCaseInsensitive) {
  const RequestGuard guard("127.0.0.1", "t0ken");
  for (const char* header : {"bearer t0ken", "BEARER t0ken", "bEaReR  t0ken"}) {
    EXPECT_EQ(guard.Check("/api/kpi", "localhost", header).status, 0) << header;
  }
  EXPECT_EQ(guard.Check("/api/kpi", "localhost", "bearer T0KEN").status, 401);  // not the token
}

TEST(RequestGuardTest, HostWithoutPortKeepsBracketsAndRefusesBadPorts) {
  EXPECT_EQ(HostWithoutPort("[::1]:8080"), "[::1]");
  EXPECT_EQ(HostWithoutPort("localhost:1"), "localhost");
  EXPECT_EQ(HostWithoutPort("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(HostWithoutPort("127.0.0.1:x"), "");
  EXPECT_EQ(HostWithoutPort("[::1]8080"), "");
}

}  // namespace
}  // namespace pizzastream::serve
