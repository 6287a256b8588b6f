#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "transport/kafka_properties.h"

extern char** environ;

namespace pizzastream::cli {

std::string GlobalOptions::LakeUri() const {
  if (!lake.empty()) return lake;
  return "file://" + std::filesystem::absolute(data_dir).lexically_normal().string() + "/lakehouse";
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

void GlobalOptions::Resolve() {
  transport.log_dir = (std::filesystem::path(data_dir) / "log").string();
  std::filesystem::create_directories(data_dir);
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  ExitIfError(ResolveKafkaProperties());
}

Result<std::shared_ptr<lake::Lakehouse>> GlobalOptions::OpenLake() const {
  return lake::Lakehouse::Open(LakeUri());
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
