// The pizzastream command line: one sub-command per file, sharing the options every command
// needs (where the data lives, which transport, which warehouse).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "lake/lakehouse.h"
#include "transport/open_topic.h"
#include "warehouse/warehouse.h"

namespace pizzastream::cli {

struct GlobalOptions {
  std::string data_dir = "pizzastream-data";  // log/, lakehouse/, warehouse.db
  std::string lake;                           // lake root URI; default file://<data-dir>/lakehouse
  std::string warehouse;                      // postgresql://... or a SQLite path
  transport::TransportConfig transport;
  bool month_first = false;
  std::string log_level = "info";
  std::vector<std::string> kafka_property_args;  // --kafka-property KEY=VALUE, repeatable
  std::string kafka_properties_file;             // --kafka-properties-file

  // Fills transport.kafka_properties from the file, the environment and the arguments.
  Status ResolveKafkaProperties();

  std::string LakeUri() const;
  std::string WarehouseTarget() const;
  DateOrder date_order() const {
    return month_first ? DateOrder::kMonthFirst : DateOrder::kDayFirst;
  }
  // Fills transport.log_dir etc. and creates the data directory; call after parsing. Fails
  // (naming the directory) when it cannot be created, e.g. when a file is in the way.
  Status Resolve();
  Result<std::shared_ptr<lake::Lakehouse>> OpenLake() const;
  // The same, but an unreachable store (S3 starting or restarting) is waited for with backoff
  // (~16 s), as a stage waits for a broker: for the stages.
  Result<std::shared_ptr<lake::Lakehouse>> OpenLakeWaiting() const;
};

// Adds --data-dir, --lake, --warehouse, --kafka-brokers, --kafka-property,
// --kafka-properties-file, --topic, --partitions, --group, --month-first and --log-level.
void AddCommonOptions(CLI::App* cmd, GlobalOptions* global);

// Each registers one sub-command (or a family) on `app`. The callbacks return an exit code via
// CLI::RuntimeError when the command fails.
void AddProduceCommand(CLI::App& app, GlobalOptions& global);
void AddStageCommands(CLI::App& app, GlobalOptions& global);  // bronze, silver, gold, load
void AddRunCommands(CLI::App& app, GlobalOptions& global);    // run, demo
void AddKpiCommand(CLI::App& app, GlobalOptions& global);
void AddGenerateCommand(CLI::App& app, GlobalOptions& global);
void AddWarehouseCommand(CLI::App& app, GlobalOptions& global);
void AddServeCommand(CLI::App& app, const GlobalOptions& global);
void AddLakeCommand(CLI::App& app, GlobalOptions& global);  // lake init, ...
// `lake optimize|vacuum|checkpoint|history|describe` (creates the `lake` group if needed).
void AddLakeMaintenanceCommands(CLI::App& app, GlobalOptions& global);

// Prints "pizzastream: <message>" to stderr and throws CLI::RuntimeError(1) if !status.ok().
void ExitIfError(const Status& status);
template <typename T>
T ValueOrExit(Result<T> result) {
  ExitIfError(result.status());
  return std::move(result).ValueUnsafe();
}

}  // namespace pizzastream::cli
