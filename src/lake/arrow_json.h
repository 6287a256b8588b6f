// Converting between one cell of an Arrow array and a JSON value, for the nested structs of a
// Delta checkpoint (a Parquet file whose columns are the actions: add, remove, metaData...).
// Structs become objects, maps objects of their keys, lists arrays; any string, binary or
// integer width and dictionary encoding is accepted on reading, so checkpoints written by Spark,
// delta-rs or pizzastream read alike. Stateless; thread-safe.
#pragma once

#include <arrow/array.h>
#include <arrow/array/builder_base.h>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace pizzastream::lake {

// The JSON value of row `i` of `array` (null for a null cell, and for types pizzastream never
// reads from a checkpoint, e.g. the dates and decimals of add.stats_parsed).
Result<nlohmann::json> CellToJson(const arrow::Array& array, int64_t i);

// Appends `value` to `builder` (struct, map<string,_>, list, string, int32/64, bool), a
// missing or null value as null.
Status AppendJson(arrow::ArrayBuilder* builder, const nlohmann::json& value);

}  // namespace pizzastream::lake
