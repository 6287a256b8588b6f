#include "support/postgres_server.h"

#include <unistd.h>

#include <atomic>
#include <pqxx/pqxx>

#include "support/shared_server.h"

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

Result<PostgresServer*> PostgresServer::Shared() {
  return SharedServer<PostgresServer>::Get([]() -> Result<std::unique_ptr<PostgresServer>> {
    ARROW_ASSIGN_OR_RAISE(auto server, Start());
    server->shared_ = true;
    return server;
  });
}

Result<std::string> PostgresServer::NewDatabase() {
  static std::atomic<int> databases{0};
  const std::string name = "test_" + std::to_string(++databases);
  // postgresql://USER@HOST:PORT/DB?...: the database is the path between the third '/' and '?'.
  const size_t slash = url_.find('/', std::string("postgresql://").size());
  if (slash == std::string::npos) return Status::Invalid("no database in ", url_);
  const size_t query = url_.find('?', slash);
  try {
    pqxx::connection connection(url_);
    pqxx::nontransaction(connection).exec("CREATE DATABASE " + name);
  } catch (const std::exception& e) {
    return Status::IOError("CREATE DATABASE ", name, ": ", e.what());
  }
  return url_.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url_.substr(query));
}

PostgresServer::~PostgresServer() { (void)Run("stop"); }

Status PostgresServer::Restart() {
  if (shared_) return Status::Invalid("the shared test server cannot be restarted: use your own");
  ARROW_ASSIGN_OR_RAISE(std::string url, Run("restart"));
  if (url != url_) return Status::IOError("server came back at ", url, " instead of ", url_);
  return Status::OK();
}

}  // namespace pizzastream::testing
