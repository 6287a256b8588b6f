// `pizzastream serve`: the live sales dashboard and its JSON API over the configured warehouse
// (docs/api.md). Runs until SIGINT/SIGTERM.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "cli/commands.h"
#include "serve/dashboard_server.h"
#include "serve/request_guard.h"

namespace pizzastream::cli {

namespace {

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string auth_token;
  int threads = 4;
};

void Serve(GlobalOptions& global, const ServeOptions& options) {
  global.Resolve();
  // Every thread started from here on inherits the blocked signals; this one waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (options.auth_token.empty() && !serve::IsLoopbackName(options.bind)) {
    spdlog::warn("serving on {} without an access token: anyone who reaches it sees the sales",
                 options.bind);
  }
  serve::DashboardOptions dashboard;
  dashboard.bind_address = options.bind;
  dashboard.port = options.port;
  dashboard.warehouse_target = global.WarehouseTarget();
  dashboard.lake_uri = global.LakeUri();
  dashboard.auth_token = options.auth_token;
  dashboard.threads = options.threads;
  serve::DashboardServer server(dashboard);
  ExitIfError(server.Start());
  std::cout << "pizzastream: dashboard on " << server.url() << "/" << std::endl;
  int signal = 0;
  sigwait(&signals, &signal);
  spdlog::info("serve: stopping on signal {}", signal);
  server.Stop();
}

}  // namespace

void AddServeCommand(CLI::App& app, const GlobalOptions& defaults) {
  auto global = std::make_shared<GlobalOptions>(defaults);
  auto options = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand(
      "serve",
      "Serve the live sales dashboard and its JSON API (/api/kpi, /api/sales, /api/pipeline, "
      "/metrics, /healthz) over the warehouse; Ctrl-C stops");
  AddCommonOptions(cmd, global.get());
  cmd->add_option("--bind", options->bind, "Address to listen on (loopback by default)")
      ->capture_default_str();
  cmd->add_option("--port", options->port, "TCP port; 0 picks a free one (printed at start)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--auth-token", options->auth_token,
                  "Require 'Authorization: Bearer <token>' on /api/ and /metrics (prefer the "
                  "environment variable: arguments are visible to other users)")
      ->envname("PIZZASTREAM_AUTH_TOKEN");
  cmd->add_option("--threads", options->threads, "Request threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->callback([global, options] { Serve(*global, *options); });
}

}  // namespace pizzastream::cli
