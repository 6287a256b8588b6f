// Replays a point-of-sale CSV export (the 12- or 13-column layout of
// ../shared/design/pipeline.md) with Arrow's streaming CSV reader: quoted fields with commas,
// UTF-8, every field kept as text. A line with the wrong number of fields does not stop the
// replay: it becomes a MalformedRecord that bronze quarantines with its raw text.
// Sequence of a record = its data row number in the file, counting from 0.
#pragma once

#include <memory>
#include <string>

#include "sources/order_source.h"

namespace pizzastream::sources {

struct CsvSourceOptions {
  std::string path;
  int64_t block_size = 1 << 20;  // bytes parsed per batch
};

Result<std::unique_ptr<OrderSource>> OpenCsvSource(const CsvSourceOptions& options);

}  // namespace pizzastream::sources
