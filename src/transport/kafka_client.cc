#include "transport/kafka_client.h"

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

namespace pizzastream::transport::kafka {
namespace {

using Clock = std::chrono::steady_clock;

// How long EnsureTopic keeps retrying an unreachable cluster before giving up.
constexpr auto kTopicReadyDeadline = std::chrono::seconds(60);
constexpr int kMetadataTimeoutMs = 5000;

// The last authentication or TLS failure per client (see SecurityFailure).
std::mutex security_mutex;
std::map<const rd_kafka_t*, std::string>& SecurityFailures() {
  static auto* failures = new std::map<const rd_kafka_t*, std::string>();
  return *failures;
}

bool IsSecurityError(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__AUTHENTICATION || err == RD_KAFKA_RESP_ERR__SSL ||
         err == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED;
}

// librdkafka repeats a broker error on every reconnect attempt, in slightly different words;
// one line per kind of error every 30 s says the same without flooding the terminal.
void LogBrokerError(rd_kafka_t* rk, int err, const char* reason, void*) {
  if (IsSecurityError(static_cast<rd_kafka_resp_err_t>(err))) {
    std::lock_guard lock(security_mutex);
    SecurityFailures()[rk] = reason;
  }
  static std::mutex mutex;
  static std::map<int, Clock::time_point> last_logged;  // error code -> when
  {
    std::lock_guard lock(mutex);
    const auto now = Clock::now();
    auto [it, first] = last_logged.try_emplace(err, now);
    if (!first && now - it->second < std::chrono::seconds(30)) return;
    it->second = now;
  }
  const auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    spdlog::warn("Kafka ({}): {}; retrying with backoff", rd_kafka_name(rk), reason);
  } else if (code == RD_KAFKA_RESP_ERR__FATAL) {
    spdlog::error("Kafka ({}): {}", rd_kafka_name(rk), reason);
  } else {
    spdlog::warn("Kafka ({}): {}", rd_kafka_name(rk), reason);
  }
}

void LogLibraryLine(const rd_kafka_t*, int level, const char* facility, const char* line) {
  // syslog levels; everything the library says on its own is detail.
  if (level <= 3) {
    spdlog::debug("librdkafka {}: {}", facility, line);
  } else {
    spdlog::trace("librdkafka {}: {}", facility, line);
  }
}

}  // namespace

void HandleDeleter::operator()(rd_kafka_t* rk) const {
  rd_kafka_destroy(rk);
  std::lock_guard lock(security_mutex);
  SecurityFailures().erase(rk);
}

Settings CommonSettings(const TransportConfig& config) {
  Settings settings = CommonSettings(config.kafka_brokers);
  settings.insert(settings.end(), config.kafka_properties.begin(), config.kafka_properties.end());
  return settings;
}

bool IsSecretProperty(std::string_view key) {
  for (std::string_view part : {"password", "secret", "jaas", "oauthbearer.config", "key.pem",
                                "ssl_key", "token", "credential"}) {
    if (key.find(part) != std::string_view::npos) return true;
  }
  return false;
}

Status CheckUserProperties(const Settings& properties) {
  // Set by pizzastream itself: exactly-once and the consumer group rest on them.
  static constexpr std::string_view kReserved[] = {
      "bootstrap.servers",
      "metadata.broker.list",
      "group.id",
      "enable.idempotence",
      "acks",
      "request.required.acks",
      "enable.gapless.guarantee",
      "enable.auto.commit",
      "enable.auto.offset.store",
      "partitioner",
      "allow.auto.create.topics",
      "isolation.level",
      "transactional.id",
  };
  for (const auto& [key, value] : properties) {
    if (key.empty()) return Status::Invalid("a Kafka property needs a name (KEY=VALUE)");
    for (std::string_view reserved : kReserved) {
      if (key == reserved) {
        const char* instead = key == "bootstrap.servers" || key == "metadata.broker.list"
                                  ? " (use --kafka-brokers)"
                              : key == "group.id" ? " (use --group)"
                                                  : "";
        return Status::Invalid("Kafka property ", key,
                               " is set by pizzastream and cannot be changed", instead);
      }
    }
  }
  return Status::OK();
}

Settings CommonSettings(const std::string& brokers) {
  return {
      {"bootstrap.servers", brokers},
      {"client.id", "pizzastream"},
      // Reconnect quickly at first, then back off to at most 2 s between attempts.
      {"reconnect.backoff.ms", "100"},
      {"reconnect.backoff.max.ms", "2000"},
      // Topics are created by EnsureTopic with the configured partition count, never by
      // a metadata request that happens to name a missing topic.
      {"allow.auto.create.topics", "false"},
      {"log.connection.close", "false"},
  };
}

Result<Conf> MakeConf(const Settings& settings, const char* role) {
  Conf conf(rd_kafka_conf_new());
  std::array<char, 512> error{};
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), error.data(), error.size()) !=
        RD_KAFKA_CONF_OK) {
      // librdkafka's message names the key, never the value; ours shows the value unless secret.
      return Status::Invalid("Kafka ", role, " setting ", key, "=",
                             IsSecretProperty(key) ? std::string("(hidden)") : value, ": ",
                             error.data());
    }
  }
  rd_kafka_conf_set_error_cb(conf.get(), LogBrokerError);
  rd_kafka_conf_set_log_cb(conf.get(), LogLibraryLine);
  return conf;
}

Result<Handle> MakeClient(rd_kafka_type_t type, Conf conf) {
  std::array<char, 512> error{};
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), error.data(), error.size());
  if (rk == nullptr) return Status::Invalid("cannot create a Kafka client: ", error.data());
  conf.release();  // owned by the client now
  return Handle(rk);
}

