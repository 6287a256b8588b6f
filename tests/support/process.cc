#include "support/process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace pizzastream::testing {

namespace {

std::vector<char*> Argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string PizzastreamBinary() { return PIZZASTREAM_BIN; }

std::string LastLine(const std::string& text) {
  std::string_view rest(text);
  while (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
  const size_t newline = rest.rfind('\n');
  return std::string(newline == std::string_view::npos ? rest : rest.substr(newline + 1));
}

pid_t StartBackground(const std::vector<std::string>& argv, const std::string& log_path) {
  return StartBackgroundSplit(argv, log_path, log_path);
}

pid_t StartBackgroundSplit(const std::vector<std::string>& argv, const std::string& out_path,
                           const std::string& err_path) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int err =
        out_path == err_path ? out : open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(out, 1);
    dup2(err, 2);
    const int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    auto args = Argv(argv);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

int WaitFor(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1000;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1000;
}

CommandResult RunCommand(const std::vector<std::string>& argv) {
  TempDir scratch;
  const std::string out = scratch / "stdout", err = scratch / "stderr";
  CommandResult r;
  r.exit_code = WaitFor(StartBackgroundSplit(argv, out, err));
  r.out = ReadText(out);
  r.err = ReadText(err);
  return r;
}

CommandResult RunPizzastream(const std::vector<std::string>& args) {
  std::vector<std::string> argv{PizzastreamBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base ? base : "/tmp") + "/pizzastream-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

}  // namespace pizzastream::testing
