// The Kafka side of TopicReader: a librdkafka consumer in group `config.group` with the
// cooperative-sticky assignor. Cooperative (incremental) rebalancing moves only the
// partitions that change owner: a worker keeps reading its other partitions while a peer
// joins or leaves, and never has to re-read one it keeps. On assignment every new partition
// starts where StartOffsetFn says (the lake's committed position), never at Kafka's committed
// offset; on revocation the partition is simply dropped (its records already returned will
// fail the lake's per-partition commit check if the new owner commits first).
//
// Thread-safety: one thread uses the reader, except Lag() and EndOffsets(), which a status
// thread may call at any time (Lag reads a copy of the positions published at the end of every
// Poll and Seek).
//
// EndOffsets asks the broker for the high watermark of every partition of the topic, assigned
// here or not: whether the group has consumed the topic is judged against it, never against
// this worker's assignment (which is empty while the broker is away).
//
// Offsets are committed to Kafka only by CommitOffsets (enable.auto.commit=false), after
// the lake commit, for lag tools. A member that dies is replaced after kSessionTimeout.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "transport/kafka_client.h"
#include "transport/open_topic.h"
#include "transport/topic.h"

namespace pizzastream::transport {

class KafkaTopicReader final : public TopicReader {
 public:
  static constexpr std::chrono::seconds kSessionTimeout{10};
  // Open waits this long at most for the group to hand out partitions.
  static constexpr std::chrono::seconds kJoinTimeout{60};
  // How long EndOffsets waits for the broker's answer about one partition.
  static constexpr std::chrono::milliseconds kWatermarkTimeout{2000};

  // Creates the topic when missing, joins the group and waits for the first assignment, so an
  // empty Poll means "nothing new" rather than "not a member yet".
  static Result<std::unique_ptr<KafkaTopicReader>> Open(const TransportConfig& config,
                                                        StartOffsetFn start_offset);
  // Leaves the group, so peers take the partitions over at once.
  ~KafkaTopicReader() override;
  KafkaTopicReader(const KafkaTopicReader&) = delete;
  KafkaTopicReader& operator=(const KafkaTopicReader&) = delete;

  Status Poll(size_t max_messages, std::chrono::milliseconds timeout,
              std::vector<Message>* out) override;
  Status CommitOffsets(std::span<const PartitionOffset> offsets) override;
  Result<int64_t> Lag() override;
  Result<std::vector<PartitionOffset>> EndOffsets() override;
  std::vector<int32_t> Assignment() const override;
  Status Seek(int32_t partition, int64_t next_offset) override;

 private:
  KafkaTopicReader(const TransportConfig& config, StartOffsetFn start_offset);
  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* partitions, void* opaque);
  Status Assign(rd_kafka_topic_partition_list_t* partitions);
  void Revoke(rd_kafka_topic_partition_list_t* partitions);
  void ReleaseBatch();
  Status WaitForAssignment();
  // Hands `message` to the caller (appending a view to `out`) unless its partition is no
  // longer assigned here; takes ownership.
  void Deliver(rd_kafka_message_t* message, std::vector<Message>* out);
  // Turns an error event from the consumer into a Status for fatal ones; logs the rest.
  Status HandleEvent(const rd_kafka_message_t& message);
  // Copies positions_ to where Lag() reads them.
  void PublishPositions();

  std::string brokers_;
  std::string topic_;
  std::string group_;
  StartOffsetFn start_offset_;
  int32_t topic_partitions_ = 0;  // as the cluster reported them at Open
  kafka::Handle rk_;
  // Assigned partition -> the next offset to hand out (start, Seek, or last returned + 1).
  std::map<int32_t, int64_t> positions_;
  std::mutex published_mutex_;
  std::vector<std::pair<int32_t, int64_t>> published_;  // guarded by published_mutex_
  // The messages the last Poll's views point into.
  std::vector<rd_kafka_message_t*> batch_;
  // Messages that arrived while Open waited for the assignment, for the first Poll.
  std::vector<rd_kafka_message_t*> pending_;
  bool assigned_once_ = false;
  // Set by the destructor: rebalances during rd_kafka_consumer_close must not call back into the
  // owner (StartOffsetFn), which may be half destroyed by then.
  bool closing_ = false;
  Status failure_;  // sticky: e.g. StartOffsetFn failed during a rebalance
};

}  // namespace pizzastream::transport
