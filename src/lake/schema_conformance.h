// Checking a lake file's columns against the schema a stage expects, before any column is used.
// Columns are found by name, never by position. A column whose Arrow type differs but means the
// same is converted to the expected type: string / large_string / string_view, the binary
// variants, dictionary-encoded columns, integers of another width or sign and decimals of
// another precision with the same scale (each only when every value fits), timestamps of
// another unit. A column `expected` types as a dictionary of utf8 (a reader that wants one,
// lake/text_column.h) keeps a plain utf8 column as it is and takes any other column equivalent
// to its value type converted to the dictionary. A missing nullable column reads
// as nulls. Anything else (another type, a missing required column, nulls in a required column,
// values that do not fit) is an Invalid status naming the table, the file and the column.
// Stateless; thread-safe.
#pragma once

#include <arrow/table.h>
#include <arrow/type_fwd.h>

#include <functional>
#include <memory>
#include <string_view>

#include "core/status.h"

namespace pizzastream::lake {

// Turns a data file of an older layout of a table (e.g. a column whose type changed) into the
// current one, before it is conformed. Gets the file's columns as read; returns them unchanged
// when the file already has the current layout.
using FileUpgrade = std::function<Result<std::shared_ptr<arrow::Table>>(
    const std::shared_ptr<arrow::Table>& file_columns)>;

// True when a column of type `actual` can be read as `expected` (values permitting).
bool EquivalentTypes(const arrow::DataType& actual, const arrow::DataType& expected);

// `table` with exactly the columns of `expected`, in its order and with its types (but for
// plain utf8 where `expected` asks for a dictionary of utf8, kept as it is). `where`
// names the table and file in errors (e.g. "silver/silver_cleaned file part-1.parquet").
Result<std::shared_ptr<arrow::Table>> ConformTable(const std::shared_ptr<arrow::Table>& table,
                                                   const std::shared_ptr<arrow::Schema>& expected,
                                                   std::string_view where);

}  // namespace pizzastream::lake
