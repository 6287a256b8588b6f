#include "serve/dashboard_server.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>
#include <thread>
#include <unordered_map>

#include "serve/api_responses.h"
#include "serve/http_metrics.h"
#include "serve/lake_pipeline_probe.h"
#include "serve/query_string.h"
#include "serve/request_guard.h"
#include "serve/sales_filter.h"
#include "serve/warehouse_pool.h"
#include "serve/web_assets.h"

namespace pizzastream::serve {
namespace {

constexpr const char* kJson = "application/json";

std::vector<std::pair<std::string, std::string>> SecurityHeaders() {
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

void JsonError(HttpResponse& res, int status, std::string_view message) {
  res.status = status;
  res.content_type = kJson;
  res.body = ErrorBody(message);
}

}  // namespace

struct DashboardServer::Impl {
  explicit Impl(DashboardOptions o)
      : options(std::move(o)),
        warehouses(options.warehouse_target, static_cast<size_t>(std::max(options.threads, 1)) + 1),
        guard(options.bind_address, options.auth_token),
        cache(options.cached_results) {
    for (const WebAsset& asset : WebAssets()) assets.emplace(asset.path, &asset);
  }

  using Body = std::function<Result<std::string>(warehouse::Warehouse&)>;

  DashboardOptions options;
  WarehousePool warehouses;
  RequestGuard guard;
  HttpMetrics metrics;
  SalesCache cache;
  std::unordered_map<std::string_view, const WebAsset*> assets;
  std::shared_ptr<PipelineStatus> pipeline;
  std::unique_ptr<LakePipelineProbe> probe;
  std::unique_ptr<HttpServer> http;
  // Reads the facts into the view right after the start, so the first call does not wait for
  // all of it (calls meanwhile wait only for the rest; /healthz does not wait).
  std::thread warm_up;
  bool started = false;

  ~Impl() {
    if (warm_up.joinable()) warm_up.join();
  }

