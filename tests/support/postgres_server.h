// Test support: a real throwaway PostgreSQL 15 server on loopback (scripts/postgres) for one
// test. Each server has its own state directory, so tests never touch a developer's
// `make stack` server. Destroying it stops the server and removes its data; if the test
// process dies instead, the script's watchdog does the same.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "support/process.h"

namespace pizzastream::testing {

class PostgresServer {
 public:
  // Starts a server with an empty database and waits until it accepts connections.
  static Result<std::unique_ptr<PostgresServer>> Start();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // postgresql://pizzastream@127.0.0.1:PORT/pizzastream?passfile=... (no password in it).
  const std::string& url() const { return url_; }

  // Fast shutdown (open sessions are terminated, open transactions roll back) and start again
  // with the same data at the same URL, as a server restart in production would.
  Status Restart();

 private:
  PostgresServer() = default;
  Result<std::string> Run(const std::string& command);

  TempDir state_;
  std::string url_;
};

}  // namespace pizzastream::testing
