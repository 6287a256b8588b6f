#include "serve/prometheus_text.h"

#include <fmt/format.h>

#include <cmath>

namespace pizzastream::serve {

void PrometheusText::Family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += fmt::format("# HELP {} ", name);
  for (char c : help)
    out_ += c == '\n' ? std::string("\\n") : c == '\\' ? "\\\\" : std::string(1, c);
  out_ += fmt::format("\n# TYPE {} {}\n", name, type);
}

void PrometheusText::Sample(std::string_view name, const MetricLabels& labels, double value) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += labels[i].first;
      out_ += "=\"";
      for (char c : labels[i].second) {
        if (c == '\\') {
          out_ += "\\\\";
        } else if (c == '"') {
          out_ += "\\\"";
        } else if (c == '\n') {
          out_ += "\\n";
        } else {
          out_ += c;
        }
      }
      out_ += '"';
    }
    out_ += '}';
  }
  if (std::isinf(value)) {
    out_ += value > 0 ? " +Inf\n" : " -Inf\n";
  } else if (std::isnan(value)) {
    out_ += " NaN\n";
  } else {
    out_ += fmt::format(" {}\n", value);
  }
}

}  // namespace pizzastream::serve
