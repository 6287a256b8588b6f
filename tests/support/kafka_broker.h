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
  // Starts a broker and waits until it answers.
  static Result<std::unique_ptr<KafkaBroker>> Start();
  ~KafkaBroker();
  KafkaBroker(const KafkaBroker&) = delete;
  KafkaBroker& operator=(const KafkaBroker&) = delete;

  // HOST:PORT, for --kafka-brokers / TransportConfig::kafka_brokers.
  const std::string& address() const { return address_; }

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
