// Chaos: random SIGKILLs across `run` and the single stages (produce, bronze, silver, gold,
// load) on the embedded pipeline, then one uninterrupted `run` to finish; the figures must be
// exactly those of a run that was never interrupted (and of the generator). The number of
// kills comes from PIZZASTREAM_CHAOS_KILLS (default 4, what `make test` runs; `make chaos
// N=...` runs more) and the random seed from PIZZASTREAM_CHAOS_SEED (printed, for replays).
// It prints every kill (command and when), how many commands ended before their kill, and the
// mismatches.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

#include "support/pipeline_checks.h"
#include "support/process.h"

namespace pizzastream::testing {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoll(value) : fallback;
}

TEST(Chaos, RandomSigkillsAcrossRunAndTheStagesLeaveExactlyTheUninterruptedFigures) {
  const int64_t kills = EnvInt("PIZZASTREAM_CHAOS_KILLS", 4);
  const auto seed = static_cast<uint64_t>(EnvInt("PIZZASTREAM_CHAOS_SEED", std::random_device{}()));
  std::mt19937_64 random(seed);
  std::cout << "chaos: " << kills << " kills, seed " << seed << "\n";

  TempDir dir;
  const std::string csv = dir / "orders.csv";
  const json totals = GenerateOrders(csv, dir / "totals.json", 60000, 0.01, 0.01, 3);
  auto command = [&](const std::string& data, const std::string& what) {
    std::vector<std::string> argv{PizzastreamBinary(), what, "--data-dir", data};
    if (what == "run" || what == "produce") {
      for (const char* arg : {"--input", csv.c_str()}) argv.emplace_back(arg);
    }
    if (what == "run") {
      argv.emplace_back("--exit-when-idle");
      argv.emplace_back("--quiet");
    }
    return argv;
  };

  // The reference: never interrupted.
  const std::string reference_dir = dir / "reference";
  auto reference_run = RunCommand(command(reference_dir, "run"));
  ASSERT_EQ(reference_run.exit_code, 0) << reference_run.err;
  const KpiOutput reference = RunKpi(reference_dir);
  ExpectExactKpi(reference, totals);

  const std::string data = dir / "chaos";
  const std::vector<std::string> commands = {"run",    "run",  "produce", "bronze",
                                             "silver", "gold", "load"};
  int64_t killed = 0, finished_first = 0, failed = 0;
  for (int attempt = 0; killed < kills && attempt < kills * 20; ++attempt) {
    const std::string what = commands[random() % commands.size()];
    const auto delay = std::chrono::milliseconds(20 + random() % 1500);
    const pid_t pid = StartBackground(command(data, what), dir / "chaos.log");
    const auto deadline = Clock::now() + delay;
    int status = 0;
    pid_t done = 0;
    while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (done == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ++killed;
      std::cout << "chaos: kill " << killed << ": " << what << " after " << delay.count()
                << " ms\n";
    } else {
      ++finished_first;
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        ++failed;  // a stage run after a kill must recover, never fail
        ADD_FAILURE() << what << " failed after an earlier kill; see " << (dir / "chaos.log");
      }
    }
  }
  auto last = RunCommand(command(data, "run"));
  ASSERT_EQ(last.exit_code, 0) << last.err;
  const KpiOutput after = RunKpi(data);
  const bool mismatch = !(after == reference);
  std::cout << "chaos: " << killed << " kills, " << finished_first
            << " commands ended before their kill (" << failed << " failed), " << (mismatch ? 1 : 0)
            << " mismatch(es)\n";
  EXPECT_EQ(killed, kills);
  EXPECT_EQ(after.text, reference.text);
}

}  // namespace
}  // namespace pizzastream::testing
