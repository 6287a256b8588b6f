// Kafka over SASL (SCRAM-SHA-256) and TLS (a throwaway CA), end to end through the binary:
// the secured listener of scripts/kafka (KAFKA_SASL_SSL=1), the client settings from a 0600
// properties file, the password from the environment; exact figures. A wrong password is a
// clear error within a bounded time, and no secret is ever printed.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/kafka_broker.h"
#include "support/pipeline_checks.h"
#include "support/process.h"

namespace pizzastream::testing {
namespace {

using json = nlohmann::json;

// The value of `key` in a properties file's text.
std::string PropertyValue(const std::string& text, const std::string& key) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(key + "=")) return line.substr(key.size() + 1);
  }
  return "";
}

// On the process's shared broker (it has the SASL_SSL listener), with a topic and group of
// this test's own.
class KafkaSecurityTest : public KafkaBrokerTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(KafkaBrokerTest::SetUp());
    ASSERT_FALSE(broker_->sasl_ssl_address().empty());
    properties_ = ReadText(broker_->client_properties());
    password_ = PropertyValue(properties_, "sasl.password");
    ASSERT_GE(password_.size(), 16u);
  }

  // `pizzastream <args>` on the secured listener with the properties in `properties_file`
  // and `env` added to the environment.
  CommandResult Pizzastream(std::vector<std::string> args, const std::string& properties_file,
                            const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv{"/usr/bin/env"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(PizzastreamBinary());
    argv.insert(argv.end(), args.begin(), args.end());
    for (const std::string& option :
         {std::string("--kafka-brokers"), broker_->sasl_ssl_address(),
          std::string("--kafka-properties-file"), properties_file, std::string("--topic"),
          Name("orders"), std::string("--group"), Name("bronze"), std::string("--partitions"),
          std::string("3"), std::string("--data-dir"), dir_ / "data"}) {
      argv.push_back(option);
    }
    return RunCommand(argv);
  }

  std::string properties_;
  std::string password_;
  TempDir dir_;
};

TEST_F(KafkaSecurityTest, ThePipelineOverSaslScramAndTlsGivesExactFigures) {
  const json totals =
      GenerateOrders(dir_ / "orders.csv", dir_ / "totals.json", 20000, 0.01, 0.01, 5);
  // The password comes from the environment, everything else from the file.
  std::string without_password;
  std::istringstream lines(properties_);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("sasl.password=")) without_password += line + "\n";
  }
  WriteFile(dir_ / "client.properties", without_password);
  const std::string env = "PIZZASTREAM_KAFKA_PROPERTY_SASL_PASSWORD=" + password_;
  auto run = Pizzastream({"run", "--input", dir_ / "orders.csv", "--exit-when-idle"},
                         dir_ / "client.properties", {env});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find(password_), std::string::npos);
  EXPECT_EQ(run.err.find(password_), std::string::npos);
  auto kpi = Pizzastream({"kpi", "--json"}, dir_ / "client.properties", {env});
  ASSERT_EQ(kpi.exit_code, 0) << kpi.err;
  ExpectExactKpi(ParseKpi(kpi.out), totals);
}

TEST_F(KafkaSecurityTest, AWrongPasswordIsAClearErrorThatShowsNoSecret) {
  GenerateOrders(dir_ / "orders.csv", dir_ / "totals.json", 100, 0, 0, 5);
  const std::string wrong = "Wr0ng-" + password_.substr(0, 10) + "-pw";
  WriteFile(dir_ / "wrong.properties",
            "security.protocol=SASL_SSL\nsasl.mechanisms=SCRAM-SHA-256\nsasl.username=pizzastream\n"
            "sasl.password=" +
                wrong + "\nssl.ca.location=" + PropertyValue(properties_, "ssl.ca.location") +
                "\n");
  auto produce =
      Pizzastream({"produce", "--input", dir_ / "orders.csv"}, dir_ / "wrong.properties");
  EXPECT_NE(produce.exit_code, 0);
  EXPECT_NE(produce.err.find("Authentication failed"), std::string::npos) << produce.err;
  for (const std::string& secret : {wrong, password_}) {
    EXPECT_EQ(produce.err.find(secret), std::string::npos) << produce.err;
    EXPECT_EQ(produce.out.find(secret), std::string::npos) << produce.out;
  }
}

TEST_F(KafkaSecurityTest, AServerCertificateFromAnotherCaIsRefused) {
  GenerateOrders(dir_ / "orders.csv", dir_ / "totals.json", 100, 0, 0, 5);
  const CommandResult ca = RunCommand(
      {std::string(PIZZASTREAM_SOURCE_DIR) + "/scripts/throwaway-tls", dir_ / "other-ca"});
  ASSERT_EQ(ca.exit_code, 0) << ca.err;
  std::string other = properties_;
  const std::string ca_path = PropertyValue(properties_, "ssl.ca.location");
  other.replace(other.find(ca_path), ca_path.size(), dir_ / "other-ca/ca.crt");
  WriteFile(dir_ / "other.properties", other);
  auto produce =
      Pizzastream({"produce", "--input", dir_ / "orders.csv"}, dir_ / "other.properties");
  EXPECT_NE(produce.exit_code, 0);
  EXPECT_NE(produce.err.find("certificate verify failed"), std::string::npos) << produce.err;
  EXPECT_EQ(produce.err.find(password_), std::string::npos) << produce.err;
}

}  // namespace
}  // namespace pizzastream::testing
