#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "lake/s3_errors.h"
#include "transport/kafka_properties.h"

extern char** environ;

namespace pizzastream::cli {

namespace {
// 100 ms doubling to 5 s: about 16 s of waiting, like a stage's retries in `run`.
constexpr int kLakeOpenAttempts = 8;
}  // namespace

std::string GlobalOptions::LakeUri() const {
  if (!lake.empty()) return lake;
  std::error_code error;  // absolute() only fails without a current directory: keep it relative
  std::filesystem::path dir = std::filesystem::absolute(data_dir, error);
  if (error) dir = data_dir;
  return "file://" + dir.lexically_normal().string() + "/lakehouse";
}

std::string GlobalOptions::WarehouseTarget() const {
  if (!warehouse.empty()) return warehouse;
  return (std::filesystem::path(data_dir) / "warehouse.db").string();
}

Status GlobalOptions::ResolveKafkaProperties() {
  namespace kafka = transport::kafka;
  kafka::Settings properties;
  if (!kafka_properties_file.empty()) {
    ARROW_ASSIGN_OR_RAISE(properties, kafka::ReadPropertiesFile(kafka_properties_file));
  }
  for (auto& property : kafka::PropertiesFromEnvironment(environ)) {
    properties.push_back(std::move(property));
  }
  for (const std::string& arg : kafka_property_args) {
    ARROW_ASSIGN_OR_RAISE(auto property, kafka::ParseProperty(arg));
    properties.push_back(std::move(property));
  }
  ARROW_RETURN_NOT_OK(kafka::CheckUserProperties(properties));
  transport.kafka_properties = std::move(properties);
  return Status::OK();
}

Status GlobalOptions::Resolve() {
  transport.log_dir = (std::filesystem::path(data_dir) / "log").string();
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return Status::IOError("cannot create the data directory ", data_dir, ": ", error.message());
  }
  return ResolveKafkaProperties();
}

Result<std::shared_ptr<lake::Lakehouse>> GlobalOptions::OpenLake() const {
  return lake::Lakehouse::Open(LakeUri());
}

Result<std::shared_ptr<lake::Lakehouse>> GlobalOptions::OpenLakeWaiting() const {
  // An S3 store that does not answer yet (starting, restarting) is waited for with backoff,
  // as a stage waits for a broker; refused credentials or a missing bucket fail at once.
  auto backoff = std::chrono::milliseconds(100);
  for (int attempt = 1;; ++attempt) {
    auto lake = lake::Lakehouse::Open(LakeUri());
    if (lake.ok() || !lake::IsUnreachable(lake.status()) || attempt >= kLakeOpenAttempts) {
      return lake;
    }
    spdlog::warn("{} (retrying in {} ms)", lake.status().message(), backoff.count());
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

void AddCommonOptions(CLI::App* cmd, GlobalOptions* g) {
  cmd->option_defaults()->always_capture_default();
  cmd->add_option("--data-dir", g->data_dir,
                  "Directory of the embedded log, the local lake and the SQLite warehouse")
      ->envname("PIZZASTREAM_DATA_DIR")
      ->capture_default_str();
  cmd->add_option("--lake", g->lake,
                  "Lake root URI (file:///path or s3://bucket/path); default <data-dir>/lakehouse")
      ->envname("PIZZASTREAM_LAKE");
  cmd->add_option(
         "--warehouse", g->warehouse,
         "postgresql://USER@HOST:PORT/DB or a SQLite file; default <data-dir>/warehouse.db."
         " Passwords come from the URL, PGPASSWORD or a passfile")
      ->envname("PIZZASTREAM_WAREHOUSE");
  cmd->add_option("--kafka-brokers", g->transport.kafka_brokers,
                  "Kafka bootstrap servers HOST:PORT[,...]; without it the embedded log is used")
      ->envname("PIZZASTREAM_KAFKA_BROKERS");
  cmd->add_option("--kafka-property", g->kafka_property_args,
                  "librdkafka client property KEY=VALUE (security.protocol, sasl.*, ssl.*, ...); "
                  "repeatable. Secrets: use --kafka-properties-file or "
                  "PIZZASTREAM_KAFKA_PROPERTY_<KEY> (e.g. ..._SASL_PASSWORD), not arguments")
      ->allow_extra_args(false);
  cmd->add_option(
         "--kafka-properties-file", g->kafka_properties_file,
         "File of librdkafka client properties, KEY=VALUE per line (mode 0600 for secrets)")
      ->envname("PIZZASTREAM_KAFKA_PROPERTIES_FILE");
  cmd->add_option("--topic", g->transport.topic, "Topic of the order lines")->capture_default_str();
  cmd->add_option("--log-compression", g->transport.log_compression,
                  "How the embedded log compresses what the producer writes: lz4 (~7x smaller, "
                  "as Kafka producers do), zstd (~15x, dearer) or none (no CPU, 7x the disk "
                  "writes); any log reads all three")
      ->envname("PIZZASTREAM_LOG_COMPRESSION")
      ->capture_default_str()
      ->check(CLI::IsMember({"none", "lz4", "zstd"}));
  cmd->add_option("--partitions", g->transport.partitions,
                  "Partitions of the topic when it is created")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--group", g->transport.group, "Consumer group of the bronze workers")
      ->capture_default_str();
  cmd->add_flag("--month-first", g->month_first,
                "Read ambiguous dates as M/d/yyyy instead of the default d/M/yyyy");
  cmd->add_option("--log-level", g->log_level, "trace, debug, info, warn, error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
}

void ExitIfError(const Status& status) {
  if (status.ok()) return;
  std::cerr << "pizzastream: " << status.message() << std::endl;
  throw CLI::RuntimeError(1);
}

}  // namespace pizzastream::cli
