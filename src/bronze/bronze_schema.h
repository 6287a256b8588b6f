// Bronze: every received record with its fields exactly as received, plus when it arrived and
// where it came from; and the quarantine of records that are not order lines at all.
#pragma once

#include <arrow/type.h>

#include <memory>
#include <string>

#include "lake/lakehouse.h"

namespace pizzastream::bronze {

// The 13 source columns (utf8, null when absent) + ingest_time timestamp[us, UTC] +
// source_topic utf8 + source_partition int32 + source_offset int64.
std::shared_ptr<arrow::Schema> OrderLinesSchema();
// raw_payload utf8, reason utf8, ingest_time, source_topic, source_partition, source_offset.
std::shared_ptr<arrow::Schema> QuarantineSchema();

// How to write order lines: the ids and offsets never repeat, and an order's time hardly does
// (no dictionary: merging 1.2M lines cost 10% less CPU); the raw text columns are not filtered
// by (silver is), so they carry no statistics.
const lake::ParquetHints& OrderLinesParquetHints();

// The txn appId under which a table records how far it read `partition` of `topic`.
std::string PositionAppId(const std::string& topic, int32_t partition);

}  // namespace pizzastream::bronze
