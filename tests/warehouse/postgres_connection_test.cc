// Connection-string defaults and the one-line, password-free error messages of the PostgreSQL
// warehouse (no server needed).
#include "warehouse/postgres_connection.h"

#include <gtest/gtest.h>

namespace pizzastream::warehouse {
namespace {

TEST(PostgresConnectionTest, DefaultsAreAddedUnlessTheUrlSetsThem) {
  EXPECT_EQ(ConninfoWithDefaults("postgresql://u@h:5432/db"),
            "postgresql://u@h:5432/db?fallback_application_name=pizzastream&connect_timeout=10");
  EXPECT_EQ(ConninfoWithDefaults("postgresql://u@h/db?sslmode=disable&connect_timeout=3"),
            "postgresql://u@h/db?sslmode=disable&connect_timeout=3"
            "&fallback_application_name=pizzastream");
}

TEST(PostgresConnectionTest, MessagesAreOneLineWithoutTheSecret) {
  EXPECT_EQ(OneLineRedacted("FATAL:  password authentication failed for hunter2\n\tDETAIL:  x\n",
                            "hunter2"),
            "FATAL: password authentication failed for *** DETAIL: x");
  EXPECT_EQ(OneLineRedacted("no secret here", ""), "no secret here");
  EXPECT_EQ(OneLineRedacted("aaaa", "aa"), "******");
}

TEST(PostgresConnectionTest, AMalformedUrlFailsAtFirstUseWithoutShowingThePassword) {
  for (const char* url : {"postgresql://u:top%73ecret@h/db?nonsense_option=1",
                          "postgresql://u@h/db?nonsense_option=1&password=topsecret"}) {
    const Status st =
        PostgresConnection::Make(url)->Run("test", [](pqxx::connection&) { return Status::OK(); });
    ASSERT_FALSE(st.ok()) << url;
    EXPECT_NE(st.message().find("nonsense_option"), std::string::npos) << st.ToString();
    EXPECT_EQ(st.message().find("topsecret"), std::string::npos) << st.ToString();
  }
}

TEST(PostgresConnectionTest, ConnectingDoesNotHappenUntilFirstUse) {
  // Port 1 on loopback refuses at once: Make succeeds, Run reports the failure as a Status.
  auto conn = PostgresConnection::Make("postgresql://u:topsecret@127.0.0.1:1/db");
  const Status st = conn->Run("test", [](pqxx::connection&) { return Status::OK(); });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("postgresql test"), std::string::npos) << st.ToString();
  EXPECT_EQ(st.message().find("topsecret"), std::string::npos) << st.ToString();
  EXPECT_EQ(st.message().find('\n'), std::string::npos) << st.ToString();
}

TEST(PostgresConnectionTest, ConnectFailuresSayWhatFailed) {
  const Status auth =
      ConnectFailure("test",
                     "connection to server at \"127.0.0.1\", port 5432 failed: FATAL: password "
                     "authentication failed for user \"pizzastream\"");
  EXPECT_NE(auth.message().find("postgresql test: authentication failed"), std::string::npos)
      << auth.ToString();
  EXPECT_EQ(auth.message().find("connection lost"), std::string::npos);
  const Status tls = ConnectFailure("test", "SSL error: certificate verify failed");
  EXPECT_NE(tls.message().find("TLS connection refused"), std::string::npos) << tls.ToString();
  const Status refused = ConnectFailure("test", "Connection refused");
  EXPECT_NE(refused.message().find("cannot connect"), std::string::npos) << refused.ToString();
}

}  // namespace
}  // namespace pizzastream::warehouse
