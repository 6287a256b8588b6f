// `pizzastream bronze|silver|gold|load`: one stage on its own, like the original Makefile's
// test_bronze ... test_warehouse. Takes what is new since the stage's last commit, until
// nothing is left (or keeps following with --follow).
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/stages.h"

namespace pizzastream::cli {

namespace {
constexpr const char* kStageHelp[][2] = {
    {"bronze", "Land new records from the topic in bronze (raw + quarantine)"},
    {"silver", "Clean, validate and de-duplicate new bronze rows into silver"},
    {"gold", "Shape new silver rows into the star schema (dim_date, dim_time, dim_pizza, fact)"},
    {"load", "Load new gold rows into the warehouse"},
};
}  // namespace

void AddStageCommands(CLI::App& app, GlobalOptions& global) {
  for (const auto& [name, help] : kStageHelp) {
    auto* cmd = app.add_subcommand(name, help);
    AddCommonOptions(cmd, &global);
    auto follow = std::make_shared<bool>(false);
    cmd->add_flag("--follow", *follow,
                  "Keep running and take new input as it arrives (Ctrl-C stops)");
    const std::string stage_name = name;
    cmd->callback([&global, follow, stage_name] {
      StopSignals signals;
      ExitIfError(global.Resolve());
      std::vector<std::unique_ptr<orchestration::Stage>> stages;
      stages.push_back(ValueOrExit(OpenStage(stage_name, global)));
      orchestration::PipelineOptions options;
      options.exit_when_idle = !*follow;
      options.max_consecutive_errors = *follow ? 0 : 5;
      orchestration::Pipeline pipeline(std::nullopt, std::move(stages), options);
      signals.Attach(&pipeline);
      const Status st = pipeline.Run();
      signals.Detach();
      const auto s = pipeline.Stats().at(0);
      std::cerr << fmt::format("{}: {} rows in, {} out, {} rejected, {} duplicates\n", stage_name,
                               s.rows_in, s.rows_out, s.rejected, s.duplicates);
      ExitIfError(st);
      signals.ExitIfStopped(stage_name + " committed its position; the next run resumes there");
    });
  }
}

}  // namespace pizzastream::cli
