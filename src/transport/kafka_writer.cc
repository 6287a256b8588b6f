#include "transport/kafka_writer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "transport/kafka_sequence_scan.h"

namespace pizzastream::transport {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kWaitLogEvery = std::chrono::seconds(10);

kafka::Settings ProducerSettings(const TransportConfig& config) {
  kafka::Settings settings = kafka::CommonSettings(config);
  const auto timeout_ms = std::chrono::milliseconds(KafkaTopicWriter::kDeliveryTimeout).count();
  settings.insert(settings.end(), {
                                      // Exactly once per partition on retries, acks from all
                                      // in-sync replicas, no reordering.
                                      {"enable.idempotence", "true"},
                                      {"acks", "all"},
                                      {"enable.gapless.guarantee", "true"},
                                      {"compression.codec", "lz4"},
                                      {"linger.ms", "5"},
                                      {"batch.num.messages", "10000"},
                                      {"message.timeout.ms", std::to_string(timeout_ms)},
                                      {"retry.backoff.ms", "200"},
                                      {"partitioner", "murmur2"},
                                  });
  return settings;
}

}  // namespace

KafkaTopicWriter::KafkaTopicWriter(const TransportConfig& config, const std::string& producer_id)
    : brokers_(config.kafka_brokers), topic_name_(config.topic), producer_id_(producer_id) {}

KafkaTopicWriter::~KafkaTopicWriter() {
  if (rk_) {
    // Whatever was not flushed is abandoned, never sent later behind a newer writer's back.
    rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(rk_.get(), 0);
  }
  if (topic_ != nullptr) rd_kafka_topic_destroy(topic_);
}

Result<std::unique_ptr<KafkaTopicWriter>> KafkaTopicWriter::Open(const TransportConfig& config,
                                                                 const std::string& producer_id) {
  if (producer_id.empty()) return Status::Invalid("a Kafka producer needs an id");
  std::unique_ptr<KafkaTopicWriter> writer(new KafkaTopicWriter(config, producer_id));
  ARROW_ASSIGN_OR_RAISE(kafka::Conf conf, kafka::MakeConf(ProducerSettings(config), "producer"));
  rd_kafka_conf_set_opaque(conf.get(), writer.get());
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &KafkaTopicWriter::OnDelivery);
  ARROW_ASSIGN_OR_RAISE(writer->rk_, kafka::MakeClient(RD_KAFKA_PRODUCER, std::move(conf)));

  ARROW_ASSIGN_OR_RAISE(int32_t partitions,
                        kafka::EnsureTopic(writer->rk_.get(), config.topic, config.partitions));
  writer->topic_ = rd_kafka_topic_new(writer->rk_.get(), config.topic.c_str(), nullptr);
  if (writer->topic_ == nullptr) return Status::Invalid("bad topic name: ", config.topic);
  ARROW_ASSIGN_OR_RAISE(writer->highest_,
                        kafka::HighestSequences(config, config.topic, partitions, producer_id));
  return writer;
}

void KafkaTopicWriter::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* writer = static_cast<KafkaTopicWriter*>(opaque);
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++writer->delivered_;
    return;
  }
  if (message->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE ||
      message->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) {
    return;  // abandoned on purpose, after a failure already recorded
  }
  ++writer->undelivered_;
  if (writer->failure_.ok()) {
    writer->failure_ = kafka::ErrorStatus(
        message->err, "sending to topic " + writer->topic_name_ + " at " + writer->brokers_);
  }
}

Status KafkaTopicWriter::Health() {
  if (failure_.ok()) failure_ = kafka::FatalStatus(rk_.get());
  if (failure_.ok()) return failure_;
  // Nothing after a failed record may reach the topic.
  rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  return failure_.WithMessage(failure_.message(), " (", undelivered_,
                              " records not delivered; rerun to resume from the topic)");
}

void KafkaTopicWriter::LogWaiting(const char* what) {
  const auto now = Clock::now();
  if (now - last_wait_log_ < kWaitLogEvery) return;
  if (last_wait_log_ != Clock::time_point{}) {
    spdlog::warn("waiting for Kafka at {} to {}: {} records queued", brokers_, what,
                 rd_kafka_outq_len(rk_.get()));
  }
  last_wait_log_ = now;
}

Status KafkaTopicWriter::Produce(const OutgoingRecord& record, int32_t partition) {
  char sequence[24];
  const auto [end, ec] = std::to_chars(sequence, sequence + sizeof sequence, record.sequence);
  (void)ec;  // 24 chars hold any int64
  last_wait_log_ = {};
  while (true) {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(2);
    rd_kafka_header_add(headers, kafka::kProducerHeader, -1, producer_id_.data(),
                        static_cast<ssize_t>(producer_id_.size()));
    rd_kafka_header_add(headers, kafka::kSequenceHeader, -1, sequence, end - sequence);
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        rk_.get(), RD_KAFKA_V_RKT(topic_), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(const_cast<char*>(record.key.data()), record.key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(record.value.data()), record.value.size()),
        RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::OK();  // headers now owned
    rd_kafka_headers_destroy(headers);
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      ARROW_RETURN_NOT_OK(Health());
      return kafka::ErrorStatus(err, "queueing a record for topic " + topic_name_);
    }
    // The local queue is full: wait for deliveries (or for the cluster to come back).
    rd_kafka_poll(rk_.get(), 100);
    ARROW_RETURN_NOT_OK(Health());
    LogWaiting("take more records");
  }
}

Status KafkaTopicWriter::Append(std::span<const OutgoingRecord> records) {
  ARROW_RETURN_NOT_OK(Health());
  const auto partition_count = partitions();
  for (const OutgoingRecord& record : records) {
    const int32_t partition = kafka::Murmur2Partition(record.key, partition_count);
    int64_t& highest = highest_[static_cast<size_t>(partition)];
    if (record.sequence <= highest) continue;  // already on the topic
    ARROW_RETURN_NOT_OK(Produce(record, partition));
    highest = record.sequence;
  }
  rd_kafka_poll(rk_.get(), 0);  // serve delivery reports
  return Health();
}

Status KafkaTopicWriter::Flush() {
  last_wait_log_ = {};
  while (rd_kafka_outq_len(rk_.get()) > 0) {
    // Returns early once the queue is empty; a failure purges the rest.
    rd_kafka_flush(rk_.get(), 1000);
    ARROW_RETURN_NOT_OK(Health());
    LogWaiting("confirm delivery");
  }
  rd_kafka_poll(rk_.get(), 0);
  return Health();
}

Result<int64_t> KafkaTopicWriter::ResumeSequence() {
  // A sequence is surely on the topic only if it is at most the highest of every partition.
  return *std::min_element(highest_.begin(), highest_.end()) + 1;
}

}  // namespace pizzastream::transport
