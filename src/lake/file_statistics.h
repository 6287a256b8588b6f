// Delta per-file statistics (the `stats` JSON of an add action): numRecords, and for each column
// readers may filter on, minValues, maxValues and nullCount, so Spark, delta-rs or DuckDB skip
// files whose range cannot match. Min/max are written for integers, dates, decimals, strings
// of at most 32 characters (exact values, never truncated) and timestamps (ISO 8601, truncated
// down to milliseconds as the protocol says); other columns get nullCount only.
// Stateless; thread-safe.
#pragma once

#include <arrow/record_batch.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pizzastream::lake {

// The stats JSON of a file holding `batches` (all of `schema`); no min/max for the columns
// named in `no_min_max`.
Result<std::string> FileStatisticsJson(
    const arrow::Schema& schema, const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches,
    const std::vector<std::string>& no_min_max);

// The stats of one file made of parts whose stats JSONs are `stats` (the files compaction
// merges, or the batches a streaming step wrote), holding `rows` rows in all: nullCount adds
// up; a column keeps a min/max only when every part states one (or holds only nulls there).
// Values of one column compare as JSON: numbers numerically, strings (text, dates, ISO times)
// byte-wise, as the statistics were written. A part without readable stats leaves numRecords
// alone.
std::string MergeStatisticsJson(const std::vector<std::string_view>& stats, int64_t rows);

}  // namespace pizzastream::lake
