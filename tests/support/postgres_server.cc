#include "support/postgres_server.h"

#include <unistd.h>

namespace pizzastream::testing {
namespace {

std::string PostgresScript() { return std::string(PIZZASTREAM_SOURCE_DIR) + "/scripts/postgres"; }

}  // namespace

Result<std::string> PostgresServer::Run(const std::string& command) {
  CommandResult result =
      RunCommand({"/usr/bin/env", "POSTGRES_STATE_DIR=" + (state_ / "postgres"),
                  "POSTGRES_OWNER_PID=" + std::to_string(getpid()), PostgresScript(), command});
  if (result.exit_code != 0) {
    return Status::IOError("scripts/postgres ", command, " exited with ", result.exit_code, ": ",
                           result.err, result.out);
  }
  return LastLine(result.out);
}

Result<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  ARROW_ASSIGN_OR_RAISE(server->url_, server->Run("start"));
  if (!server->url_.starts_with("postgresql://")) {
    return Status::IOError("scripts/postgres start printed no URL: ", server->url_);
  }
  return server;
}

PostgresServer::~PostgresServer() { (void)Run("stop"); }

Status PostgresServer::Restart() {
  ARROW_ASSIGN_OR_RAISE(std::string url, Run("restart"));
  if (url != url_) return Status::IOError("server came back at ", url, " instead of ", url_);
  return Status::OK();
}

}  // namespace pizzastream::testing
