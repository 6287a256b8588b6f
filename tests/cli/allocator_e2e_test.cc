// Arrow's jemalloc is tuned before it starts: the binary runs with one jemalloc arena
// (JE_ARROW_MALLOC_CONF=narenas:1, set by executing itself once more, as jemalloc reads its
// settings when libarrow loads), unless the user chose settings of their own, which are kept.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "support/process.h"

namespace pizzastream::testing {
namespace {

using Clock = std::chrono::steady_clock;

// The NUL-separated environment of process `pid`, one entry per element.
std::vector<std::string> EnvironmentOf(pid_t pid) {
  const std::string text = ReadText("/proc/" + std::to_string(pid) + "/environ");
  std::vector<std::string> entries;
  size_t start = 0;
  for (size_t end; (end = text.find('\0', start)) != std::string::npos; start = end + 1) {
    entries.push_back(text.substr(start, end - start));
  }
  return entries;
}

// Starts `serve` on a fresh warehouse, waits until it listens (its main has run, so any
// re-execution is behind it), and returns the allocator settings in its environment; stops it.
std::vector<std::string> AllocatorSettingsOfServe() {
  TempDir dir;
  const std::string data = dir / "data";
  auto init = RunPizzastream({"warehouse", "init", "--data-dir", data});
  EXPECT_EQ(init.exit_code, 0) << init.err;
  const std::string log = dir / "serve.log";
  const pid_t pid =
      StartBackground({PizzastreamBinary(), "serve", "--data-dir", data, "--port", "0"}, log);
  const auto deadline = Clock::now() + std::chrono::seconds(60);  // a stop condition only
  while (ReadText(log).find("dashboard on http") == std::string::npos && Clock::now() < deadline &&
         ::waitpid(pid, nullptr, WNOHANG) == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(ReadText(log).find("dashboard on http"), std::string::npos) << ReadText(log);
  std::vector<std::string> settings;
  for (const auto& entry : EnvironmentOf(pid)) {
    if (entry.rfind("JE_ARROW_MALLOC_CONF=", 0) == 0) settings.push_back(entry);
  }
  ::kill(pid, SIGINT);
  EXPECT_EQ(WaitFor(pid), 128 + SIGINT) << ReadText(log);
  return settings;
}

TEST(ArrowAllocator, TheBinaryRunsWithOneJemallocArena) {
  ::unsetenv("JE_ARROW_MALLOC_CONF");
  EXPECT_EQ(AllocatorSettingsOfServe(), std::vector<std::string>{"JE_ARROW_MALLOC_CONF=narenas:1"});
}

TEST(ArrowAllocator, SettingsTheUserChoseAreKept) {
  ::setenv("JE_ARROW_MALLOC_CONF", "narenas:2,dirty_decay_ms:500", 1);
  const auto settings = AllocatorSettingsOfServe();
  ::unsetenv("JE_ARROW_MALLOC_CONF");
  EXPECT_EQ(settings,
            std::vector<std::string>{"JE_ARROW_MALLOC_CONF=narenas:2,dirty_decay_ms:500"});
}

}  // namespace
}  // namespace pizzastream::testing
