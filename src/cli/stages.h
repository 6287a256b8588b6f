// Builds the pipeline's stages from the command-line options.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/source_options.h"
#include "cli/stop_signals.h"
#include "orchestration/pipeline.h"
#include "warehouse/kpi.h"

namespace pizzastream::cli {

// "bronze", "silver", "gold" or "load".
Result<std::unique_ptr<Stage>> OpenStage(const std::string& name, const GlobalOptions& global);
Result<orchestration::ProducerTask> OpenProducer(const SourceOptions& source,
                                                 const GlobalOptions& global);

// One status line: per-stage rows/s and lag.
std::string StatusLine(const std::vector<StageStats>& stats);

// The key figures in one short line: "revenue 817860.05 | orders 21350 | ...".
std::string KpiLine(const warehouse::KpiFigures& k);

}  // namespace pizzastream::cli
