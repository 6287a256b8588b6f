// pizzastream: a streaming lakehouse pipeline for pizza sales.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace pizzastream::cli;
  CLI::App app{
      "pizzastream: order lines -> topic -> bronze -> silver -> gold -> warehouse -> dashboard.\n"
      "Embedded by default (on-disk log, local Delta lake, SQLite); Kafka, S3/MinIO and\n"
      "PostgreSQL when configured. Every stage is incremental, idempotent and exactly-once."};
  app.require_subcommand(1);
  app.set_config("--config", "", "Read options from this TOML/INI file ([run], [kpi], ... sections)");
  GlobalOptions global;
  AddProduceCommand(app, global);
  AddStageCommands(app, global);
  AddRunCommands(app, global);
  AddKpiCommand(app, global);
  AddGenerateCommand(app, global);
  AddWarehouseCommand(app, global);
  AddServeCommand(app, global);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}
