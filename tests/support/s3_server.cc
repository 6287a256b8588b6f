#include "support/s3_server.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace pizzastream::testing {
namespace {

std::string S3Script() { return std::string(PIZZASTREAM_SOURCE_DIR) + "/scripts/s3"; }

std::vector<std::string> WithEnv(const std::vector<std::string>& env,
                                 const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/env"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(PizzastreamBinary());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

Result<std::string> S3Server::Run(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/env", "S3_STATE_DIR=" + (state_ / "s3"),
                                "S3_OWNER_PID=" + std::to_string(getpid()), S3Script()};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult result = RunCommand(argv);
  if (result.exit_code != 0) {
    return Status::IOError("scripts/s3 ", args.front(), " exited with ", result.exit_code, ": ",
                           result.err, result.out);
  }
  return LastLine(result.out);
}

Result<std::unique_ptr<S3Server>> S3Server::Start() {
  std::unique_ptr<S3Server> server(new S3Server());
  ARROW_ASSIGN_OR_RAISE(std::string line, server->Run({"start"}));
  const size_t space = line.find(' ');
  if (!line.starts_with("http://") || space == std::string::npos) {
    return Status::IOError("scripts/s3 start printed no endpoint and env file: ", line);
  }
  server->endpoint_ = line.substr(0, space);
  server->env_file_ = line.substr(space + 1);
  return server;
}

S3Server::~S3Server() { (void)Run({"stop"}); }

std::vector<std::string> S3Server::ClientEnv() const {
  std::vector<std::string> env;
  std::ifstream in(env_file_);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("export ")) env.push_back(line.substr(7));
  }
  return env;
}

std::string S3Server::EnvValue(const std::string& name) const {
  for (const auto& kv : ClientEnv()) {
    if (kv.starts_with(name + "=")) return kv.substr(name.size() + 1);
  }
  return {};
}

std::string S3Server::BucketDir(const std::string& bucket) const {
  std::ifstream in(state_ / "s3/data");
  std::string data;
  std::getline(in, data);
  return data + "/gw/" + bucket;
}

Status S3Server::Stop() { return Run({"stop", "--keep-data"}).status(); }

Status S3Server::Restart() {
  ARROW_ASSIGN_OR_RAISE(std::string line, Run({"start"}));
  if (!line.starts_with(endpoint_ + " ")) {
    return Status::IOError("server came back as ", line, " instead of ", endpoint_);
  }
  return Status::OK();
}

CommandResult RunPizzastreamWithEnv(const std::vector<std::string>& env,
                                    const std::vector<std::string>& args) {
  return RunCommand(WithEnv(env, args));
}

pid_t StartPizzastreamWithEnv(const std::vector<std::string>& env,
                              const std::vector<std::string>& args, const std::string& log_path) {
  return StartBackground(WithEnv(env, args), log_path);
}

}  // namespace pizzastream::testing
