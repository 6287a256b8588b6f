// `pizzastream run` drives every stage continuously; `pizzastream demo` is `run` on an endless
// synthetic stream with the dashboard. Both show the live display of cli/run_display.h.
#include <fmt/format.h>
#include <unistd.h>

#include <optional>

#include "cli/commands.h"
#include "cli/run_display.h"
#include "cli/serve_command.h"
#include "cli/source_options.h"
#include "cli/stages.h"
#include "transport/sent_records.h"
#include "warehouse/kpi.h"

namespace pizzastream::cli {

namespace {

// The rows kept for bronze: at most 8 MiB at once (~25k generated lines), and a producer that
// gets that far ahead waits up to 10 s for bronze to read on (on a busy machine bronze did not
// poll for 3 s between two steps: with waits of 250 ms or 2 s, the rest of 5M lines, a fifth,
// was then parsed); Ctrl-C ends the wait. Over 5M generated lines, bronze took 99.7% of the records
// from their rows (the others it read before they were offered), for ~12 MiB of peak RSS; without
// waiting, 8 MiB covered 69% of them, 32 MiB 90% for ~65 MiB. A producer held to a --rate never
// waits: its rate comes first.
constexpr int64_t kSentRecordsBudget = int64_t{8} << 20;
constexpr std::chrono::milliseconds kSentRecordsWait{10000};

struct RunOptions {
  SourceOptions source;
  bool exit_when_idle = false;
  bool quiet = false;
  bool serve = false;  // the dashboard in the same process
  DashboardFlags dashboard;
};

void RunPipeline(GlobalOptions& global, RunOptions& run) {
  StopSignals signals;
  ExitIfError(global.Resolve());
  if (run.source.any() && global.transport.kafka_brokers.empty()) {
    // Bronze takes the records this process sends from their rows (transport/sent_records.h).
    const bool paced = run.source.producer.rate > 0;
    global.transport.sent_records = std::make_shared<transport::SentRecords>(
        kSentRecordsBudget, paced ? std::chrono::milliseconds(0) : kSentRecordsWait);
  }
  std::optional<orchestration::ProducerTask> producer;
  if (run.source.any()) producer = ValueOrExit(OpenProducer(run.source, global));
  std::vector<std::unique_ptr<Stage>> stages;
  const auto lake = ValueOrExit(global.OpenLakeWaiting());
  for (const char* name : {"bronze", "silver", "gold", "load"}) {
    stages.push_back(ValueOrExit(OpenStage(name, global, lake)));
  }
  std::shared_ptr<serve::PipelineStatus> status;
  std::unique_ptr<serve::DashboardServer> dashboard;
  if (run.serve) {
    status = std::make_shared<serve::PipelineStatus>();
    dashboard = StartDashboard(global, run.dashboard, status);
  }
  orchestration::PipelineOptions options;
  options.exit_when_idle = run.exit_when_idle;
  options.max_consecutive_errors = run.exit_when_idle ? 8 : 0;
  std::optional<RunDisplay> display;
  if (!run.quiet) display.emplace(STDERR_FILENO);
  options.on_status = [&](const std::vector<StageStats>& stats) {
    if (status) status->Publish(stats);
    if (display) display->Update(stats);
  };
  orchestration::Pipeline pipeline(std::move(producer), std::move(stages), options);
  signals.Attach(&pipeline);
  const Status st = pipeline.Run();
  signals.Detach();
  if (display) {
    display->Ended();
    // The final figures, from the warehouse with SQL (kpi's own computation), once.
    std::optional<warehouse::KpiFigures> figures;
    if (st.ok()) {
      auto wh = warehouse::OpenWarehouse(global.WarehouseTarget());
      if (wh.ok()) {
        if (auto k = (*wh)->Kpi(); k.ok()) figures = *k;
      }
    }
    const auto ending = !st.ok()                  ? RunDisplay::Ending::kFailed
                        : signals.received() != 0 ? RunDisplay::Ending::kStopped
                                                  : RunDisplay::Ending::kDone;
    display->Finish(pipeline.Stats(), figures, ending);
  }
  ExitIfError(st);
  signals.ExitIfStopped(StatusLine(pipeline.Stats()) +
                        "; every stage committed its position (the next run resumes there)");
}

}  // namespace

void AddRunCommands(CLI::App& app, GlobalOptions& global) {
  auto run = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand(
      "run",
      "Run every stage continuously: [produce] -> bronze -> silver -> gold -> load. With "
      "--input or --generate it also produces. Ctrl-C stops cleanly; the next run resumes");
  AddCommonOptions(cmd, &global);
  AddSourceOptions(cmd, &run->source, /*required=*/false);
  cmd->add_flag("--exit-when-idle", run->exit_when_idle,
                "Exit 0 once the source is exhausted and every record has reached the warehouse");
  cmd->add_flag("--quiet", run->quiet, "No live display and no summary");
  cmd->add_flag("--serve", run->serve, "Also serve the dashboard while the pipeline runs");
  AddDashboardFlags(cmd, &run->dashboard);
  cmd->callback([&global, run] { RunPipeline(global, *run); });

  auto demo = std::make_shared<RunOptions>();
  auto* demo_cmd = app.add_subcommand(
      "demo",
      "Run the whole pipeline on an endless synthetic order stream and serve the live dashboard "
      "on http://127.0.0.1:8080 (Ctrl-C stops)");
  AddCommonOptions(demo_cmd, &global);
  demo->source.generate = true;
  demo->serve = true;
  AddDashboardFlags(demo_cmd, &demo->dashboard);
  demo->source.producer.rate = 500;
  demo->source.producer.batch_size = 250;
  demo_cmd->add_option("--rate", demo->source.producer.rate, "Order lines per second")
      ->capture_default_str();
  demo_cmd->add_option("--seed", demo->source.seed, "Seed of the generator")->capture_default_str();
  demo_cmd->callback([&global, demo] { RunPipeline(global, *demo); });
}

}  // namespace pizzastream::cli
