// Test support: a real single-node Kafka broker on loopback (scripts/kafka). Most tests share
// one broker per test process (KafkaBroker::Shared, a broker start costs ~10 s) and isolate
// themselves by topic and consumer group (KafkaBrokerTest::Name); a test that stops or
// restarts the broker starts one of its own (KafkaBroker::Start). Each broker has its own
// state directory, so tests never touch a developer's `make stack` broker. Destroying a broker
// stops it and removes its data (the shared one at process exit); if the test process dies
// instead, the script's watchdog does the same. Not thread-safe: use from the test's thread.
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
  // The broker shared by every test of this process, with the SASL_SSL listener too: started
  // on the first call, stopped at exit. A failed start is returned to every later call.
  // Stop() and Restart() refuse it (they would break the other tests).
  static Result<KafkaBroker*> Shared();
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
  bool shared_ = false;
};

// A test fixture with a broker in `broker_`: the process's shared one, or with
// KafkaBrokerTest(kOwnBroker) a fresh one for this test alone (for tests that stop or restart
// it). Tests on the shared broker name their topics and groups with Name().
class KafkaBrokerTest : public ::testing::Test {
 protected:
  enum BrokerKind { kSharedBroker, kOwnBroker };
  explicit KafkaBrokerTest(BrokerKind kind = kSharedBroker) : kind_(kind) {}

  void SetUp() override;

  // "<what>-<test name>-<n>": a topic or group name no other test of the process uses (n
  // counts the tests run, so repeated runs of one test get new names too).
  std::string Name(const std::string& what) const { return what + "-" + unique_; }

  KafkaBroker* broker_ = nullptr;

 private:
  BrokerKind kind_;
  std::unique_ptr<KafkaBroker> own_;
  std::string unique_;
};

}  // namespace pizzastream::testing
