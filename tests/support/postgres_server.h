// Test support: a real throwaway PostgreSQL 15 server on loopback (scripts/postgres). Most
// tests share one server per test process (PostgresServer::Shared: initdb and start cost a few
// seconds), each in a database of its own (NewDatabase); a test that restarts the server starts
// one of its own (PostgresServer::Start). Each server has its own state directory, so tests
// never touch a developer's `make stack` server. Destroying a server stops it and removes its
// data (the shared one at process exit); if the test process dies instead, the script's
// watchdog does the same. Not thread-safe: use from the test's thread.
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
  // The server shared by every test of this process: started on the first call, stopped at
  // exit. A failed start is returned to every later call. Restart() refuses it.
  static Result<PostgresServer*> Shared();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // postgresql://pizzastream@127.0.0.1:PORT/pizzastream?passfile=... (no password in it).
  const std::string& url() const { return url_; }

  // Creates a new empty database (test_<n>, owned by the same user) and returns its URL: url()
  // with the database name changed.
  Result<std::string> NewDatabase();

  // Fast shutdown (open sessions are terminated, open transactions roll back) and start again
  // with the same data at the same URL, as a server restart in production would.
  Status Restart();

 private:
  PostgresServer() = default;
  Result<std::string> Run(const std::string& command);

  TempDir state_;
  std::string url_;
  bool shared_ = false;
};

}  // namespace pizzastream::testing
