// Writes metrics in the Prometheus text exposition format (version 0.0.4): a HELP and TYPE
// line per family, then its samples with escaped label values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pizzastream::serve {

using MetricLabels = std::vector<std::pair<std::string_view, std::string_view>>;

class PrometheusText {
 public:
  // Starts a family; `type` is counter, gauge, histogram or summary.
  void Family(std::string_view name, std::string_view type, std::string_view help);
  // One sample line; `name` may carry a suffix such as _bucket, _sum, _count.
  void Sample(std::string_view name, const MetricLabels& labels, double value);
  const std::string& text() const { return out_; }

  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  std::string out_;
};

}  // namespace pizzastream::serve
