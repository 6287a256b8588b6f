// Test support: one server (a Kafka broker, a PostgreSQL server) shared by every test of the
// process, for the servers' Shared() functions. Started on first use; stopped by a GoogleTest
// environment after the last test, not at exit: forking the server's stop script from an exit
// handler can hang in Arrow's fork handlers. A process that dies first leaves the server to
// its script's watchdog. A failed start is returned to every later call instead of retrying.
// Not thread-safe: use from the test's thread.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "core/status.h"

namespace pizzastream::testing {

template <typename Server>
class SharedServer {
 public:
  // The shared server, started with `start()` (returning Result<std::unique_ptr<Server>>) on
  // the first call.
  template <typename StartFn>
  static Result<Server*> Get(StartFn start) {
    (void)kEnvironment;  // registers the environment that stops it
    State& state = TheState();
    if (!state.tried) {
      state.tried = true;
      auto server = start();
      state.status = server.status();
      if (server.ok()) state.server = server->release();
    }
    if (!state.status.ok()) return state.status;
    return state.server;
  }

 private:
  struct State {
    bool tried = false;
    Status status;
    Server* server = nullptr;  // owned; deleted by the environment, never at exit
  };
  static State& TheState() {
    static State state;
    return state;
  }

  class Environment : public ::testing::Environment {
   public:
    void TearDown() override {
      State& state = TheState();
      delete state.server;
      state = State();
    }
  };
  // Registered during static initialisation, before RUN_ALL_TESTS, as GoogleTest requires.
  static inline ::testing::Environment* const kEnvironment =
      ::testing::AddGlobalTestEnvironment(new Environment());
};

}  // namespace pizzastream::testing
