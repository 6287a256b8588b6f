#include "transport/open_topic.h"

#include "transport/embedded_log.h"
#include "transport/kafka_topic.h"

namespace pizzastream::transport {

Result<std::unique_ptr<TopicWriter>> OpenTopicWriter(const TransportConfig& config,
                                                     const std::string& producer_id) {
  if (!config.kafka_brokers.empty()) return OpenKafkaWriter(config, producer_id);
  return OpenEmbeddedWriter(config, producer_id);
}

Result<std::unique_ptr<TopicReader>> OpenTopicReader(const TransportConfig& config,
                                                     StartOffsetFn start_offset) {
  if (!config.kafka_brokers.empty()) return OpenKafkaReader(config, std::move(start_offset));
  return OpenEmbeddedReader(config, std::move(start_offset));
}

}  // namespace pizzastream::transport
