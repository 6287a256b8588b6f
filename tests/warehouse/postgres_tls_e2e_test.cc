// The PostgreSQL warehouse over TLS with sslmode=verify-full against scripts/postgres (TLS
// from a throwaway CA, TCP connections refused without it): the connection is encrypted; a
// server certificate from another CA is refused; a wrong password is reported as an
// authentication failure, never as a lost connection, and never shows the password.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "support/postgres_server.h"
#include "support/process.h"
#include "warehouse/postgres_connection.h"

namespace pizzastream::warehouse {
namespace {

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from << " in " << text;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

Status Select1(const std::string& url, bool* ssl = nullptr) {
  return PostgresConnection::Make(url)->Run("test", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    const pqxx::row row = tx.exec1("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    if (ssl != nullptr) *ssl = row[0].as<bool>();
    return Status::OK();
  });
}

// Each test on a database of its own (url_) on the process's shared server.
class PostgresTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::PostgresServer::Shared();
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    auto url = (*server)->NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
  }
  std::string url_;
};

TEST_F(PostgresTlsTest, TheWarehouseConnectsWithVerifyFullOverTls) {
  const std::string& url = url_;
  ASSERT_NE(url.find("sslmode=verify-full"), std::string::npos) << url;
  bool ssl = false;
  const Status st = Select1(url, &ssl);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(ssl);
  // The CLI on the same URL: schema and figures over the verified connection.
  auto init = testing::RunPizzastream({"warehouse", "init", "--warehouse", url});
  EXPECT_EQ(init.exit_code, 0) << init.err;
  auto kpi = testing::RunPizzastream({"kpi", "--json", "--warehouse", url});
  EXPECT_EQ(kpi.exit_code, 0) << kpi.err;
  EXPECT_NE(kpi.out.find("\"total_orders\":0"), std::string::npos) << kpi.out;
}

TEST_F(PostgresTlsTest, PlainTcpAndAnotherCasCertificateAreRefused) {
  const std::string plain = Replaced(url_, "sslmode=verify-full", "sslmode=disable");
  EXPECT_FALSE(Select1(plain).ok());

  testing::TempDir dir;
  auto ca = testing::RunCommand(
      {std::string(PIZZASTREAM_SOURCE_DIR) + "/scripts/throwaway-tls", dir / "other-ca"});
  ASSERT_EQ(ca.exit_code, 0) << ca.err;
  const std::string url = url_;
  const size_t root = url.find("sslrootcert=");
  ASSERT_NE(root, std::string::npos);
  const std::string other = url.substr(0, root) + "sslrootcert=" + (dir / "other-ca/ca.crt");
  const Status st = Select1(other);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("TLS connection refused"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("certificate verify failed"), std::string::npos) << st.ToString();
}

TEST_F(PostgresTlsTest, AWrongPasswordIsAnAuthenticationFailure) {
  const std::string wrong = Replaced(url_, "pizzastream@", "pizzastream:Wr0ng-Passw0rd@");
  const Status st = Select1(wrong);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("authentication failed"), std::string::npos) << st.ToString();
  EXPECT_EQ(st.message().find("connection lost"), std::string::npos) << st.ToString();
  EXPECT_EQ(st.message().find("Wr0ng-Passw0rd"), std::string::npos) << st.ToString();

  auto kpi = testing::RunPizzastream({"kpi", "--json", "--warehouse", wrong});
  EXPECT_NE(kpi.exit_code, 0);
  EXPECT_NE(kpi.err.find("authentication failed"), std::string::npos) << kpi.err;
  EXPECT_EQ(kpi.err.find("Wr0ng-Passw0rd"), std::string::npos) << kpi.err;
}

}  // namespace
}  // namespace pizzastream::warehouse
