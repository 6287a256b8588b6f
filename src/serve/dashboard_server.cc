#include "serve/dashboard_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "serve/api_responses.h"
#include "serve/http_metrics.h"
#include "serve/lake_pipeline_probe.h"
#include "serve/request_guard.h"
#include "serve/sales_filter.h"
#include "serve/warehouse_pool.h"
#include "serve/web_assets.h"

namespace pizzastream::serve {
namespace {

constexpr const char* kJson = "application/json";

httplib::Headers SecurityHeaders() {
  return {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  };
}

}  // namespace

struct DashboardServer::Impl {
  explicit Impl(DashboardOptions o)
      : options(std::move(o)),
        warehouses(options.warehouse_target, static_cast<size_t>(std::max(options.threads, 1)) + 1),
        guard(options.bind_address, options.auth_token),
        cache(options.cached_results) {}

  DashboardOptions options;
  WarehousePool warehouses;
  RequestGuard guard;
  HttpMetrics metrics;
  SalesCache cache;
  std::shared_ptr<PipelineStatus> pipeline;
  std::unique_ptr<LakePipelineProbe> probe;
  httplib::Server server;
  std::thread listener;
  std::atomic<bool> listener_done{false};
  int port = 0;
  bool started = false;

  // Runs `body` with a borrowed warehouse connection and answers with its result: 200 with
  // the body, 400 for an invalid request, 500 otherwise (details go to the log only).
  void Answer(const std::string& route, httplib::Response& res, const char* content_type,
              const std::function<Result<std::string>(warehouse::Warehouse&)>& body) {
    const auto start = std::chrono::steady_clock::now();
    Result<std::string> result = [&]() -> Result<std::string> {
      ARROW_ASSIGN_OR_RAISE(auto wh, warehouses.Acquire());
      auto r = body(*wh);
      if (!r.ok() && !r.status().IsInvalid()) wh.Discard();
      return r;
    }();
    if (result.ok()) {
      res.status = 200;
      res.set_content(*result, content_type);
    } else if (result.status().IsInvalid()) {
      res.status = 400;
      res.set_content(ErrorBody(result.status().message()), kJson);
    } else {
      spdlog::error("serve: {}: {}", route, result.status().ToString());
      res.status = 500;
      res.set_content(ErrorBody("the warehouse could not answer; see the server log"), kJson);
    }
    res.set_header("Cache-Control", "no-store");
    metrics.Observe(
        route, res.status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }

  void Routes() {
    for (const WebAsset& asset : WebAssets()) {
      server.Get(std::string(asset.path),
                 [this, &asset](const httplib::Request&, httplib::Response& res) {
                   res.set_content(asset.body.data(), asset.body.size(),
                                   std::string(asset.content_type).c_str());
                   res.set_header("Cache-Control", "no-cache");
                   metrics.Observe("static", 200, 0);
                 });
    }
    server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      Answer("/healthz", res, kJson, [](warehouse::Warehouse& wh) -> Result<std::string> {
        ARROW_RETURN_NOT_OK(wh.Query("SELECT 1", {}).status());
        return std::string(R"({"status":"ok"})");
      });
    });
    server.Get("/api/kpi", [this](const httplib::Request& req, httplib::Response& res) {
      Answer("/api/kpi", res, kJson, [&](warehouse::Warehouse& wh) -> Result<std::string> {
        ARROW_ASSIGN_OR_RAISE(SalesFilter filter, ParseSalesFilter(req.params));
        return KpiBody(wh, cache, filter);
      });
    });
    server.Get("/api/sales", [this](const httplib::Request& req, httplib::Response& res) {
      Answer("/api/sales", res, kJson, [&](warehouse::Warehouse& wh) -> Result<std::string> {
        ARROW_ASSIGN_OR_RAISE(SalesFilter filter, ParseSalesFilter(req.params, {"group"}));
        if (!req.has_param("group")) {
          return Status::Invalid(
              "group is required: day, month, hour, weekday, pizza, category, size or channel");
        }
        ARROW_ASSIGN_OR_RAISE(SalesGroup group, ParseSalesGroup(req.get_param_value("group")));
        return SalesBody(wh, cache, group, filter);
      });
    });
    server.Get("/api/pipeline", [this](const httplib::Request& req, httplib::Response& res) {
      Answer("/api/pipeline", res, kJson, [&](warehouse::Warehouse& wh) -> Result<std::string> {
        if (!req.params.empty()) return Status::Invalid("/api/pipeline takes no parameters");
        return PipelineBody(wh, cache, pipeline->Snapshot());
      });
    });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      Answer("/metrics", res, PrometheusText::kContentType, [&](warehouse::Warehouse& wh) {
        return MetricsBody(wh, cache, pipeline->Snapshot(), metrics);
      });
    });
    server.Get("/api/.*", [this](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content(ErrorBody("no such endpoint; see docs/api.md"), kJson);
      metrics.Observe("other", 404, 0);
    });
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      const GuardVerdict verdict = guard.Check(req.path, req.get_header_value("Host"),
                                               req.get_header_value("Authorization"));
      if (verdict.status == 0) return httplib::Server::HandlerResponse::Unhandled;
      res.status = verdict.status;
      if (verdict.status == 401) res.set_header("WWW-Authenticate", "Bearer");
      res.set_content(ErrorBody(verdict.message), kJson);
      metrics.Observe("rejected", verdict.status, 0);
      return httplib::Server::HandlerResponse::Handled;
    });
    server.set_exception_handler(
        [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
          std::string what = "unknown exception";
          try {
            std::rethrow_exception(ep);
          } catch (const std::exception& e) {
            what = e.what();
          } catch (...) {
          }
          spdlog::error("serve: {}: {}", req.path, what);
          res.status = 500;
          res.set_content(ErrorBody("internal error"), kJson);
          metrics.Observe("other", 500, 0);
        });
  }
};

