// Delta per-file statistics (the `stats` JSON of an add action): numRecords, and for each column
// readers may filter on, minValues, maxValues and nullCount, so Spark, delta-rs or DuckDB skip
// files whose range cannot match. Min/max are written for integers, dates, decimals, strings
// of at most 32 characters (exact values, never truncated) and timestamps (ISO 8601, truncated
// down to milliseconds as the protocol says); other columns get nullCount only.
//
// They are read from the Parquet footer: the writer computes each row group's min and max as it
// encodes the pages, so stating them costs no second pass over the rows.
// Stateless; thread-safe.
#pragma once

#include <arrow/type.h>
#include <parquet/metadata.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace pizzastream::lake {

// The stats JSON of a Parquet file written from columns of `schema` (flat), whose footer is
// `footer`: min/max from the row groups' column statistics (a column that lacks them in a row
// group holding values, because they were disabled or too long, gets none), nullCount from
// `null_counts`, one per field of `schema` as counted by the file's writer (Parquet writes no
// null count for a column whose statistics are disabled).
Result<std::string> FileStatisticsJson(const arrow::Schema& schema,
                                       const parquet::FileMetaData& footer,
                                       const std::vector<int64_t>& null_counts);

}  // namespace pizzastream::lake
