#include "lake/streamed_file.h"

namespace pizzastream::lake {

StreamedFile::StreamedFile(const Lakehouse& lake, std::string table,
                           std::shared_ptr<arrow::Schema> schema, ParquetHints hints)
    : lake_(lake), table_(std::move(table)), schema_(std::move(schema)), hints_(std::move(hints)) {}

Status StreamedFile::Write(const std::shared_ptr<arrow::RecordBatch>& batch) {
  if (batch->num_rows() == 0) return Status::OK();
  if (sink_ == nullptr) {
    ARROW_ASSIGN_OR_RAISE(sink_, lake_.OpenParquetSink(table_, schema_, hints_));
  }
  return sink_->Write(*batch);
}

Result<std::optional<AddFile>> StreamedFile::Finish() {
  if (sink_ == nullptr) return std::nullopt;
  ARROW_ASSIGN_OR_RAISE(AddFile add, sink_->Finish());
  sink_.reset();
  return add;
}

}  // namespace pizzastream::lake
