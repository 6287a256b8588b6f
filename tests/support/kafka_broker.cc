#include "support/kafka_broker.h"

#include <unistd.h>

#include <atomic>

#include "support/shared_server.h"

namespace pizzastream::testing {
namespace {

std::string KafkaScript() { return std::string(PIZZASTREAM_SOURCE_DIR) + "/scripts/kafka"; }

}  // namespace

Result<std::string> KafkaBroker::Run(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/env",
                                std::string("KAFKA_SASL_SSL=") + (sasl_ssl_ ? "1" : ""),
                                "KAFKA_STATE_DIR=" + (state_ / "kafka"),
                                "KAFKA_OWNER_PID=" + std::to_string(getpid()), KafkaScript()};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult result = RunCommand(argv);
  if (result.exit_code != 0) {
    return Status::IOError("scripts/kafka ", args.front(), " exited with ", result.exit_code, ": ",
                           result.err, result.out);
  }
  return LastLine(result.out);
}

Result<std::unique_ptr<KafkaBroker>> KafkaBroker::Start(bool sasl_ssl) {
  std::unique_ptr<KafkaBroker> broker(new KafkaBroker());
  broker->sasl_ssl_ = sasl_ssl;
  ARROW_ASSIGN_OR_RAISE(broker->address_, broker->Run({"start"}));
  if (broker->address_.find(':') == std::string::npos) {
    return Status::IOError("scripts/kafka start printed no HOST:PORT: ", broker->address_);
  }
  if (sasl_ssl) {
    ARROW_ASSIGN_OR_RAISE(std::string line, broker->Run({"sasl-ssl"}));
    const size_t space = line.find(' ');
    if (space == std::string::npos) {
      return Status::IOError("scripts/kafka sasl-ssl printed no HOST:PORT FILE: ", line);
    }
    broker->sasl_ssl_address_ = line.substr(0, space);
    broker->client_properties_ = line.substr(space + 1);
  }
  return broker;
}

Result<KafkaBroker*> KafkaBroker::Shared() {
  return SharedServer<KafkaBroker>::Get([]() -> Result<std::unique_ptr<KafkaBroker>> {
    ARROW_ASSIGN_OR_RAISE(auto broker, Start(/*sasl_ssl=*/true));
    broker->shared_ = true;
    return broker;
  });
}

KafkaBroker::~KafkaBroker() { (void)Run({"stop"}); }

Status KafkaBroker::Stop() {
  if (shared_) return Status::Invalid("the shared test broker cannot be stopped: use your own");
  return Run({"stop", "--keep-data"}).status();
}

Status KafkaBroker::Restart() {
  if (shared_) return Status::Invalid("the shared test broker cannot be restarted: use your own");
  ARROW_ASSIGN_OR_RAISE(std::string address, Run({"start"}));
  if (address != address_) {
    return Status::IOError("broker came back at ", address, " instead of ", address_);
  }
  return Status::OK();
}

void KafkaBrokerTest::SetUp() {
  static std::atomic<int> tests_run{0};
  unique_ = std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
            std::to_string(++tests_run);
  if (kind_ == kOwnBroker) {
    auto broker = KafkaBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status().ToString();
    own_ = std::move(*broker);
    broker_ = own_.get();
  } else {
    auto broker = KafkaBroker::Shared();
    ASSERT_TRUE(broker.ok()) << broker.status().ToString();
    broker_ = *broker;
  }
}

}  // namespace pizzastream::testing
