// `pizzastream serve`: the live sales dashboard and its JSON API over the configured warehouse
// (docs/api.md). Runs until SIGINT/SIGTERM.
#include "cli/serve_command.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "cli/stop_signals.h"
#include "serve/request_guard.h"

namespace pizzastream::cli {

void AddDashboardFlags(CLI::App* cmd, DashboardFlags* flags) {
  cmd->add_option("--bind", flags->bind, "Address the dashboard listens on (loopback by default)")
      ->capture_default_str();
  cmd->add_option("--port", flags->port, "Dashboard TCP port; 0 picks a free one (printed)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--auth-token", flags->auth_token,
                  "Require 'Authorization: Bearer <token>' on /api/ and /metrics (prefer the "
                  "environment variable: arguments are visible to other users)")
      ->envname("PIZZASTREAM_AUTH_TOKEN");
  cmd->add_option("--threads", flags->threads, "Dashboard request threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
}

std::unique_ptr<serve::DashboardServer> StartDashboard(
    const GlobalOptions& global, const DashboardFlags& flags,
    std::shared_ptr<serve::PipelineStatus> pipeline) {
  serve::DashboardOptions options;
  options.bind_address = flags.bind;
  options.port = flags.port;
  options.warehouse_target = global.WarehouseTarget();
  options.lake_uri = global.LakeUri();
  options.auth_token = flags.auth_token;
  options.threads = flags.threads;
  options.pipeline = std::move(pipeline);
  auto server = std::make_unique<serve::DashboardServer>(options);
  ExitIfError(server->Start());
  // The URL line comes first (docs/api.md): scripts read it.
  std::cout << "pizzastream: dashboard on " << server->url() << "/" << std::endl;
  if (flags.auth_token.empty() && !serve::IsLoopbackName(flags.bind)) {
    spdlog::warn("serving on {} without an access token: anyone who reaches it sees the sales",
                 flags.bind);
  }
  return server;
}

void AddServeCommand(CLI::App& app, const GlobalOptions& defaults) {
  auto global = std::make_shared<GlobalOptions>(defaults);
  auto flags = std::make_shared<DashboardFlags>();
  auto* cmd = app.add_subcommand(
      "serve",
      "Serve the live sales dashboard and its JSON API (/api/kpi, /api/sales, /api/pipeline, "
      "/metrics, /healthz) over the warehouse; Ctrl-C stops");
  AddCommonOptions(cmd, global.get());
  AddDashboardFlags(cmd, flags.get());
  cmd->callback([global, flags] {
    ExitIfError(global->Resolve());
    // Threads started from here on inherit the blocked signals; this one waits for them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto server = StartDashboard(*global, *flags);
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("serve: stopping on signal {}", signal);
    server->Stop();
    ExitStoppedBy(signal, "the dashboard answered every request it had taken and closed");
  });
}

}  // namespace pizzastream::cli
