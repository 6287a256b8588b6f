#include "cli/source_options.h"

#include "sources/csv_source.h"

namespace pizzastream::cli {

sources::GeneratorOptions SourceOptions::GeneratorOpts() const {
  sources::GeneratorOptions g;
  g.seed = seed;
  if (count >= 0) g.limit = count;
  g.orders_per_day = orders_per_day;
  g.dirty_rate = dirty_rate;
  g.duplicate_rate = duplicate_rate;
  return g;
}

Result<std::unique_ptr<sources::OrderSource>> SourceOptions::Open() const {
  if (!input.empty()) {
    sources::CsvSourceOptions csv;
    csv.path = input;
    return sources::OpenCsvSource(csv);
  }
  ARROW_ASSIGN_OR_RAISE(auto gen, sources::OrderGenerator::Make(GeneratorOpts()));
  return std::unique_ptr<sources::OrderSource>(std::move(gen));
}

void AddSourceOptions(CLI::App* cmd, SourceOptions* o, bool required) {
  auto* input = cmd->add_option("--input", o->input, "CSV file of order lines to replay")
                    ->check(CLI::ExistingFile);
  auto* generate = cmd->add_flag("--generate", o->generate,
                                 "Send a synthetic order stream on the real menu instead");
  input->excludes(generate);
  if (required) input->required(false);  // checked by the command: --input or --generate
  cmd->add_option("--count", o->count, "Records to generate (default: endless)");
  cmd->add_option("--seed", o->seed, "Seed of the generator (same seed, same stream)")
      ->capture_default_str();
  cmd->add_option("--orders-per-day", o->orders_per_day,
                  "Mean orders per simulated day (the real shop: 59.64)")
      ->capture_default_str();
  cmd->add_option("--dirty-rate", o->dirty_rate,
                  "Fraction of generated records broken on purpose (each breaks one silver rule)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--duplicate-rate", o->duplicate_rate,
                  "Fraction of generated records that re-send an earlier line")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--producer-id", o->producer_id,
                  "Name of this source for exactly-once replay (default: derived from the source)");
  cmd->add_option("--batch-size", o->producer.batch_size, "Records per send")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}));
  cmd->add_option("--interval", o->interval_seconds, "Seconds to pause after each send (e.g. 1)")
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--rate", o->producer.rate, "Records per second at most (0: as fast as possible)")
      ->check(CLI::Range(0.0, 1e9));
  cmd->parse_complete_callback([o] {
    o->producer.interval =
        std::chrono::milliseconds(static_cast<int64_t>(o->interval_seconds * 1000));
  });
}

}  // namespace pizzastream::cli
