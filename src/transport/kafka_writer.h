// The Kafka side of TopicWriter: an idempotent librdkafka producer (acks=all, lz4) that
// sends each record to the murmur2 partition of its key, tagged with the producer id and
// sequence in headers so a restarted producer can tell what is already on the topic
// (transport/kafka_sequence_scan.h).
//
// Broker down: librdkafka keeps the records and retries with backoff for up to
// kDeliveryTimeout; Append waits while its queue is full, logging what it waits for. A record
// still undelivered then fails the writer for good: its queue is purged and Append and Flush
// return the error, so nothing after the failed record is sent and a rerun resumes from the
// topic's tail. (Records of one partition time out in order, so the ones queued behind a
// failed record fail with it; idempotence keeps retried batches from landing twice.)
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "transport/kafka_client.h"
#include "transport/open_topic.h"
#include "transport/topic.h"

namespace pizzastream::transport {

class KafkaTopicWriter final : public TopicWriter {
 public:
  // How long a record may wait for the cluster before the writer gives up on it.
  static constexpr std::chrono::minutes kDeliveryTimeout{5};

  // Creates the topic when missing and reads where `producer_id` stopped on it.
  static Result<std::unique_ptr<KafkaTopicWriter>> Open(const TransportConfig& config,
                                                        const std::string& producer_id);
  ~KafkaTopicWriter() override;
  KafkaTopicWriter(const KafkaTopicWriter&) = delete;
  KafkaTopicWriter& operator=(const KafkaTopicWriter&) = delete;

  Status Append(std::span<const OutgoingRecord> records) override;
  Status Flush() override;
  Result<int64_t> ResumeSequence() override;
  int64_t delivered() const override { return delivered_; }

  int32_t partitions() const { return static_cast<int32_t>(highest_.size()); }

 private:
  KafkaTopicWriter(const TransportConfig& config, const std::string& producer_id);
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  Status Produce(const OutgoingRecord& record, int32_t partition);
  // The writer's failure, if delivery or the client failed.
  Status Health();
  void LogWaiting(const char* what);

  std::string brokers_;
  std::string topic_name_;
  std::string producer_id_;
  kafka::Handle rk_;
  rd_kafka_topic_t* topic_ = nullptr;  // owned; destroyed before rk_
  std::vector<int64_t> highest_;       // per partition: highest sequence on the topic or queued
  int64_t delivered_ = 0;
  int64_t undelivered_ = 0;
  Status failure_;
  std::chrono::steady_clock::time_point last_wait_log_{};
};

}  // namespace pizzastream::transport
