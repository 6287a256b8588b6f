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

// "bronze", "silver", "gold" or "load", on `lake`. The stages of one process share one
// Lakehouse, so a stage takes the batches the stage before it committed from memory
// (lake/written_batches.h) rather than decoding the files again.
Result<std::unique_ptr<Stage>> OpenStage(const std::string& name, const GlobalOptions& global,
                                         const std::shared_ptr<lake::Lakehouse>& lake);
Result<orchestration::ProducerTask> OpenProducer(const SourceOptions& source,
                                                 const GlobalOptions& global);

// One status line: per-stage rows/s and lag.
std::string StatusLine(const std::vector<StageStats>& stats);

// The key figures in one short line: "revenue 817860.05 | orders 21350 | ...".
std::string KpiLine(const warehouse::KpiFigures& k);

}  // namespace pizzastream::cli
