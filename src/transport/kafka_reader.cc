#include "transport/kafka_reader.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

namespace pizzastream::transport {
namespace {

using Clock = std::chrono::steady_clock;

kafka::Settings ConsumerSettings(const TransportConfig& config) {
  kafka::Settings settings = kafka::CommonSettings(config);
  const auto session_ms = std::chrono::milliseconds(KafkaTopicReader::kSessionTimeout).count();
  settings.insert(settings.end(), {
                                      {"group.id", config.group},
                                      {"partition.assignment.strategy", "cooperative-sticky"},
                                      // Positions live in the lake; Kafka's copy is advisory.
                                      {"enable.auto.commit", "false"},
                                      {"enable.auto.offset.store", "false"},
                                      // Where a position no longer exists (retention).
                                      {"auto.offset.reset", "earliest"},
                                      {"session.timeout.ms", std::to_string(session_ms)},
                                      {"heartbeat.interval.ms", "1000"},
                                      {"fetch.wait.max.ms", "100"},
                                      // librdkafka 2.0 stops fetching for a fixed second once
                                      // its prefetch queue is full (fetch.queue.backoff.ms came
                                      // in 2.2). With the defaults (64 MB, 100k messages) bronze
                                      // catching up drained the queue in 0.3 s and then waited:
                                      // 1M lines took 3.7 s instead of 1.9 s. The price is up to
                                      // ~128 MB more memory while a worker is behind.
                                      {"queued.max.messages.kbytes", "131072"},
                                      {"queued.min.messages", "1000000"},
                                  });
  return settings;
}

bool Cooperative(rd_kafka_t* rk) {
  return std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
}

Status ErrorObjectStatus(rd_kafka_error_t* error, std::string_view context) {
  if (error == nullptr) return Status::OK();
  Status status = Status::IOError(context, ": ", rd_kafka_error_string(error));
  rd_kafka_error_destroy(error);
  return status;
}

}  // namespace

KafkaTopicReader::KafkaTopicReader(const TransportConfig& config, StartOffsetFn start_offset)
    : brokers_(config.kafka_brokers),
      topic_(config.topic),
      group_(config.group),
      start_offset_(std::move(start_offset)) {}

KafkaTopicReader::~KafkaTopicReader() {
  ReleaseBatch();
  for (rd_kafka_message_t* message : pending_) rd_kafka_message_destroy(message);
  closing_ = true;
  if (rk_) rd_kafka_consumer_close(rk_.get());
}

Result<std::unique_ptr<KafkaTopicReader>> KafkaTopicReader::Open(const TransportConfig& config,
                                                                 StartOffsetFn start_offset) {
  if (!start_offset) return Status::Invalid("a Kafka reader needs a StartOffsetFn");
  if (config.group.empty()) return Status::Invalid("a Kafka reader needs a consumer group");
  std::unique_ptr<KafkaTopicReader> reader(new KafkaTopicReader(config, std::move(start_offset)));
  ARROW_ASSIGN_OR_RAISE(kafka::Conf conf, kafka::MakeConf(ConsumerSettings(config), "consumer"));
  rd_kafka_conf_set_opaque(conf.get(), reader.get());
  rd_kafka_conf_set_rebalance_cb(conf.get(), &KafkaTopicReader::OnRebalance);
  ARROW_ASSIGN_OR_RAISE(reader->rk_, kafka::MakeClient(RD_KAFKA_CONSUMER, std::move(conf)));
  rd_kafka_t* rk = reader->rk_.get();

  ARROW_ASSIGN_OR_RAISE(reader->topic_partitions_,
                        kafka::EnsureTopic(rk, config.topic, config.partitions));
  rd_kafka_poll_set_consumer(rk);  // one queue: messages, rebalances and errors
  kafka::PartitionList topics(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(topics.get(), config.topic.c_str(), RD_KAFKA_PARTITION_UA);
  ARROW_RETURN_NOT_OK(
      kafka::ErrorStatus(rd_kafka_subscribe(rk, topics.get()), "subscribing to " + config.topic));
  ARROW_RETURN_NOT_OK(reader->WaitForAssignment());
  reader->PublishPositions();
  return reader;
}

Status KafkaTopicReader::WaitForAssignment() {
  const auto deadline = Clock::now() + kJoinTimeout;
  while (!assigned_once_) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk_.get(), 100);
    ARROW_RETURN_NOT_OK(failure_);
    if (message != nullptr && message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      Status status = HandleEvent(*message);
      rd_kafka_message_destroy(message);
      ARROW_RETURN_NOT_OK(status);
    } else if (message != nullptr) {
      pending_.push_back(message);
    }
    if (!assigned_once_ && Clock::now() > deadline) {
      return Status::IOError("consumer group ", group_, " of topic ", topic_, " at ", brokers_,
                             " assigned this worker nothing within ", kJoinTimeout.count(), " s");
    }
  }
  return Status::OK();
}

