// The dashboard's command-line flags and start-up, shared by `serve` and by the commands that
// serve while the pipeline runs (`run --serve`, `demo`).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "serve/dashboard_server.h"
#include "serve/pipeline_status.h"

namespace pizzastream::cli {

struct DashboardFlags {
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string auth_token;
  int threads = 4;
};

// Adds --bind, --port, --auth-token (env PIZZASTREAM_AUTH_TOKEN) and --threads to `cmd`.
void AddDashboardFlags(CLI::App* cmd, DashboardFlags* flags);

// Starts the dashboard over `global`'s warehouse and prints its URL to stdout. With a
// `pipeline` status (publish the pipeline's figures to it from PipelineOptions::on_status),
// /api/pipeline shows the running pipeline; without, the server polls the lake. Exits via
// ExitIfError when it cannot start (e.g. the port is taken).
std::unique_ptr<serve::DashboardServer> StartDashboard(
    const GlobalOptions& global, const DashboardFlags& flags,
    std::shared_ptr<serve::PipelineStatus> pipeline = nullptr);

}  // namespace pizzastream::cli
