#include "support/kafka_broker.h"

#include <unistd.h>

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

KafkaBroker::~KafkaBroker() { (void)Run({"stop"}); }

Status KafkaBroker::Stop() { return Run({"stop", "--keep-data"}).status(); }

Status KafkaBroker::Restart() {
  ARROW_ASSIGN_OR_RAISE(std::string address, Run({"start"}));
  if (address != address_) {
    return Status::IOError("broker came back at ", address, " instead of ", address_);
  }
  return Status::OK();
}

}  // namespace pizzastream::testing
