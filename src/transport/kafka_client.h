// What the Kafka writer and reader share on top of librdkafka's C API: owning handles,
// configuration from key/value pairs, errors as Status, and the partitioner.
//
// Broker trouble (down, unreachable, refused) is reported by librdkafka's error callback;
// ours logs one clear line per change of state and lets librdkafka retry with its backoff
// (reconnect.backoff.ms .. reconnect.backoff.max.ms). Only fatal errors end a writer or reader;
// and an authentication or TLS failure, which retrying cannot mend, ends EnsureTopic at once.
//
// Every librdkafka property can be set by the user (TransportConfig::kafka_properties), except
// the ones pizzastream's guarantees rest on (CheckUserProperties). Values of secret properties
// (passwords, keys, JAAS and OAuth configs) never appear in a message or a log line.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "transport/open_topic.h"

namespace pizzastream::transport::kafka {

struct HandleDeleter {
  void operator()(rd_kafka_t* rk) const;  // rd_kafka_destroy, and forgets its auth failure
};
struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
};
using Handle = std::unique_ptr<rd_kafka_t, HandleDeleter>;
using Conf = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;
using OwnedMessage = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
using Queue = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;

using Settings = std::vector<std::pair<std::string, std::string>>;

// Settings every client of ours uses (bootstrap servers, backoff, logging callbacks).
Settings CommonSettings(const std::string& brokers);
// The same followed by the user's `config.kafka_properties`.
Settings CommonSettings(const TransportConfig& config);

// Invalid when a user property is one pizzastream sets for its guarantees (bootstrap.servers:
// use --kafka-brokers; group.id: --group; idempotence, acks, offset commits, partitioner,
// topic auto-creation) or is not KEY=VALUE with a non-empty key.
Status CheckUserProperties(const Settings& properties);

// True for properties whose value is a secret (sasl.password, ssl.key.password, ssl.key.pem,
// sasl.jaas.config, sasl.oauthbearer.config, ...): never print their values.
bool IsSecretProperty(std::string_view key);

// A configuration with `settings` applied; fails naming the first rejected key.
// The error callback logs broker state changes; `role` names the client in those lines.
Result<Conf> MakeConf(const Settings& settings, const char* role);

// Creates a client; takes ownership of `conf`.
Result<Handle> MakeClient(rd_kafka_type_t type, Conf conf);

// A Status for a librdkafka error code; OK for RD_KAFKA_RESP_ERR_NO_ERROR.
Status ErrorStatus(rd_kafka_resp_err_t err, std::string_view context);

// The fatal error of a client, if it has one.
Status FatalStatus(rd_kafka_t* rk);

// The authentication (SASL) or TLS failure librdkafka last reported for `rk`, if any: these
// do not heal by retrying, so callers waiting for the cluster stop with it.
Status SecurityFailure(rd_kafka_t* rk);

// The Kafka partitioner: the partition of `key` among `partition_count`, librdkafka's murmur2
// partitioner, the same hash (and so the same partition) as the Java client's default for keyed
// records.
int32_t Murmur2Partition(std::string_view key, int32_t partition_count);

// Makes sure `topic` exists (creating it with `partitions` partitions when missing) and
// returns its partition count once the broker reports a leader for every partition. Stops at
// once on an authentication or TLS failure (SecurityFailure). Serves the client's main queue
// (rd_kafka_poll): REQUIRES a consumer not yet redirected by rd_kafka_poll_set_consumer.
Result<int32_t> EnsureTopic(rd_kafka_t* rk, const std::string& topic, int partitions);

}  // namespace pizzastream::transport::kafka
