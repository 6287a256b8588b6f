#include "cli/stop_signals.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "orchestration/pipeline.h"

namespace pizzastream::cli {
namespace {

// Set by Attach, read by the handler (lock-free atomics: async-signal-safe).
std::atomic<orchestration::Pipeline*> g_pipeline{nullptr};
std::atomic<std::atomic<bool>*> g_flag{nullptr};
std::atomic<int> g_signal{0};

void StopTargets() {
  if (auto* pipeline = g_pipeline.load()) pipeline->Stop();
  if (auto* flag = g_flag.load()) flag->store(true);
}

void OnSignal(int signal) {
  int expected = 0;
  if (!g_signal.compare_exchange_strong(expected, signal)) {
    // A second signal: leave now (async-signal-safe calls only).
    constexpr char kMessage[] = "pizzastream: second signal, leaving at once\n";
    (void)!::write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
    std::_Exit(128 + expected);
  }
  StopTargets();
}

}  // namespace

StopSignals::StopSignals() {
  g_signal.store(0);
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int signal : {SIGINT, SIGTERM}) ::sigaction(signal, &action, nullptr);
  // A thread that blocked these signals must not hide them from this one.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  ::pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
}

StopSignals::~StopSignals() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  Detach();
}

void StopSignals::Attach(orchestration::Pipeline* pipeline) {
  g_pipeline.store(pipeline);
  if (received() != 0) StopTargets();  // it came while the command was opening
}

void StopSignals::Attach(std::atomic<bool>* flag) {
  g_flag.store(flag);
  if (received() != 0) StopTargets();
}

void StopSignals::Detach() {
  g_pipeline.store(nullptr);
  g_flag.store(nullptr);
}

int StopSignals::received() const { return g_signal.load(); }

void StopSignals::ExitIfStopped(const std::string& what) const {
  if (received() != 0) ExitStoppedBy(received(), what);
}

void ExitStoppedBy(int signal, const std::string& what) {
  std::cerr << "pizzastream: stopped by " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << "; "
            << what << std::endl;
  throw CLI::RuntimeError(128 + signal);
}

}  // namespace pizzastream::cli
