// pizzastream: a streaming lakehouse pipeline for pizza sales.
#include <arrow/memory_pool.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "lake/arrow_compute.h"
#include "lake/s3_runtime.h"

namespace {

// Arrow's memory pool: jemalloc when this Arrow has it, unless ARROW_DEFAULT_MEMORY_POOL says
// otherwise (Arrow reads it at its first allocation). Every step builds and drops tens of MB of
// columns; with jemalloc `run` over 5M lines peaks at ~415 MiB instead of ~600 MiB with the
// wheel's default (mimalloc), at about the same speed.
//
// That jemalloc gives each thread an arena of its own (8 on 2 cores), and an arena keeps what its
// thread freed for a second or more before another thread can use it. The stages of `run` each
// build and drop columns on their own thread, so the process held every thread's last second at
// once: one arena takes `run`'s peak over 5M lines from 186-198 to 161-177 MiB, at the same
// speed. jemalloc reads its settings once, as libarrow is loaded, from
// JE_ARROW_MALLOC_CONF: so when it is not set, the process sets it and executes itself again
// (argv and everything else unchanged; if that fails it simply goes on). A value the user set
// is left alone, and wins option by option over Arrow's built-in settings.
void PreferJemalloc(char** argv) {
  const auto backends = arrow::SupportedMemoryBackendNames();
  if (std::find(backends.begin(), backends.end(), "jemalloc") == backends.end()) return;
  ::setenv("ARROW_DEFAULT_MEMORY_POOL", "jemalloc", /*overwrite=*/0);
  if (::getenv("JE_ARROW_MALLOC_CONF") != nullptr) return;
  ::setenv("JE_ARROW_MALLOC_CONF", "narenas:1", /*overwrite=*/1);
  ::execv("/proc/self/exe", argv);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pizzastream::cli;
  PreferJemalloc(argv);
  CLI::App app{
      "pizzastream: order lines -> topic -> bronze -> silver -> gold -> warehouse -> dashboard.\n"
      "Embedded by default (on-disk log, local Delta lake, SQLite); Kafka, S3/MinIO and\n"
      "PostgreSQL when configured. Every stage is incremental, idempotent and exactly-once."};
  app.require_subcommand(1);
  app.set_config("--config", "",
                 "Read options from this TOML/INI file ([run], [kpi], ... sections)");
  GlobalOptions global;
  AddProduceCommand(app, global);
  AddStageCommands(app, global);
  AddRunCommands(app, global);
  AddKpiCommand(app, global);
  AddGenerateCommand(app, global);
  AddWarehouseCommand(app, global);
  AddServeCommand(app, global);
  AddLakeCommand(app, global);
  AddLakeMaintenanceCommands(app, global);
  // Errors are values inside the engine; the commands turn them into CLI::RuntimeError. The
  // last two handlers are a backstop: whatever a library throws ends in one line and exit 1,
  // never in std::terminate. Every way out passes the end, after the command's own objects
  // (S3 filesystems included) are gone: the AWS SDK, if a command started it, is stopped
  // before exit (or it crashes there).
  int code = 0;
  // Before any thread starts (lake/arrow_compute.h).
  if (const auto registered = pizzastream::lake::InitializeCompute(); !registered.ok()) {
    std::cerr << "pizzastream: " << registered.ToString() << std::endl;
    return 1;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    code = app.exit(e);  // also a failed command: CLI::RuntimeError carries its exit code
  } catch (const std::exception& e) {
    std::cerr << "pizzastream: unexpected error: " << e.what() << std::endl;
    code = 1;
  } catch (...) {
    std::cerr << "pizzastream: unexpected error of an unknown kind" << std::endl;
    code = 1;
  }
  pizzastream::lake::StopS3();
  return code;
}
