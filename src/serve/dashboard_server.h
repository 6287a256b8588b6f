// The live sales dashboard over HTTP: the bundled page (serve/web_assets.h), the JSON API
// (/api/kpi, /api/sales, /api/pipeline), /metrics and /healthz. docs/api.md is the contract.
//
// Runs on its own threads, so the pipeline process can serve while it loads (`run --serve`,
// `demo`): pass the pipeline's PipelineStatus in the options and publish to it. Without one
// the server polls the lake and the warehouse for pipeline figures itself.
//
// Security: loopback by default; with an auth token every /api/ and /metrics request needs
// "Authorization: Bearer <token>"; filter values only reach SQL as bound parameters; every
// response carries CSP, X-Content-Type-Options, X-Frame-Options and Referrer-Policy; requests
// whose Host is not a loopback name are refused while bound to loopback (DNS rebinding); and
// the HTTP server bounds everything a client controls (serve/http_server.h, `limits`).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/status.h"
#include "serve/http_server.h"
#include "serve/pipeline_status.h"

namespace pizzastream::serve {

struct DashboardOptions {
  std::string bind_address = "127.0.0.1";
  int port = 8080;               // 0: any free port (see DashboardServer::port())
  std::string warehouse_target;  // as for warehouse::OpenWarehouse
  std::string lake_uri;          // for pipeline figures when `pipeline` is null; may be empty
  std::string auth_token;        // empty: no token needed
  std::shared_ptr<PipelineStatus> pipeline;  // the in-process pipeline's figures, or null
  int threads = 4;    // request threads (each borrows its own warehouse connection)
  HttpLimits limits;  // connections, sizes and timeouts a client may use
  std::chrono::milliseconds lake_poll_interval{2000};
  size_t cached_results = 512;  // query results kept per data version (0: no cache)
  // /api/sales?group=day answers per week, then per month, beyond this many rows (docs/api.md).
  size_t max_day_rows = 1000;
};

class DashboardServer {
 public:
  explicit DashboardServer(DashboardOptions options);
  ~DashboardServer();  // Stop()s
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  // Creates the warehouse schema if missing, binds and starts serving on background threads.
  // Returns once the port accepts connections.
  Status Start();
  // Stops accepting, stops the in-memory view's background load at its next page of rows (calls
  // still waiting for the view answer 503), finishes the requests in flight and joins the
  // threads. Idempotent.
  void Stop();
  // The bound port (after Start()).
  int port() const;
  // "http://<bind>:<port>"
  std::string url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pizzastream::serve
