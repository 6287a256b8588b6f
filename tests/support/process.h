// Test support: run the pizzastream binary (or any program) and capture what it prints, start
// one in the background and kill it, and scratch directories that clean up after themselves.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pizzastream::testing {

struct CommandResult {
  int exit_code = -1;  // -signal when killed by a signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs `argv` to completion. argv[0] is a path.
CommandResult RunCommand(const std::vector<std::string>& argv);
// Runs the pizzastream binary under test with `args`.
CommandResult RunPizzastream(const std::vector<std::string>& args);

// Starts `argv` in the background with stdout/stderr to `log_path`; returns its pid.
pid_t StartBackground(const std::vector<std::string>& argv, const std::string& log_path);
// The same with stdout and stderr to separate files.
pid_t StartBackgroundSplit(const std::vector<std::string>& argv, const std::string& out_path,
                           const std::string& err_path);
// Waits for `pid`; returns its exit code (or -signal).
int WaitFor(pid_t pid);

// A fresh directory under $TMPDIR, removed with everything in it when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string PizzastreamBinary();
// The last non-empty line of `text` (the scripts/ servers print their address there).
std::string LastLine(const std::string& text);
void WriteFile(const std::string& path, const std::string& content);
// The whole content of the file at `path` ("" when it cannot be read).
std::string ReadText(const std::string& path);

}  // namespace pizzastream::testing