Status ErrorStatus(rd_kafka_resp_err_t err, std::string_view context) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::OK();
  const std::string_view what = rd_kafka_err2str(err);
  switch (err) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      return Status::IOError(context, ": Kafka unreachable: ", what);
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
      return Status::Invalid(context, ": ", what);
    default:
      return Status::IOError(context, ": ", what);
  }
}

Status FatalStatus(rd_kafka_t* rk) {
  std::array<char, 512> reason{};
  const rd_kafka_resp_err_t err = rd_kafka_fatal_error(rk, reason.data(), reason.size());
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::OK();
  return Status::IOError("Kafka client failed for good (", rd_kafka_err2name(err),
                         "): ", reason.data());
}

Status SecurityFailure(rd_kafka_t* rk) {
  std::lock_guard lock(security_mutex);
  const auto it = SecurityFailures().find(rk);
  if (it == SecurityFailures().end()) return Status::OK();
  return Status::IOError("Kafka refused the connection: ", it->second,
                         " (check security.protocol, sasl.* and ssl.* properties)");
}

int32_t Murmur2Partition(std::string_view key, int32_t partition_count) {
  return rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(), partition_count, nullptr,
                                          nullptr);
}

namespace {

struct TopicDeleter {
  void operator()(rd_kafka_topic_t* rkt) const { rd_kafka_topic_destroy(rkt); }
};
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* md) const { rd_kafka_metadata_destroy(md); }
};

// What the cluster says about a topic: its partition count once every partition has a
// leader (0 before), or why not (`err`, with `error` describing it).
struct TopicState {
  int32_t partitions = 0;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  Status error;
};

TopicState ReadTopicState(rd_kafka_t* rk, rd_kafka_topic_t* rkt) {
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &raw, kMetadataTimeoutMs);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return {0, err, ErrorStatus(err, "reading topic metadata")};
  }
  std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> md(raw);
  if (md->topic_cnt != 1) return {0, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, Status::OK()};
  const rd_kafka_metadata_topic_t& topic = md->topics[0];
  if (topic.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return {0, topic.err, ErrorStatus(topic.err, "reading topic metadata")};
  }
  for (int i = 0; i < topic.partition_cnt; ++i) {
    if (topic.partitions[i].leader < 0) {
      return {0, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
              Status::IOError("no partition leader yet")};
    }
  }
  return {topic.partition_cnt, RD_KAFKA_RESP_ERR_NO_ERROR, Status::OK()};
}

Status CreateTopic(rd_kafka_t* rk, const std::string& topic, int partitions) {
  std::array<char, 512> error{};
  rd_kafka_NewTopic_t* new_topic =
      rd_kafka_NewTopic_new(topic.c_str(), partitions, -1, error.data(), error.size());
  if (new_topic == nullptr) return Status::Invalid("topic ", topic, ": ", error.data());
  Queue queue(rd_kafka_queue_new(rk));
  rd_kafka_CreateTopics(rk, &new_topic, 1, nullptr, queue.get());
  rd_kafka_NewTopic_destroy(new_topic);

  rd_kafka_event_t* event = rd_kafka_queue_poll(queue.get(), 30000);
  if (event == nullptr) return Status::IOError("creating topic ", topic, ": no answer in 30 s");
  std::unique_ptr<rd_kafka_event_t, decltype(&rd_kafka_event_destroy)> owned(
      event, rd_kafka_event_destroy);
  if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return ErrorStatus(rd_kafka_event_error(event), "creating topic " + topic);
  }
  size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
  for (size_t i = 0; i < count; ++i) {
    const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      const char* message = rd_kafka_topic_result_error_string(results[i]);
      return Status::IOError("creating topic ", topic, ": ", message ? message : "");
    }
  }
  spdlog::info("Kafka topic {} ready ({} partitions)", topic, partitions);
  return Status::OK();
}

}  // namespace

Result<int32_t> EnsureTopic(rd_kafka_t* rk, const std::string& topic, int partitions) {
  if (partitions < 1) return Status::Invalid("a topic needs at least one partition");
  std::unique_ptr<rd_kafka_topic_t, TopicDeleter> rkt(
      rd_kafka_topic_new(rk, topic.c_str(), nullptr));
  if (!rkt) return Status::Invalid("bad topic name: ", topic);
  const auto deadline = Clock::now() + kTopicReadyDeadline;
  Status last_error = Status::IOError("no answer");
  bool create_sent = false;
  while (Clock::now() < deadline) {
    TopicState state = ReadTopicState(rk, rkt.get());
    if (state.partitions > 0) return state.partitions;
    rd_kafka_poll(rk, 0);  // serves the error callback, which records security failures
    ARROW_RETURN_NOT_OK(SecurityFailure(rk));
    if (state.err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) return state.error;
    const bool missing = state.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                         state.err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
    if (missing && !create_sent) {
      ARROW_RETURN_NOT_OK(CreateTopic(rk, topic, partitions));
      create_sent = true;
      continue;
    }
    if (!state.error.ok()) last_error = state.error;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::array<char, 512> brokers{};
  size_t size = brokers.size();
  rd_kafka_conf_get(rd_kafka_conf(rk), "bootstrap.servers", brokers.data(), &size);
  return Status::IOError("Kafka at ", brokers.data(), ": topic ", topic, " not ready after ",
                         std::chrono::seconds(kTopicReadyDeadline).count(),
                         " s of retries: ", last_error.message());
}

}  // namespace pizzastream::transport::kafka
