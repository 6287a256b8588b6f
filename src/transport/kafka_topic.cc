// Placeholder until the Kafka transport lands (issue 3).
#include "transport/kafka_topic.h"

namespace pizzastream::transport {

Result<std::unique_ptr<TopicWriter>> OpenKafkaWriter(const TransportConfig&, const std::string&) {
  return Status::NotImplemented("the Kafka transport is not built yet");
}
Result<std::unique_ptr<TopicReader>> OpenKafkaReader(const TransportConfig&, StartOffsetFn) {
  return Status::NotImplemented("the Kafka transport is not built yet");
}

}  // namespace pizzastream::transport
