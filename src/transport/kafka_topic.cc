#include "transport/kafka_topic.h"

#include "transport/kafka_reader.h"
#include "transport/kafka_writer.h"

namespace pizzastream::transport {

Result<std::unique_ptr<TopicWriter>> OpenKafkaWriter(const TransportConfig& config,
                                                     const std::string& producer_id) {
  ARROW_ASSIGN_OR_RAISE(auto writer, KafkaTopicWriter::Open(config, producer_id));
  return std::unique_ptr<TopicWriter>(std::move(writer));
}

Result<std::unique_ptr<TopicReader>> OpenKafkaReader(const TransportConfig& config,
                                                     StartOffsetFn start_offset) {
  ARROW_ASSIGN_OR_RAISE(auto reader, KafkaTopicReader::Open(config, std::move(start_offset)));
  return std::unique_ptr<TopicReader>(std::move(reader));
}

}  // namespace pizzastream::transport
