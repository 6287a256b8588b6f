// Replays a point-of-sale CSV export (the 12- or 13-column layout of
// docs/data-model.md) with Arrow's streaming CSV reader: quoted fields with commas,
// UTF-8, every field kept as text. A bad line never stops the replay: one with the wrong number
// of fields becomes a MalformedRecord that bronze quarantines with its raw text; one that is
// not UTF-8 or longer than max_line_bytes is taken out before the reader (CsvLineScreen) and
// quarantined the same way, its bytes in base64.
// Sequence of a record = its data row number in the file, counting from 0.
#pragma once

#include <memory>
#include <string>

#include "sources/order_source.h"

namespace pizzastream::sources {

struct CsvSourceOptions {
  std::string path;
  int64_t block_size = 1 << 20;        // bytes parsed per batch (at least 2 x max_line_bytes)
  int64_t max_line_bytes = 512 << 10;  // a longer line is malformed (line_too_long)
};

Result<std::unique_ptr<OrderSource>> OpenCsvSource(const CsvSourceOptions& options);

}  // namespace pizzastream::sources
