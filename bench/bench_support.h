// Bench support: the options every benchmark takes (--lines N, --dir DIR, --keep), and running a
// program to completion measuring its wall time, CPU time, peak RSS and exit code.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace pizzastream::bench {

struct BenchArgs {
  int64_t lines = 0;
  std::string dir;
  bool keep = false;
};

// Fills `args` (holding the defaults) from the command line; false (usage printed) on a bad one.
inline bool ParseBenchArgs(int argc, char** argv, const char* name, BenchArgs* args) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--lines" && i + 1 < argc) {
      args->lines = std::atoll(argv[++i]);
    } else if (a == "--dir" && i + 1 < argc) {
      args->dir = argv[++i];
    } else if (a == "--keep") {
      args->keep = true;
    } else {
      std::fprintf(stderr, "usage: %s [--lines N] [--dir DIR] [--keep]\n", name);
      return false;
    }
  }
  return true;
}

struct Measured {
  double seconds = 0;
  double cpu_seconds = 0;  // user + system
  long max_rss_kb = 0;
  int exit_code = -1;
};

// Runs `program args...` to completion; its stdout goes to `stdout_file` when one is given.
inline Measured RunTimed(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdout_file = "") {
  std::vector<char*> argv;
  std::string bin = program;
  argv.push_back(bin.data());
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);  // else a child that reopens stdout writes the parent's pending lines too
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (!stdout_file.empty() && std::freopen(stdout_file.c_str(), "w", stdout) == nullptr) {
      _exit(126);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Measured m;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  m.max_rss_kb = usage.ru_maxrss;
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return m;
}

}  // namespace pizzastream::bench
