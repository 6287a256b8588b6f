// How a restarted Kafka producer finds where it stopped: every record it sends carries its
// producer id and sequence in headers, and the records of one producer in one partition are
// in sequence order, so the last such record in a partition holds the producer's highest
// sequence there. The scan reads each partition backwards from its end in growing windows
// until it meets one of the producer's records (or the partition's start).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "transport/open_topic.h"

namespace pizzastream::transport::kafka {

// Header names on every record the writer sends.
inline constexpr char kProducerHeader[] = "ps-producer";
inline constexpr char kSequenceHeader[] = "ps-seq";

// Per partition 0..partitions-1, the highest sequence `producer_id` wrote there; -1 where it
// wrote nothing. Retries while the cluster is unreachable, for at most a minute.
// `config` gives the brokers and the user's client properties.
Result<std::vector<int64_t>> HighestSequences(const TransportConfig& config,
                                              const std::string& topic, int32_t partitions,
                                              std::string_view producer_id);

}  // namespace pizzastream::transport::kafka