DashboardServer::DashboardServer(DashboardOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

DashboardServer::~DashboardServer() { Stop(); }

Status DashboardServer::Start() {
  Impl& s = *impl_;
  if (s.started) return Status::Invalid("dashboard server already started");
  if (s.options.warehouse_target.empty()) return Status::Invalid("no warehouse to serve");
  {
    ARROW_ASSIGN_OR_RAISE(auto wh, s.warehouses.Acquire());
    ARROW_RETURN_NOT_OK(wh->Init());
  }
  s.pipeline = s.options.pipeline;
  if (s.pipeline == nullptr) {
    std::shared_ptr<lake::Lakehouse> lake;
    if (!s.options.lake_uri.empty()) {
      ARROW_ASSIGN_OR_RAISE(lake, lake::Lakehouse::Open(s.options.lake_uri));
    }
    s.pipeline = std::make_shared<PipelineStatus>("lake");
    s.probe = std::make_unique<LakePipelineProbe>(std::move(lake), &s.warehouses, s.pipeline);
  }

  s.server.set_default_headers(SecurityHeaders());
  // SO_REUSEADDR only: httplib's default SO_REUSEPORT would let a second server share the port.
  s.server.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  const int threads = std::max(s.options.threads, 1);
  s.server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.server.set_keep_alive_timeout(5);
  s.server.set_tcp_nodelay(true);  // else Nagle + delayed ACK add 40 ms to a kept-alive answer
  s.server.set_payload_max_length(64 * 1024);
  s.Routes();

  if (s.options.port == 0) {
    s.port = s.server.bind_to_any_port(s.options.bind_address);
  } else if (s.server.bind_to_port(s.options.bind_address, s.options.port)) {
    s.port = s.options.port;
  } else {
    s.port = -1;
  }
  if (s.port <= 0) {
    return Status::IOError("cannot listen on ", s.options.bind_address, ":", s.options.port,
                           " (address in use or not available)");
  }
  s.listener = std::thread([&s] {
    if (!s.server.listen_after_bind()) spdlog::error("serve: the listener stopped with an error");
    s.listener_done = true;
  });
  while (!s.server.is_running() && !s.listener_done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (s.probe) s.probe->Start(s.options.lake_poll_interval);
  s.started = true;
  return Status::OK();
}

void DashboardServer::Stop() {
  Impl& s = *impl_;
  if (!s.started) return;
  s.server.stop();
  if (s.listener.joinable()) s.listener.join();
  if (s.probe) s.probe->Stop();
  s.started = false;
}

int DashboardServer::port() const { return impl_->port; }

std::string DashboardServer::url() const {
  const std::string& host = impl_->options.bind_address;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

}  // namespace pizzastream::serve