  // Runs `body` with a borrowed warehouse connection and answers with its result: 200 with
  // the body, 400 for an invalid request, 500 otherwise (details go to the log only).
  void Answer(const std::string& route, HttpResponse& res, const char* content_type,
              const Body& body) {
    const auto start = std::chrono::steady_clock::now();
    Result<std::string> result = [&]() -> Result<std::string> {
      ARROW_ASSIGN_OR_RAISE(auto wh, warehouses.Acquire());
      auto r = body(*wh);
      if (!r.ok() && !r.status().IsInvalid()) wh.Discard();
      return r;
    }();
    if (result.ok()) {
      res.status = 200;
      res.content_type = content_type;
      res.body = std::move(*result);
    } else if (result.status().IsInvalid()) {
      JsonError(res, 400, result.status().message());
    } else if (result.status().IsCancelled()) {
      JsonError(res, 503, "the dashboard is stopping");
    } else {
      spdlog::error("serve: {}: {}", route, result.status().ToString());
      JsonError(res, 500, "the warehouse could not answer; see the server log");
    }
    res.headers.emplace_back("Cache-Control", "no-store");
    metrics.Observe(
        route, res.status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }

  void Handle(const HttpRequest& req, HttpResponse& res) {
    const GuardVerdict verdict = guard.Check(req.path, req.host, req.authorization);
    if (verdict.status != 0) {
      JsonError(res, verdict.status, verdict.message);
      if (verdict.status == 401) res.headers.emplace_back("WWW-Authenticate", "Bearer");
      metrics.Observe("rejected", verdict.status, 0);
      return;
    }
    if (auto it = assets.find(req.path); it != assets.end()) {
      res.content_type = it->second->content_type;
      res.body = it->second->body;
      res.headers.emplace_back("Cache-Control", "no-cache");
      metrics.Observe("static", 200, 0);
      return;
    }
    const std::string& path = req.path;
    if (path == "/healthz") {
      return Answer(path, res, kJson, [](warehouse::Warehouse& wh) -> Result<std::string> {
        ARROW_RETURN_NOT_OK(wh.Query("SELECT 1", {}).status());
        return std::string(R"({"status":"ok"})");
      });
    }
    if (path == "/api/kpi") {
      return Answer(path, res, kJson, [&](warehouse::Warehouse& wh) -> Result<std::string> {
        ARROW_ASSIGN_OR_RAISE(QueryParams params, ParseQuery(req.query));
        ARROW_ASSIGN_OR_RAISE(SalesFilter filter, ParseSalesFilter(params));
        return KpiBody(wh, cache, filter);
      });
    }
    if (path == "/api/sales") {
      return Answer(path, res, kJson, [&](warehouse::Warehouse& wh) -> Result<std::string> {
        ARROW_ASSIGN_OR_RAISE(QueryParams params, ParseQuery(req.query));
        ARROW_ASSIGN_OR_RAISE(SalesFilter filter, ParseSalesFilter(params, {"group"}));
        const auto group = params.find("group");
        if (group == params.end()) {
          return Status::Invalid(
              "group is required: day, week, month, hour, weekday, pizza, category, size or "
              "channel");
        }
        ARROW_ASSIGN_OR_RAISE(SalesGroup g, ParseSalesGroup(group->second));
        return SalesBody(wh, cache, g, filter, options.max_day_rows);
      });
    }
    if (path == "/api/pipeline") {
      return Answer(path, res, kJson, [&](warehouse::Warehouse& wh) -> Result<std::string> {
        ARROW_ASSIGN_OR_RAISE(QueryParams params, ParseQuery(req.query));
        if (!params.empty()) return Status::Invalid("/api/pipeline takes no parameters");
        return PipelineBody(wh, cache, pipeline->Snapshot());
      });
    }
    if (path == "/metrics") {
      return Answer(path, res, PrometheusText::kContentType, [&](warehouse::Warehouse& wh) {
        return MetricsBody(wh, cache, pipeline->Snapshot(), metrics);
      });
    }
    JsonError(res, 404,
              path.starts_with("/api/") ? "no such endpoint; see docs/api.md" : "not found");
    metrics.Observe("other", 404, 0);
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

  HttpServerOptions http;
  http.bind_address = s.options.bind_address;
  http.port = s.options.port;
  http.threads = s.options.threads;
  http.limits = s.options.limits;
  http.default_headers = SecurityHeaders();
  http.error_body = [](std::string_view message) { return ErrorBody(message); };
  http.error_content_type = kJson;
  http.handler = [&s](const HttpRequest& req, HttpResponse& res) { s.Handle(req, res); };
  http.on_refused = [&s](int status) { s.metrics.Observe("rejected", status, 0); };
  s.http = std::make_unique<HttpServer>(std::move(http));
  s.cache.Cancel(false);
  ARROW_RETURN_NOT_OK(s.http->Start());
  if (s.probe) s.probe->Start(s.options.lake_poll_interval);
  s.warm_up = std::thread([&s] {
    auto wh = s.warehouses.Acquire();
    const Status st = wh.ok() ? s.cache.Version(**wh).status() : wh.status();
    if (!st.ok() && !st.IsCancelled())
      spdlog::warn("serve: reading the facts into the view: {}", st.ToString());
  });
  s.started = true;
  return Status::OK();
}

void DashboardServer::Stop() {
  Impl& s = *impl_;
  if (!s.started) return;
  s.cache.Cancel();  // the view's loader stops at its next page of rows
  s.http->Stop();
  if (s.probe) s.probe->Stop();
  if (s.warm_up.joinable()) s.warm_up.join();
  s.started = false;
}

int DashboardServer::port() const { return impl_->http ? impl_->http->port() : 0; }

std::string DashboardServer::url() const {
  const std::string& host = impl_->options.bind_address;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port());
}

}  // namespace pizzastream::serve
