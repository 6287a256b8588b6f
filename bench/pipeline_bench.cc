// Pipeline benchmark: rows/s of every stage and of the whole pipeline on a generated data set,
// with each process's peak RSS. Runs the real binary, as a user would:
//   pipeline_bench [--lines N (default 5000000)] [--dir DIR] [--keep]
// 1. `generate` N lines to a CSV; 2. stage by stage: produce, bronze, silver, gold, load, each
// a process of its own on one data dir; 3. end to end: `run --exit-when-idle` on a fresh data dir.
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.h"

namespace {

using pizzastream::bench::Measured;

Measured RunTimed(const std::vector<std::string>& args) {
  return pizzastream::bench::RunTimed(PIZZASTREAM_BIN, args);
}

}  // namespace

int main(int argc, char** argv) {
  pizzastream::bench::BenchArgs args{5000000, "/tmp/pizzastream-bench", false};
  if (!pizzastream::bench::ParseBenchArgs(argc, argv, "pipeline_bench", &args)) return 2;
  const int64_t lines = args.lines;
  const std::string dir = args.dir;
  const bool keep = args.keep;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string csv = dir + "/orders.csv";
  fmt::print("pipeline_bench: {} lines, data in {}\n", lines, dir);
  auto gen = RunTimed({"generate", "--output", csv, "--count", std::to_string(lines),
                       "--orders-per-day", "2000", "--seed", "42"});
  if (gen.exit_code != 0) return 1;
  fmt::print("{:<10} {:>10.2f} s {:>12.0f} rows/s  peak RSS {:>7.1f} MiB  ({:.0f} MiB CSV)\n",
             "generate", gen.seconds, lines / gen.seconds, gen.max_rss_kb / 1024.0,
             std::filesystem::file_size(csv) / 1048576.0);

  const std::string staged = dir + "/staged";
  double total = 0;
  for (std::string stage : {"produce", "bronze", "silver", "gold", "load"}) {
    std::vector<std::string> args{stage, "--data-dir", staged, "--log-level", "warn"};
    if (stage == "produce") args.insert(args.end(), {"--input", csv});
    auto m = RunTimed(args);
    if (m.exit_code != 0) {
      fmt::print(stderr, "{} failed ({})\n", stage, m.exit_code);
      return 1;
    }
    total += m.seconds;
    fmt::print("{:<10} {:>10.2f} s {:>12.0f} rows/s  peak RSS {:>7.1f} MiB\n", stage, m.seconds,
               lines / m.seconds, m.max_rss_kb / 1024.0);
  }
  fmt::print("{:<10} {:>10.2f} s {:>12.0f} rows/s  (stages one after another)\n", "sum", total,
             lines / total);

  auto e2e = RunTimed({"run", "--input", csv, "--data-dir", dir + "/run", "--exit-when-idle",
                       "--quiet", "--log-level", "warn"});
  if (e2e.exit_code != 0) return 1;
  fmt::print("{:<10} {:>10.2f} s {:>12.0f} rows/s  peak RSS {:>7.1f} MiB  (all stages at once)\n",
             "run", e2e.seconds, lines / e2e.seconds, e2e.max_rss_kb / 1024.0);
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
