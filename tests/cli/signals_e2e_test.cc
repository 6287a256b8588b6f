// SIGINT and SIGTERM on the long-running commands, through the binary: each stops after the
// step it is in, says what it did, exits 128 + the signal (130 / 143), and loses nothing (the
// next run resumes and the figures are exact). Also: an error in the data directory is one
// line and exit 1, never an uncaught exception.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <regex>
#include <thread>

#include "support/pipeline_checks.h"
#include "support/process.h"

namespace pizzastream::testing {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// Stop conditions for waiting loops, not timing assertions.
constexpr auto kStartDeadline = std::chrono::seconds(120);
constexpr auto kStopDeadline = std::chrono::seconds(60);

// Polls until `ready()` or the deadline; false on the deadline.
bool WaitUntil(const std::function<bool()>& ready, Clock::duration deadline = kStartDeadline) {
  const auto until = Clock::now() + deadline;
  while (!ready()) {
    if (Clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Exit code of `pid` (or -signal); SIGKILLs it and returns -1000 if it has not ended by the
// deadline. `seconds` gets how long it took.
int WaitForExit(pid_t pid, double* seconds) {
  const auto start = Clock::now();
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() - start > kStopDeadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1000;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  *seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? -WTERMSIG(status) : -1000;
}

class SignalTest : public ::testing::Test {
 protected:
  std::string Data() const { return dir_ / "data"; }
  std::string Csv() const { return dir_ / "orders.csv"; }
  json Generate(int64_t count) {
    return GenerateOrders(Csv(), dir_ / "totals.json", count, 0.01, 0.01, 5);
  }
  // Sends `signal` once `ready` holds in `log`, expects the exit code 128 + signal and the
  // "stopped by" line; returns the log.
  std::string StopWith(pid_t pid, int signal, const std::string& log,
                       const std::function<bool(const std::string&)>& ready) {
    EXPECT_TRUE(WaitUntil([&] { return ready(ReadText(log)); })) << ReadText(log);
    ::kill(pid, signal);
    double seconds = 0;
    const int code = WaitForExit(pid, &seconds);
    EXPECT_EQ(code, 128 + signal) << ReadText(log);
    std::cout << "stopped by signal " << signal << " in " << seconds << " s\n";
    const std::string text = ReadText(log);
    EXPECT_NE(text.find(std::string("pizzastream: stopped by ") +
                        (signal == SIGINT ? "SIGINT" : "SIGTERM")),
              std::string::npos)
        << text;
    return text;
  }

  TempDir dir_;
};

bool Matches(const std::string& text, const char* pattern) {
  return std::regex_search(text, std::regex(pattern));
}

TEST_F(SignalTest, ProduceStopsOnSigintAndSigtermEvenWhenStartedWithSigintIgnored) {
  const json totals = Generate(200000);
  int round = 0;
  for (int signal : {SIGINT, SIGTERM}) {
    const std::string log = dir_ / ("produce-" + std::to_string(round++) + ".log");
    // A background job of a shell script starts with SIGINT ignored.
    const pid_t pid =
        StartBackground({"/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\"", PizzastreamBinary(),
                         "produce", "--input", Csv(), "--data-dir", Data(), "--rate", "20000"},
                        log);
    const std::string text = StopWith(pid, signal, log, [](const std::string& t) {
      return Matches(t, "[1-9]\\d* records sent");
    });
    EXPECT_NE(text.find("resumes"), std::string::npos) << text;
  }
  // What the stopped producers sent plus the rest, exactly once.
  auto rest = RunPizzastream({"produce", "--input", Csv(), "--data-dir", Data()});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  auto run = RunPizzastream({"run", "--data-dir", Data(), "--exit-when-idle", "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ExpectExactKpi(RunKpi(Data()), totals);
}

TEST_F(SignalTest, RunStopsAfterItsCurrentStepsWithABacklogAndTheNextRunIsExact) {
  const json totals = Generate(400000);
  const std::string log = dir_ / "run.log";
  // Paced so that the producer still has a backlog when the first status line (after a few
  // seconds, not on a terminal) shows rows loaded, however fast the stages are.
  const pid_t pid = StartBackground(
      {PizzastreamBinary(), "run", "--input", Csv(), "--data-dir", Data(), "--rate", "25000"}, log);
  // Stopped while loading: the producer and the upstream stages have a backlog left.
  const std::string text = StopWith(
      pid, SIGINT, log, [](const std::string& t) { return Matches(t, "load [1-9]\\d* rows"); });
  EXPECT_NE(text.find("every stage committed its position"), std::string::npos) << text;
  EXPECT_LT(RunKpi(Data())["rows"]["fact"].get<int64_t>(), totals["clean_lines"].get<int64_t>());
  auto again = RunPizzastream(
      {"run", "--input", Csv(), "--data-dir", Data(), "--exit-when-idle", "--quiet"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  ExpectExactKpi(RunKpi(Data()), totals);
}

TEST_F(SignalTest, BronzeFollowStopsOnSigterm) {
  Generate(20000);
  auto produced = RunPizzastream({"produce", "--input", Csv(), "--data-dir", Data()});
  ASSERT_EQ(produced.exit_code, 0) << produced.err;
  const std::string log = dir_ / "bronze.log";
  const pid_t pid =
      StartBackground({PizzastreamBinary(), "bronze", "--follow", "--data-dir", Data()}, log);
  // The reader's group lock exists once the stage is open (the handlers are set before).
  const std::string lock = Data() + "/log/pizza_sales/groups/pizzastream-bronze.lock";
  ASSERT_TRUE(WaitUntil([&] { return std::filesystem::exists(lock); }));
  const std::string text = StopWith(pid, SIGTERM, log, [](const std::string&) { return true; });
  EXPECT_TRUE(Matches(text, "bronze: \\d+ rows in")) << text;
}

TEST_F(SignalTest, ServeStopsOnSigint) {
  auto init = RunPizzastream({"warehouse", "init", "--data-dir", Data()});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string log = dir_ / "serve.log";
  const pid_t pid =
      StartBackground({PizzastreamBinary(), "serve", "--data-dir", Data(), "--port", "0"}, log);
  StopWith(pid, SIGINT, log,
           [](const std::string& t) { return t.find("dashboard on http") != std::string::npos; });
}

TEST(CliErrors, ADataDirThatCannotBeCreatedIsOneLineAndExitOne) {
  TempDir dir;
  WriteFile(dir / "afile", "not a directory\n");
  const std::string bad = dir / "afile/sub";
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"run", "--generate", "--data-dir", bad},
                                             {"produce", "--generate", "--data-dir", bad},
                                             {"bronze", "--data-dir", bad},
                                             {"kpi", "--data-dir", bad}}) {
    auto r = RunPizzastream(args);
    EXPECT_EQ(r.exit_code, 1) << args[0] << ": " << r.err;
    EXPECT_EQ(r.err.rfind("pizzastream: cannot create the data directory ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace pizzastream::testing
