// Request counts and latency histograms per route and status code, for /metrics.
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "serve/prometheus_text.h"

namespace pizzastream::serve {

class HttpMetrics {
 public:
  // Records one request. `route` is a fixed route name ("/api/kpi"), never a raw client path.
  void Observe(const std::string& route, int status, double seconds);
  // Appends pizzastream_http_requests_total and pizzastream_http_request_duration_seconds.
  void Render(PrometheusText& out) const;

  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5};

 private:
  struct Histogram {
    std::array<int64_t, kBuckets.size()> buckets{};  // cumulative at render time
    int64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, int64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace pizzastream::serve
