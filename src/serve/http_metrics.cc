#include "serve/http_metrics.h"

#include <fmt/format.h>

#include <limits>

namespace pizzastream::serve {

void HttpMetrics::Observe(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
}

void HttpMetrics::Render(PrometheusText& out) const {
  std::lock_guard lock(mu_);
  out.Family("pizzastream_http_requests_total", "counter",
             "HTTP requests served, by route and status code.");
  for (const auto& [key, n] : requests_) {
    const std::string code = std::to_string(key.second);
    out.Sample("pizzastream_http_requests_total", {{"route", key.first}, {"code", code}},
               static_cast<double>(n));
  }
  out.Family("pizzastream_http_request_duration_seconds", "histogram",
             "Time to answer an HTTP request, by route.");
  for (const auto& [route, h] : latency_) {
    int64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      const std::string le = fmt::format("{}", kBuckets[i]);
      out.Sample("pizzastream_http_request_duration_seconds_bucket", {{"route", route}, {"le", le}},
                 static_cast<double>(cumulative));
    }
    out.Sample("pizzastream_http_request_duration_seconds_bucket",
               {{"route", route}, {"le", "+Inf"}}, static_cast<double>(h.count));
    out.Sample("pizzastream_http_request_duration_seconds_sum", {{"route", route}}, h.sum);
    out.Sample("pizzastream_http_request_duration_seconds_count", {{"route", route}},
               static_cast<double>(h.count));
  }
}

}  // namespace pizzastream::serve
