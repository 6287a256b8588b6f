// `pizzastream bronze|silver|gold|load`: one stage on its own, like the original Makefile's
// test_bronze ... test_warehouse. Takes what is new since the stage's last commit, until
// nothing is left (or keeps following with --follow). With --json it prints one summary object
// on stdout for schedulers (Airflow): rows in/out, rejected, duplicates and, per Delta table the
// stage writes, its version before and after the run (versions before+1..after were committed
// by this run; the stage is the single writer of its tables).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/stages.h"

namespace pizzastream::cli {

namespace {
namespace t = lake::tables;

struct StageCommand {
  const char* name;
  const char* help;
  std::vector<const char*> tables;  // the Delta tables it writes (load writes the warehouse)
};

const std::vector<StageCommand>& StageCommands() {
  static const std::vector<StageCommand> commands = {
      {"bronze",
       "Land new records from the topic in bronze (raw + quarantine)",
       {t::kBronzeOrderLines, t::kBronzeQuarantine}},
      {"silver",
       "Clean, validate and de-duplicate new bronze rows into silver",
       {t::kSilverCleaned, t::kSilverOrderItems, t::kSilverPizzaCatalog, t::kSilverTimestamp,
        t::kSilverQuarantine, t::kSilverDuplicates}},
      {"gold",
       "Shape new silver rows into the star schema (dim_date, dim_time, dim_pizza, fact)",
       {t::kGoldDimDate, t::kGoldDimTime, t::kGoldDimPizza, t::kGoldFact}},
      {"load", "Load new gold rows into the warehouse", {}},
  };
  return commands;
}

// Each table's current version (-1: not created yet).
Result<std::vector<int64_t>> TableVersions(const GlobalOptions& global,
                                           const std::vector<const char*>& tables) {
  std::vector<int64_t> versions;
  if (tables.empty()) return versions;
  ARROW_ASSIGN_OR_RAISE(auto lake, global.OpenLake());
  for (const char* table : tables) {
    ARROW_ASSIGN_OR_RAISE(const lake::Snapshot* snapshot, lake->Log(table)->Update());
    versions.push_back(snapshot->version);
  }
  return versions;
}

std::string SummaryJson(const StageCommand& command, const StageStats& s,
                        const std::vector<int64_t>& before, const std::vector<int64_t>& after) {
  nlohmann::json tables = nlohmann::json::object();
  for (size_t i = 0; i < command.tables.size(); ++i) {
    tables[command.tables[i]] = {{"version_before", before[i]}, {"version_after", after[i]}};
  }
  return nlohmann::json{{"stage", command.name},      {"rows_in", s.rows_in},
                        {"rows_out", s.rows_out},     {"rejected", s.rejected},
                        {"duplicates", s.duplicates}, {"tables", std::move(tables)}}
      .dump();
}
}  // namespace

void AddStageCommands(CLI::App& app, GlobalOptions& global) {
  for (const auto& command : StageCommands()) {
    auto* cmd = app.add_subcommand(command.name, command.help);
    AddCommonOptions(cmd, &global);
    auto follow = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    cmd->add_flag("--follow", *follow,
                  "Keep running and take new input as it arrives (Ctrl-C stops)");
    cmd->add_flag("--json", *json,
                  "Print a summary object on stdout: rows in/out, rejected, duplicates and the "
                  "version of each Delta table written, before and after");
    cmd->callback([&global, follow, json, &command] {
      StopSignals signals;
      ExitIfError(global.Resolve());
      std::vector<int64_t> before;
      if (*json) before = ValueOrExit(TableVersions(global, command.tables));
      std::vector<std::unique_ptr<Stage>> stages;
      stages.push_back(
          ValueOrExit(OpenStage(command.name, global, ValueOrExit(global.OpenLakeWaiting()))));
      orchestration::PipelineOptions options;
      options.exit_when_idle = !*follow;
      options.max_consecutive_errors = *follow ? 0 : 5;
      orchestration::Pipeline pipeline(std::nullopt, std::move(stages), options);
      signals.Attach(&pipeline);
      const Status st = pipeline.Run();
      signals.Detach();
      const auto s = pipeline.Stats().at(0);
      std::cerr << fmt::format("{}: {} rows in, {} out, {} rejected, {} duplicates\n", command.name,
                               s.rows_in, s.rows_out, s.rejected, s.duplicates);
      ExitIfError(st);
      if (*json) {
        const auto after = ValueOrExit(TableVersions(global, command.tables));
        std::cout << SummaryJson(command, s, before, after) << std::endl;
      }
      signals.ExitIfStopped(std::string(command.name) +
                            " committed its position; the next run resumes there");
    });
  }
}

}  // namespace pizzastream::cli
