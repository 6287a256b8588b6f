// Apache Kafka transport (librdkafka): the topic `pizza_sales` on real brokers.
#pragma once

#include <memory>
#include <string>

#include "transport/open_topic.h"

namespace pizzastream::transport {

Result<std::unique_ptr<TopicWriter>> OpenKafkaWriter(const TransportConfig& config,
                                                     const std::string& producer_id);
Result<std::unique_ptr<TopicReader>> OpenKafkaReader(const TransportConfig& config,
                                                     StartOffsetFn start_offset);

}  // namespace pizzastream::transport
