// SIGINT and SIGTERM for the long-running commands (run, demo, produce, the stages with
// --follow, serve): the first signal asks the command to stop after the step it is in (every
// stage then resumes from its committed position next time); a second one leaves at once,
// which is as safe as a crash (nothing committed is lost). A command stopped by a signal
// prints what it did and exits with 128 + the signal (130 for SIGINT, 143 for SIGTERM).
//
// The handlers are installed even when the shell started the process with SIGINT ignored (a
// background job of a script): stopping cleanly is always better than being killed.
// One StopSignals at a time per process; not thread-safe to construct.
#pragma once

#include <atomic>
#include <string>

namespace pizzastream::orchestration {
class Pipeline;
}

namespace pizzastream::cli {

class StopSignals {
 public:
  // Installs the handlers. Construct it first thing in a command, so that a signal arriving
  // while the command opens its stages is not lost: it stops what is attached later at once.
  StopSignals();
  // Restores the default dispositions.
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // What the first signal stops: `pipeline->Stop()`, or `*flag = true`. Call one of them once.
  void Attach(orchestration::Pipeline* pipeline);
  void Attach(std::atomic<bool>* flag);
  // Forgets the target; call before it is destroyed. A later signal is still recorded.
  void Detach();

  // The first signal received, 0 if none.
  int received() const;

  // If a signal was received: prints "pizzastream: stopped by SIG...; <what>" and throws
  // CLI::RuntimeError(128 + signal). `what` says what the command did and where it resumes.
  void ExitIfStopped(const std::string& what) const;
};

// Prints "pizzastream: stopped by SIG...; <what>" and throws CLI::RuntimeError(128 + signal).
[[noreturn]] void ExitStoppedBy(int signal, const std::string& what);

}  // namespace pizzastream::cli
