// Test support: a real single-node Kafka broker on loopback (scripts/kafka) for one test.
// Each broker has its own state directory, so tests never touch a developer's `make stack`
// broker. Destroying it stops the broker and removes its data; if the test process dies
// instead, the script's watchdog does the same.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "support/process.h"

namespace pizzastream::testing {

class KafkaBroker {
 public:
  // Starts a broker and waits until it answers; with `sasl_ssl` it also has a SASL_SSL
  // listener (SCRAM-SHA-256 over TLS from a throwaway CA, scripts/kafka KAFKA_SASL_SSL=1).
  static Result<std::unique_ptr<KafkaBroker>> Start(bool sasl_ssl = false);
  ~KafkaBroker();
  KafkaBroker(const KafkaBroker&) = delete;
  KafkaBroker& operator=(const KafkaBroker&) = delete;

  // HOST:PORT, for --kafka-brokers / TransportConfig::kafka_brokers.
  const std::string& address() const { return address_; }
  // The SASL_SSL listener's HOST:PORT and its client properties file (security.protocol,
  // sasl.*, ssl.ca.location; mode 0600); empty without `sasl_ssl`.
  const std::string& sasl_ssl_address() const { return sasl_ssl_address_; }
  const std::string& client_properties() const { return client_properties_; }

  // Stops the broker but keeps its data and port, as a broker outage would.
  Status Stop();
  // Starts it again after Stop(), at the same address with the same data.
  Status Restart();

 private:
  KafkaBroker() = default;
  // Runs scripts/kafka with `args`; returns the last line it printed.
  Result<std::string> Run(const std::vector<std::string>& args);

  TempDir state_;
  std::string address_;
  std::string sasl_ssl_address_;
  std::string client_properties_;
  bool sasl_ssl_ = false;
};

// A test fixture with a fresh broker per test in `broker_`.
class KafkaBrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto broker = KafkaBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status().ToString();
    broker_ = std::move(*broker);
  }

  std::unique_ptr<KafkaBroker> broker_;
};

}  // namespace pizzastream::testing
