// Options that choose and shape a source (--input FILE.csv or --generate) and the producer's
// pacing, shared by `produce`, `run` and `demo`.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "sources/generator.h"
#include "transport/producer.h"

namespace pizzastream::cli {

struct SourceOptions {
  std::string input;      // CSV file to replay
  bool generate = false;  // synthetic stream instead
  int64_t count = -1;     // generated records; -1 endless
  uint64_t seed = 1;
  double orders_per_day = 59.64;
  double dirty_rate = 0, duplicate_rate = 0;
  std::string producer_id;  // default: the source's own id
  transport::ProducerOptions producer;
  double interval_seconds = 0;

  bool any() const { return !input.empty() || generate; }
  Result<std::unique_ptr<sources::OrderSource>> Open() const;
  sources::GeneratorOptions GeneratorOpts() const;
};

// `required`: the command needs a source (produce); otherwise it is optional (run).
void AddSourceOptions(CLI::App* cmd, SourceOptions* options, bool required);

}  // namespace pizzastream::cli