void KafkaTopicReader::OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                                   rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto* reader = static_cast<KafkaTopicReader*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    Status status = reader->Assign(partitions);
    if (!status.ok() && reader->failure_.ok()) reader->failure_ = std::move(status);
    return;
  }
  if (err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
    spdlog::warn("Kafka rebalance of topic {} failed: {}", reader->topic_, rd_kafka_err2str(err));
  }
  reader->Revoke(partitions);
  (void)rk;
}

Status KafkaTopicReader::Assign(rd_kafka_topic_partition_list_t* partitions) {
  assigned_once_ = true;
  Status status;
  // While closing (another worker left at the same moment), partitions can still be handed to
  // this one: take them as they are, nothing more is read from them.
  for (int i = 0; i < partitions->cnt && !closing_; ++i) {
    rd_kafka_topic_partition_t& partition = partitions->elems[i];
    Result<int64_t> start = start_offset_(partition.partition);
    if (!start.ok()) {
      if (status.ok()) {
        status = start.status().WithMessage("start position of partition ", partition.partition,
                                            ": ", start.status().message());
      }
      partition.offset = RD_KAFKA_OFFSET_BEGINNING;  // never read: Poll fails first
      continue;
    }
    partition.offset = *start >= 0 ? *start : RD_KAFKA_OFFSET_BEGINNING;
    positions_[partition.partition] = std::max<int64_t>(*start, 0);
  }
  if (Cooperative(rk_.get())) {
    ARROW_RETURN_NOT_OK(ErrorObjectStatus(rd_kafka_incremental_assign(rk_.get(), partitions),
                                          "taking partitions of " + topic_));
  } else {
    ARROW_RETURN_NOT_OK(kafka::ErrorStatus(rd_kafka_assign(rk_.get(), partitions),
                                           "taking partitions of " + topic_));
  }
  spdlog::info("Kafka topic {}: given {} partition(s), now reading {}", topic_, partitions->cnt,
               positions_.size());
  return status;
}

void KafkaTopicReader::Revoke(rd_kafka_topic_partition_list_t* partitions) {
  if (Cooperative(rk_.get())) {
    for (int i = 0; i < partitions->cnt; ++i) positions_.erase(partitions->elems[i].partition);
    Status status = ErrorObjectStatus(rd_kafka_incremental_unassign(rk_.get(), partitions),
                                      "giving up partitions of " + topic_);
    if (!status.ok()) spdlog::warn("{}", status.message());
  } else {
    positions_.clear();
    rd_kafka_assign(rk_.get(), nullptr);
  }
  spdlog::info("Kafka topic {}: {} partition(s) taken away, now reading {}", topic_,
               partitions->cnt, positions_.size());
}

void KafkaTopicReader::ReleaseBatch() {
  for (rd_kafka_message_t* message : batch_) rd_kafka_message_destroy(message);
  batch_.clear();
}

Status KafkaTopicReader::HandleEvent(const rd_kafka_message_t& message) {
  switch (message.err) {
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR__FATAL:
      return kafka::ErrorStatus(message.err, "reading topic " + topic_ + " at " + brokers_);
    default:
      // Broker down, rebalance churn, poll interval exceeded: librdkafka recovers by itself.
      spdlog::debug("Kafka consumer event on {}: {}", topic_, rd_kafka_err2str(message.err));
      return Status::OK();
  }
}

void KafkaTopicReader::Deliver(rd_kafka_message_t* message, std::vector<Message>* out) {
  auto position = positions_.find(message->partition);
  if (position == positions_.end()) {  // from a partition revoked meanwhile
    rd_kafka_message_destroy(message);
    return;
  }
  position->second = message->offset + 1;
  batch_.push_back(message);
  rd_kafka_timestamp_type_t type;
  out->push_back(Message{
      .key = message->key
                 ? std::string_view(static_cast<const char*>(message->key), message->key_len)
                 : std::string_view(),
      .value = message->payload
                   ? std::string_view(static_cast<const char*>(message->payload), message->len)
                   : std::string_view(),
      .partition = message->partition,
      .offset = message->offset,
      .timestamp_ms = rd_kafka_message_timestamp(message, &type),
      .readable_after = 0,  // librdkafka's payloads carry no padding
  });
}

