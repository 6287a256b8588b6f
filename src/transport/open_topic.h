// Chooses the transport: Apache Kafka when brokers are configured, else the embedded log.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "transport/topic.h"

namespace pizzastream::transport {

class SentRecords;  // transport/sent_records.h

struct TransportConfig {
  std::string topic = "pizza_sales";
  std::string kafka_brokers;                 // empty: embedded log
  std::string log_dir;                       // embedded log directory (<data-dir>/log)
  int partitions = 1;                        // used when the topic is created
  std::string group = "pizzastream-bronze";  // consumer group of the bronze workers
  // librdkafka client properties for every Kafka client (security.protocol, sasl.*, ssl.*,
  // ...), applied after pizzastream's defaults; see kafka::CheckUserProperties.
  std::vector<std::pair<std::string, std::string>> kafka_properties;
  // How the embedded log's writer compresses its batches: "none", "lz4" or "zstd"
  // (transport/embedded_log_compression.h; why LZ4 by default: embedded_log.h); readers read
  // them all.
  std::string log_compression = "lz4";
  // The records a producer of this process sends to the embedded topic, kept for the embedded
  // reader of this process (transport/sent_records.h); nullptr: none kept. Kafka ignores it.
  std::shared_ptr<SentRecords> sent_records;
};

// `producer_id` names the source (see TopicWriter); the same source must use the same id.
Result<std::unique_ptr<TopicWriter>> OpenTopicWriter(const TransportConfig& config,
                                                     const std::string& producer_id);
Result<std::unique_ptr<TopicReader>> OpenTopicReader(const TransportConfig& config,
                                                     StartOffsetFn start_offset);

}  // namespace pizzastream::transport
