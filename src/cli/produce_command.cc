// `pizzastream produce`: sends a CSV file or the generator to the topic.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/source_options.h"
#include "cli/stages.h"

namespace pizzastream::cli {

void AddProduceCommand(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand(
      "produce",
      "Send order lines (--input FILE.csv or --generate) to the topic, one JSON object per line, "
      "keyed by order_id. Exactly-once: a restarted producer skips what is already sent");
  AddCommonOptions(cmd, &global);
  auto source = std::make_shared<SourceOptions>();
  AddSourceOptions(cmd, source.get(), /*required=*/true);
  cmd->callback([&global, source] {
    std::atomic<bool> stop{false};  // outlives `signals`, which may set it
    StopSignals signals;
    ExitIfError(global.Resolve());
    if (!source->any())
      ExitIfError(Status::Invalid("produce needs --input FILE.csv or --generate"));
    auto task = ValueOrExit(OpenProducer(*source, global));
    signals.Attach(&stop);
    transport::ProducerProgress progress;
    const auto started = std::chrono::steady_clock::now();
    auto last_print = started;
    ExitIfError(transport::RunProducer(
        *task.source, *task.writer, task.options, stop,
        [&](const transport::ProducerProgress& p) {
          const auto now = std::chrono::steady_clock::now();
          if (now - last_print < std::chrono::milliseconds(500)) return;
          last_print = now;
          const double secs = std::chrono::duration<double>(now - started).count();
          std::cerr << fmt::format("\rproduce: {} records sent, {:.0f}/s   ", p.sent, p.sent / secs)
                    << std::flush;
        },
        &progress));
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << fmt::format("\rproduce: {} records sent in {:.2f}s (resumed at sequence {})\n",
                             progress.sent, secs, progress.resumed_from);
    signals.ExitIfStopped(
        "every record sent is durable in the topic; the next produce of this source resumes "
        "after it");
  });
}

}  // namespace pizzastream::cli
