#include "cli/stages.h"

#include <fmt/format.h>

#include <filesystem>

#include "bronze/bronze_stage.h"
#include "gold/gold_stage.h"
#include "silver/silver_stage.h"
#include "sources/input_fingerprint.h"
#include "warehouse/load_stage.h"

namespace pizzastream::cli {

Result<std::unique_ptr<Stage>> OpenStage(const std::string& name, const GlobalOptions& global,
                                         const std::shared_ptr<lake::Lakehouse>& lake) {
  if (name == "bronze") {
    bronze::BronzeOptions options;
    options.transport = global.transport;
    ARROW_ASSIGN_OR_RAISE(auto s, bronze::BronzeStage::Open(lake, options));
    return std::unique_ptr<Stage>(std::move(s));
  }
  if (name == "silver") {
    silver::SilverOptions options;
    options.date_order = global.date_order();
    ARROW_ASSIGN_OR_RAISE(auto s, silver::SilverStage::Open(lake, options));
    return std::unique_ptr<Stage>(std::move(s));
  }
  if (name == "gold") {
    ARROW_ASSIGN_OR_RAISE(auto s, gold::GoldStage::Open(lake, {}));
    return std::unique_ptr<Stage>(std::move(s));
  }
  if (name == "load") {
    ARROW_ASSIGN_OR_RAISE(auto wh, warehouse::OpenWarehouse(global.WarehouseTarget()));
    ARROW_ASSIGN_OR_RAISE(auto s, warehouse::LoadStage::Open(lake, std::move(wh), {}));
    return std::unique_ptr<Stage>(std::move(s));
  }
  return Status::Invalid("unknown stage '", name, "'");
}

Result<orchestration::ProducerTask> OpenProducer(const SourceOptions& source,
                                                 const GlobalOptions& global) {
  orchestration::ProducerTask task;
  ARROW_ASSIGN_OR_RAISE(task.source, source.Open());
  const std::string id = source.producer_id.empty() ? task.source->id() : source.producer_id;
  if (!source.input.empty()) {  // refuse a file that changed since this producer sent it
    ARROW_RETURN_NOT_OK(sources::AdmitInput(
        (std::filesystem::path(global.data_dir) / "sources").string(), id, source.input));
  }
  ARROW_ASSIGN_OR_RAISE(task.writer, transport::OpenTopicWriter(global.transport, id));
  task.options = source.producer;
  task.options.sent_records = global.transport.sent_records;
  return task;
}

std::string StatusLine(const std::vector<StageStats>& stats) {
  std::string line;
  for (const auto& s : stats) {
    if (!line.empty()) line += " | ";
    line += fmt::format("{} {} rows {:.0f}/s", s.name, s.rows_in, s.rows_per_second);
    if (s.lag >= 0) line += fmt::format(" lag {}", s.lag);
    if (s.rejected > 0) line += fmt::format(" rej {}", s.rejected);
    if (s.duplicates > 0) line += fmt::format(" dup {}", s.duplicates);
    if (s.errors > 0) line += fmt::format(" err {}", s.errors);
  }
  return line;
}

std::string KpiLine(const warehouse::KpiFigures& k) {
  const auto d = warehouse::RenderDecimals(k);
  return fmt::format("revenue {} orders {} pizzas {} AOV {} top {}", d.revenue, k.orders, k.pizzas,
                     d.avg_order_value, k.top_pizza.empty() ? "-" : k.top_pizza);
}

}  // namespace pizzastream::cli
