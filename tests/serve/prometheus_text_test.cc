#include "serve/prometheus_text.h"

#include <gtest/gtest.h>

#include "serve/http_metrics.h"

namespace pizzastream::serve {
namespace {

TEST(PrometheusTextTest, WritesFamiliesAndEscapesLabelValues) {
  PrometheusText out;
  out.Family("x_total", "counter", "Things.\nMore");
  out.Sample("x_total", {{"path", "a\"b\\c\nd"}}, 3);
  out.Sample("x_total", {}, 0.25);
  EXPECT_EQ(out.text(),
            "# HELP x_total Things.\\nMore\n# TYPE x_total counter\n"
            "x_total{path=\"a\\\"b\\\\c\\nd\"} 3\nx_total 0.25\n");
}

TEST(HttpMetricsTest, HistogramBucketsAreCumulative) {
  HttpMetrics m;
  m.Observe("/api/kpi", 200, 0.002);
  m.Observe("/api/kpi", 200, 0.2);
  m.Observe("/api/kpi", 400, 9);
  PrometheusText out;
  m.Render(out);
  const std::string& t = out.text();
  EXPECT_NE(t.find("pizzastream_http_requests_total{route=\"/api/kpi\",code=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(t.find("pizzastream_http_requests_total{route=\"/api/kpi\",code=\"400\"} 1\n"),
            std::string::npos);
  EXPECT_NE(t.find("_bucket{route=\"/api/kpi\",le=\"0.0025\"} 1\n"), std::string::npos);
  EXPECT_NE(t.find("_bucket{route=\"/api/kpi\",le=\"0.25\"} 2\n"), std::string::npos);
  EXPECT_NE(t.find("_bucket{route=\"/api/kpi\",le=\"2.5\"} 2\n"), std::string::npos);
  EXPECT_NE(t.find("_bucket{route=\"/api/kpi\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(t.find("_count{route=\"/api/kpi\"} 3\n"), std::string::npos);
}

}  // namespace
}  // namespace pizzastream::serve
