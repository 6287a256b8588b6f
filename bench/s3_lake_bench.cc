// S3 lake benchmark: the same generated data through the same binary, once on a local lake and
// once on an S3 lake (versitygw on loopback, started here through scripts/s3), each stage a
// process of its own, then `run` end to end on each; prints rows/s and the S3/local ratios.
//   s3_lake_bench [--lines N (default 1000000)] [--dir DIR] [--keep]
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "bench_support.h"

namespace {

using pizzastream::bench::Measured;

Measured Pizzastream(const std::vector<std::string>& args) {
  return pizzastream::bench::RunTimed(PIZZASTREAM_BIN, args);
}

// Starts the S3 server; exports its endpoint and credentials to this process (and so to the
// children). Returns false when it could not start.
bool StartS3(const std::string& state_dir) {
  const std::string script = std::string(PIZZASTREAM_SOURCE_DIR) + "/scripts/s3";
  const std::string command =
      fmt::format("S3_STATE_DIR='{}' S3_OWNER_PID={} '{}' start", state_dir, getpid(), script);
  FILE* out = popen(command.c_str(), "r");
  if (out == nullptr) return false;
  std::string last;
  char line[4096];
  while (fgets(line, sizeof line, out) != nullptr) last = line;
  if (pclose(out) != 0) return false;
  while (!last.empty() && last.back() == '\n') last.pop_back();
  std::ifstream env(last.substr(last.find(' ') + 1));
  for (std::string l; std::getline(env, l);) {
    if (!l.starts_with("export ")) continue;
    const size_t eq = l.find('=');
    ::setenv(l.substr(7, eq - 7).c_str(), l.substr(eq + 1).c_str(), 1);
  }
  return true;
}

void StopS3(const std::string& state_dir) {
  const std::string command = fmt::format("S3_STATE_DIR='{}' '{}/scripts/s3' stop 2>/dev/null",
                                          state_dir, PIZZASTREAM_SOURCE_DIR);
  (void)std::system(command.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  pizzastream::bench::BenchArgs args{1000000, "/tmp/pizzastream-s3-bench", false};
  if (!pizzastream::bench::ParseBenchArgs(argc, argv, "s3_lake_bench", &args)) return 2;
  const int64_t lines = args.lines;
  const std::string dir = args.dir;
  const bool keep = args.keep;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string state = dir + "/s3-state";
  if (!StartS3(state)) {
    fmt::print(stderr, "could not start the S3 server (scripts/s3)\n");
    return 1;
  }
  const std::string csv = dir + "/orders.csv";
  fmt::print("s3_lake_bench: {} lines, S3 at {}, data in {}\n", lines,
             std::getenv("AWS_ENDPOINT_URL"), dir);
  if (Pizzastream({"generate", "--output", csv, "--count", std::to_string(lines),
                   "--orders-per-day", "2000", "--seed", "42"})
          .exit_code != 0) {
    StopS3(state);
    return 1;
  }
  const std::map<std::string, std::string> lakes = {
      {"local", "file://" + dir + "/local-staged/lakehouse"}, {"s3", "s3://lakehouse/staged"}};
  std::map<std::string, std::map<std::string, double>> seconds;
  int failed = 0;
  for (const auto& [name, lake] : lakes) {
    const std::string data = dir + "/" + name + "-staged";
    for (std::string stage : {"produce", "bronze", "silver", "gold", "load"}) {
      std::vector<std::string> args{stage, "--data-dir",  data,  "--lake",
                                    lake,  "--log-level", "warn"};
      if (stage == "produce") args.insert(args.end(), {"--input", csv});
      auto m = Pizzastream(args);
      if (m.exit_code != 0) ++failed;
      seconds[name][stage] = m.seconds;
    }
    auto e2e =
        Pizzastream({"run", "--input", csv, "--data-dir", dir + "/" + name + "-run", "--lake",
                     name == "s3" ? "s3://lakehouse/run" : "file://" + dir + "/local-run/lakehouse",
                     "--exit-when-idle", "--quiet", "--log-level", "warn"});
    if (e2e.exit_code != 0) ++failed;
    seconds[name]["run"] = e2e.seconds;
  }
  fmt::print("{:<8} {:>14} {:>14} {:>8}\n", "stage", "local rows/s", "s3 rows/s", "s3/local");
  for (std::string stage : {"produce", "bronze", "silver", "gold", "load", "run"}) {
    const double l = seconds["local"][stage], s = seconds["s3"][stage];
    fmt::print("{:<8} {:>14.0f} {:>14.0f} {:>7.2f}x  ({:.2f} s vs {:.2f} s)\n", stage, lines / l,
               lines / s, s / l, l, s);
  }
  StopS3(state);
  if (!keep) std::filesystem::remove_all(dir);
  if (failed > 0) fmt::print(stderr, "{} command(s) failed\n", failed);
  return failed > 0 ? 1 : 0;
}
