// The JSON (and Prometheus) bodies of the dashboard API, built from the warehouse (through
// the cache of the current data version) and the pipeline status; no HTTP here. docs/api.md
// describes every field.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "serve/http_metrics.h"
#include "serve/pipeline_status.h"
#include "serve/sales_cache.h"
#include "serve/sales_filter.h"
#include "warehouse/warehouse.h"

namespace pizzastream::serve {

// /api/kpi: the `kpi --json` figures (same rounding and formatting) for the lines matching
// `filter`, plus fact_rows, filter and data_version.
Result<std::string> KpiBody(warehouse::Warehouse& wh, SalesCache& cache, const SalesFilter& filter);
// /api/sales: one row per `group` value (key, revenue, orders, pizzas, lines). For group day,
// at most `max_day_rows` rows: per ISO week when there would be more days, per month when
// there would be more weeks; `granularity` says which.
Result<std::string> SalesBody(warehouse::Warehouse& wh, SalesCache& cache, SalesGroup group,
                              const SalesFilter& filter, size_t max_day_rows);
// /api/pipeline: per-stage figures, the warehouse's load positions and data_version.
Result<std::string> PipelineBody(warehouse::Warehouse& wh, SalesCache& cache,
                                 const PipelineStatus::View& pipeline);
// /metrics: request metrics, sales totals and pipeline figures in Prometheus text format.
Result<std::string> MetricsBody(warehouse::Warehouse& wh, SalesCache& cache,
                                const PipelineStatus::View& pipeline, const HttpMetrics& http);
// {"error": message}
std::string ErrorBody(std::string_view message);

}  // namespace pizzastream::serve
