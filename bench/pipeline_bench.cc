// Pipeline benchmark: rows/s and CPU per line of every stage, and of the whole pipeline, on a
// generated stream, with each process's peak RSS. Runs the real binary, as a user would, with
// the input generated on the fly (no CSV on disk), for each orders-per-day distribution asked:
// the generator's default (59.64 a day: the real shop, sparse days) and a chain's 2,000 a day.
//   pipeline_bench [--lines N (default 5000000)] [--orders-per-day 59.64,2000] [--dir DIR]
//                  [--no-stages] [--keep]
// 1. stage by stage, each a process of its own on one data dir: produce --generate, bronze,
//    silver, gold, load; 2. end to end: `run --generate --exit-when-idle` on a fresh data dir,
//    checked with `kpi --json` (every line in the warehouse).
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "bench_support.h"

namespace {

using pizzastream::bench::Measured;

Measured RunTimed(const std::vector<std::string>& args, const std::string& stdout_file = "") {
  return pizzastream::bench::RunTimed(PIZZASTREAM_BIN, args, stdout_file);
}

void Print(const std::string& name, const Measured& m, int64_t lines, const std::string& note) {
  fmt::print("{:<8} {:>8.2f} s {:>10.0f} rows/s {:>6.2f} us CPU/line  peak RSS {:>6.1f} MiB{}\n",
             name, m.seconds, static_cast<double>(lines) / m.seconds,
             m.cpu_seconds * 1e6 / static_cast<double>(lines), m.max_rss_kb / 1024.0, note);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t lines = 5000000;
  std::vector<std::string> densities = {"59.64", "2000"};
  std::string dir = "/tmp/pizzastream-bench";
  bool keep = false, stages = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--lines" && i + 1 < argc) {
      lines = std::atoll(argv[++i]);
    } else if (a == "--orders-per-day" && i + 1 < argc) {
      densities.clear();
      std::stringstream list(argv[++i]);
      for (std::string d; std::getline(list, d, ',');) densities.push_back(d);
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "--no-stages") {
      stages = false;
    } else if (a == "--keep") {
      keep = true;
    } else {
      fmt::print(stderr,
                 "usage: pipeline_bench [--lines N] [--orders-per-day A,B] [--dir DIR] "
                 "[--no-stages] [--keep]\n");
      return 2;
    }
  }
  const std::vector<std::string> quiet = {"--log-level", "warn"};
  for (const std::string& density : densities) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::vector<std::string> source = {
        "--generate", "--count", std::to_string(lines), "--orders-per-day", density,
        "--seed",     "42"};
    fmt::print("pipeline_bench: {} generated lines, {} orders a day, data in {}\n", lines, density,
               dir);
    if (stages) {
      const std::string staged = dir + "/staged";
      double total = 0, cpu = 0, lake_cpu = 0;
      for (std::string stage : {"produce", "bronze", "silver", "gold", "load"}) {
        std::vector<std::string> args{stage, "--data-dir", staged, "--log-level", "warn"};
        if (stage == "produce") args.insert(args.end(), source.begin(), source.end());
        const Measured m = RunTimed(args);
        if (m.exit_code != 0) {
          fmt::print(stderr, "{} failed ({})\n", stage, m.exit_code);
          return 1;
        }
        total += m.seconds;
        cpu += m.cpu_seconds;
        if (stage == "bronze" || stage == "silver" || stage == "gold") lake_cpu += m.cpu_seconds;
        Print(stage, m, lines, "");
      }
      fmt::print(
          "{:<8} {:>8.2f} s {:>10.0f} rows/s {:>6.2f} us CPU/line  (stages one after another; "
          "lake stages {:.2f} us CPU/line)\n",
          "sum", total, static_cast<double>(lines) / total, cpu * 1e6 / static_cast<double>(lines),
          lake_cpu * 1e6 / static_cast<double>(lines));
    }
    // The staged data goes first: its gigabytes of log and lake, still in the page cache and
    // being written back, made `run` right after it up to 1.8x slower than `run` alone.
    std::filesystem::remove_all(dir + "/staged");
    std::vector<std::string> args = {"run", "--data-dir", dir + "/run", "--exit-when-idle",
                                     "--quiet"};
    args.insert(args.end(), source.begin(), source.end());
    args.insert(args.end(), quiet.begin(), quiet.end());
    const Measured e2e = RunTimed(args);
    if (e2e.exit_code != 0) {
      fmt::print(stderr, "run failed ({})\n", e2e.exit_code);
      return 1;
    }
    // Every line must have reached the warehouse.
    const std::string kpi_file = dir + "/kpi.json";
    const Measured kpi_run = RunTimed({"kpi", "--data-dir", dir + "/run", "--json"}, kpi_file);
    if (kpi_run.exit_code != 0) return 1;
    std::FILE* f = std::fopen(kpi_file.c_str(), "r");
    std::string kpi(4096, '\0');
    kpi.resize(f ? std::fread(kpi.data(), 1, kpi.size(), f) : 0);
    if (f) std::fclose(f);
    const std::string want = fmt::format("\"fact\":{}", lines);
    const bool complete = kpi.find(want) != std::string::npos;
    Print("run", e2e, lines,
          complete ? "  (all stages at once; every line loaded)"
                   : "  (all stages at once) INCOMPLETE: " + kpi);
    if (!complete) return 1;
    // The key figures with SQL over every fact (what `run`'s summary and `kpi` wait for).
    fmt::print("kpi        {:6.2f} s  {:5.2f} s CPU  over {} facts  peak RSS {:6.1f} MiB\n",
               kpi_run.seconds, kpi_run.cpu_seconds, lines, kpi_run.max_rss_kb / 1024.0);
  }
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