Status KafkaTopicReader::Poll(size_t max_messages, std::chrono::milliseconds timeout,
                              std::vector<Message>* out) {
  ReleaseBatch();
  out->clear();
  ARROW_RETURN_NOT_OK(failure_);
  for (rd_kafka_message_t* message : pending_) Deliver(message, out);
  pending_.clear();
  const auto deadline = Clock::now() + timeout;
  while (out->size() < max_messages) {
    int wait_ms = 0;
    if (out->empty()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      wait_ms = static_cast<int>(std::max<int64_t>(left.count(), 0));
    }
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk_.get(), wait_ms);
    if (!failure_.ok()) {
      if (message != nullptr) rd_kafka_message_destroy(message);
      out->clear();
      return failure_;
    }
    if (message == nullptr) {
      if (!out->empty() || Clock::now() >= deadline) break;
      continue;
    }
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      Status status = HandleEvent(*message);
      rd_kafka_message_destroy(message);
      if (!status.ok()) {
        out->clear();
        return status;
      }
      continue;
    }
    Deliver(message, out);
  }
  PublishPositions();
  return Status::OK();
}

Status KafkaTopicReader::CommitOffsets(std::span<const PartitionOffset> offsets) {
  kafka::PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const PartitionOffset& offset : offsets) {
    // A partition given away meanwhile belongs to its new owner's commits.
    if (!positions_.contains(offset.partition)) continue;
    rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), offset.partition)->offset =
        offset.next_offset;
  }
  if (list->cnt == 0) return Status::OK();
  const rd_kafka_resp_err_t err = rd_kafka_commit(rk_.get(), list.get(), /*async=*/0);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // Advisory only (the lake holds the positions that count): a rebalance or an
    // unreachable broker just delays what lag tools show.
    spdlog::warn("committing offsets of {} to Kafka: {}", topic_, rd_kafka_err2str(err));
  }
  return Status::OK();
}

void KafkaTopicReader::PublishPositions() {
  std::lock_guard lock(published_mutex_);
  published_.assign(positions_.begin(), positions_.end());
}

Result<int64_t> KafkaTopicReader::Lag() {
  std::vector<std::pair<int32_t, int64_t>> positions;
  {
    std::lock_guard lock(published_mutex_);
    positions = published_;
  }
  int64_t lag = 0;
  for (const auto& [partition, position] : positions) {
    int64_t low = 0;
    int64_t high = 0;
    // librdkafka calls are thread-safe: this may run beside a Poll on the owner's thread.
    // The end of the partition as the last fetch saw it costs nothing; asking the broker costs
    // a round trip per partition (it made the pipeline wait half a second between steps), so
    // only before the first fetch.
    if (rd_kafka_get_watermark_offsets(rk_.get(), topic_.c_str(), partition, &low, &high) !=
            RD_KAFKA_RESP_ERR_NO_ERROR ||
        high < 0) {
      ARROW_RETURN_NOT_OK(kafka::ErrorStatus(
          rd_kafka_query_watermark_offsets(rk_.get(), topic_.c_str(), partition, &low, &high, 5000),
          "reading the end of " + topic_));
    }
    lag += std::max<int64_t>(0, high - std::max(position, low));
  }
  return lag;
}

Result<std::vector<PartitionOffset>> KafkaTopicReader::EndOffsets() {
  std::vector<PartitionOffset> ends;
  for (int32_t partition = 0; partition < topic_partitions_; ++partition) {
    int64_t low = 0;
    int64_t high = 0;
    // Always a round trip: a cached watermark may predate records a producer just flushed.
    ARROW_RETURN_NOT_OK(kafka::ErrorStatus(
        rd_kafka_query_watermark_offsets(rk_.get(), topic_.c_str(), partition, &low, &high,
                                         static_cast<int>(kWatermarkTimeout.count())),
        "reading the end of partition " + std::to_string(partition) + " of " + topic_ + " at " +
            brokers_));
    if (high < 0) {
      return Status::IOError("the broker at ", brokers_, " gave no end for partition ", partition,
                             " of ", topic_);
    }
    ends.push_back({partition, high});
  }
  return ends;
}

std::vector<int32_t> KafkaTopicReader::Assignment() const {
  std::vector<int32_t> partitions;
  partitions.reserve(positions_.size());
  for (const auto& [partition, position] : positions_) partitions.push_back(partition);
  return partitions;
}

Status KafkaTopicReader::Seek(int32_t partition, int64_t next_offset) {
  auto position = positions_.find(partition);
  if (position == positions_.end()) {
    return Status::Invalid("partition ", partition, " of ", topic_, " is not assigned here");
  }
  kafka::PartitionList list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), partition)->offset =
      next_offset >= 0 ? next_offset : RD_KAFKA_OFFSET_BEGINNING;
  ARROW_RETURN_NOT_OK(ErrorObjectStatus(rd_kafka_seek_partitions(rk_.get(), list.get(), 5000),
                                        "seeking in " + topic_));
  ARROW_RETURN_NOT_OK(kafka::ErrorStatus(list->elems[0].err, "seeking in " + topic_));
  position->second = std::max<int64_t>(next_offset, 0);
  PublishPositions();
  return Status::OK();
}

}  // namespace pizzastream::transport
