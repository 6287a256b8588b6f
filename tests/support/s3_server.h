// Test support: a real S3-compatible server (versitygw via scripts/s3) on loopback for one
// test, with bucket `lakehouse`. Each server has its own state directory and generated
// credentials, so tests never touch a developer's server. Destroying it stops the server and
// removes its data; if the test process dies instead, the script's watchdog does the same.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "support/process.h"

namespace pizzastream::testing {

class S3Server {
 public:
  // Starts a server and waits until it answers and the bucket exists.
  static Result<std::unique_ptr<S3Server>> Start();
  ~S3Server();
  S3Server(const S3Server&) = delete;
  S3Server& operator=(const S3Server&) = delete;

  // http://127.0.0.1:PORT
  const std::string& endpoint() const { return endpoint_; }
  // The env file scripts/s3 wrote (AWS_ENDPOINT_URL, credentials, region).
  const std::string& env_file() const { return env_file_; }
  // NAME=value for each variable of the env file: the environment a client needs.
  std::vector<std::string> ClientEnv() const;
  // The value of one variable of the env file ("" when absent).
  std::string EnvValue(const std::string& name) const;
  // Where the posix backend keeps bucket `bucket` on disk (objects are files under it).
  std::string BucketDir(const std::string& bucket = "lakehouse") const;

  // Stops the server but keeps its data, port and credentials, as an outage would.
  Status Stop();
  // Starts it again after Stop(), at the same endpoint with the same data.
  Status Restart();

 private:
  S3Server() = default;
  // Runs scripts/s3 with `args`; returns the last line it printed.
  Result<std::string> Run(const std::vector<std::string>& args);

  TempDir state_;
  std::string endpoint_;
  std::string env_file_;
};

// Runs the pizzastream binary with `env` (NAME=value) added to the environment.
CommandResult RunPizzastreamWithEnv(const std::vector<std::string>& env,
                                    const std::vector<std::string>& args);
// The same in the background, output to `log_path`; returns its pid.
pid_t StartPizzastreamWithEnv(const std::vector<std::string>& env,
                              const std::vector<std::string>& args, const std::string& log_path);

}  // namespace pizzastream::testing
