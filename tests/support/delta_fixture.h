// Test support for Delta tables: a small schema, batches of it, commits of them, and raw access
// to the files of `_delta_log` (to delete, corrupt or hand-write commits as other tools would).
#pragma once

#include <arrow/api.h>

#include <string>

#include "lake/lakehouse.h"

namespace pizzastream::testing {

// id int64 not null, price decimal(8,2), day date32, name string.
std::shared_ptr<arrow::Schema> DeltaTestSchema();
// Rows with ids [from, from + n).
std::shared_ptr<arrow::RecordBatch> DeltaTestRows(int64_t from, int64_t n);
// Writes rows [from, from + n) as one file and commits it (dataChange=true); returns the version.
int64_t AppendTestRows(const lake::Lakehouse& lake, lake::DeltaLog& log, const std::string& table,
                       int64_t from, int64_t n);
// Creates `table` and makes `commits` appends of 2 rows each (ids 2i, 2i+1), txn "app" = i.
std::unique_ptr<lake::DeltaLog> MakeAppendedTable(const lake::Lakehouse& lake,
                                                  const std::string& table, int commits);
// The ids of the rows in `files`, in file order.
std::vector<int64_t> TestIds(const lake::Lakehouse& lake, const std::string& table,
                             const std::vector<lake::AddFile>& files);

// `<root>/<table>/_delta_log/<20-digit version>.json`
std::string CommitPath(const std::string& root, const std::string& table, int64_t version);

}  // namespace pizzastream::testing
