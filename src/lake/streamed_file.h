// One data file of a step, written a batch at a time: memory holds the Parquet writer's open row
// group, not the step's rows. The file's Delta stats come from its Parquet footer
// (lake/file_statistics.h). The file is opened at its first row; a step that wrote none has no
// file. Not thread-safe.
#pragma once

#include <arrow/record_batch.h>

#include <memory>
#include <optional>
#include <string>

#include "lake/lakehouse.h"

namespace pizzastream::lake {

class StreamedFile {
 public:
  StreamedFile(const Lakehouse& lake, std::string table, std::shared_ptr<arrow::Schema> schema,
               ParquetHints hints = {});

  Status Write(const std::shared_ptr<arrow::RecordBatch>& batch);
  int64_t rows() const { return sink_ == nullptr ? 0 : sink_->rows(); }
  // Closes the file (durable, lake/lakehouse.h); nullopt when no row was written.
  Result<std::optional<AddFile>> Finish();

 private:
  const Lakehouse& lake_;
  std::string table_;
  std::shared_ptr<arrow::Schema> schema_;
  ParquetHints hints_;
  std::unique_ptr<ParquetFileSink> sink_;
};

}  // namespace pizzastream::lake
