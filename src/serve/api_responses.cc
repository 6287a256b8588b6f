#include "serve/api_responses.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "serve/sales_queries.h"
#include "warehouse/kpi.h"

namespace pizzastream::serve {
namespace {

using nlohmann::json;

std::string Dump(const json& j) {
  // Replace rather than throw on invalid UTF-8 coming from the data.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

double Money(int64_t cents) { return static_cast<double>(cents) / 100.0; }

json FilterJson(const SalesFilter& f) {
  json j = json::object();
  if (f.from_date_id) j["from"] = FormatDateId(*f.from_date_id);
  if (f.to_date_id) j["to"] = FormatDateId(*f.to_date_id);
  if (f.category) j["category"] = *f.category;
  if (f.size) j["size"] = *f.size;
  if (f.channel) j["channel"] = *f.channel;
  return j;
}

json IsoTime(int64_t unix_ms) {
  if (unix_ms <= 0) return nullptr;
  const std::chrono::sys_time<std::chrono::milliseconds> t{std::chrono::milliseconds(unix_ms)};
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", t);
}

json FiguresJson(const SalesFigures& f) {
  return {{"revenue", Money(f.revenue_cents)},
          {"orders", f.orders},
          {"pizzas", f.quantity},
          {"lines", f.lines}};
}

}  // namespace

std::string ErrorBody(std::string_view message) { return Dump(json{{"error", message}}); }

Result<std::string> KpiBody(warehouse::Warehouse& wh, SalesCache& cache,
                            const SalesFilter& filter) {
  ARROW_ASSIGN_OR_RAISE(std::string version, cache.Version(wh));
  ARROW_ASSIGN_OR_RAISE(SalesTotals totals, cache.Totals(wh, version, filter));
  ARROW_ASSIGN_OR_RAISE(auto pizzas, cache.ByGroup(wh, version, SalesGroup::kPizza, filter));
  const warehouse::KpiFigures k = KpiFiguresOf(totals, pizzas);
  // The figures exactly as `kpi --json` renders them; its pipeline row counts are
  // /api/pipeline's business.
  return fmt::format("{{{},\"fact_rows\":{},\"filter\":{},\"data_version\":{}}}",
                     warehouse::KpiJsonMembers(k), k.fact_rows, Dump(FilterJson(filter)),
                     Dump(json(version)));
}

Result<std::string> SalesBody(warehouse::Warehouse& wh, SalesCache& cache, SalesGroup group,
                              const SalesFilter& filter, size_t max_day_rows) {
  ARROW_ASSIGN_OR_RAISE(std::string version, cache.Version(wh));
  ARROW_ASSIGN_OR_RAISE(auto rows, cache.ByGroup(wh, version, group, filter));
  SalesGroup granularity = group;
  for (SalesGroup coarser : {SalesGroup::kWeek, SalesGroup::kMonth}) {
    if (group != SalesGroup::kDay || rows.size() <= max_day_rows) break;
    granularity = coarser;
    ARROW_ASSIGN_OR_RAISE(rows, cache.ByGroup(wh, version, coarser, filter));
  }
  json out_rows = json::array();
  for (const auto& row : rows) {
    json r = FiguresJson(row.figures);
    r["key"] = row.key;
    out_rows.push_back(std::move(r));
  }
  json out{{"group", SalesGroupName(group)},
           {"filter", FilterJson(filter)},
           {"rows", std::move(out_rows)},
           {"data_version", version}};
  if (group == SalesGroup::kDay) out["granularity"] = SalesGroupName(granularity);
  return Dump(out);
}

Result<std::string> PipelineBody(warehouse::Warehouse& wh, SalesCache& cache,
                                 const PipelineStatus::View& pipeline) {
  ARROW_ASSIGN_OR_RAISE(std::string version, cache.Version(wh));
  ARROW_ASSIGN_OR_RAISE(SalesTotals totals, cache.Totals(wh, version, SalesFilter{}));
  ARROW_ASSIGN_OR_RAISE(auto positions, wh.Positions());
  json stages = json::array();
  for (const auto& s : pipeline.stages) {
    stages.push_back({{"stage", s.name},
                      {"rows_in", s.rows_in},
                      {"rows_out", s.rows_out},
                      {"rows_per_second", s.rows_per_second},
                      {"lag", s.lag < 0 ? json(nullptr) : json(s.lag)},
                      {"rejected", s.rejected},
                      {"duplicates", s.duplicates},
                      {"last_commit", IsoTime(s.last_commit_ms)},
                      {"errors", s.errors},
                      {"last_error", s.last_error},
                      {"finished", s.finished}});
  }
  return Dump(json{
      {"source", pipeline.source},
      {"updated", IsoTime(pipeline.published_ms)},
      {"stages", std::move(stages)},
      {"warehouse",
       {{"dialect", wh.dialect()}, {"fact_rows", totals.figures.lines}, {"positions", positions}}},
      {"data_version", version}});
}

Result<std::string> MetricsBody(warehouse::Warehouse& wh, SalesCache& cache,
                                const PipelineStatus::View& pipeline, const HttpMetrics& http) {
  ARROW_ASSIGN_OR_RAISE(std::string version, cache.Version(wh));
  ARROW_ASSIGN_OR_RAISE(SalesTotals totals, cache.Totals(wh, version, SalesFilter{}));
  PrometheusText out;
  http.Render(out);
  const auto gauge = [&](const char* name, const char* help, double value) {
    out.Family(name, "gauge", help);
    out.Sample(name, {}, value);
  };
  gauge("pizzastream_warehouse_fact_rows", "Rows in pizza_sales.fact_order_item.",
        static_cast<double>(totals.figures.lines));
  gauge("pizzastream_sales_revenue", "Total revenue in the warehouse (currency units).",
        Money(totals.figures.revenue_cents));
  gauge("pizzastream_sales_orders", "Distinct orders in the warehouse.",
        static_cast<double>(totals.figures.orders));
  gauge("pizzastream_sales_pizzas", "Pizzas sold (sum of quantity) in the warehouse.",
        static_cast<double>(totals.figures.quantity));

  struct StageMetric {
    const char* name;
    const char* help;
    double (*value)(const StageStats&);
  };
  static const StageMetric kStageMetrics[] = {
      {"pizzastream_stage_rows_in", "Records the stage has consumed.",
       [](const StageStats& s) { return static_cast<double>(s.rows_in); }},
      {"pizzastream_stage_rows_out", "Rows the stage has committed downstream.",
       [](const StageStats& s) { return static_cast<double>(s.rows_out); }},
      {"pizzastream_stage_rows_per_second", "Recent throughput of the stage.",
       [](const StageStats& s) { return s.rows_per_second; }},
      {"pizzastream_stage_lag_rows", "Records waiting for the stage (-1: unknown).",
       [](const StageStats& s) { return static_cast<double>(s.lag); }},
      {"pizzastream_stage_rejected_rows", "Records the stage quarantined.",
       [](const StageStats& s) { return static_cast<double>(s.rejected); }},
      {"pizzastream_stage_duplicate_rows", "Records the stage dropped as duplicates.",
       [](const StageStats& s) { return static_cast<double>(s.duplicates); }},
      {"pizzastream_stage_last_commit_timestamp_seconds", "Unix time of the stage's last commit.",
       [](const StageStats& s) { return s.last_commit_ms / 1000.0; }},
  };
  for (const auto& m : kStageMetrics) {
    out.Family(m.name, "gauge", m.help);
    for (const auto& s : pipeline.stages) out.Sample(m.name, {{"stage", s.name}}, m.value(s));
  }
  return out.text();
}

}  // namespace pizzastream::serve
