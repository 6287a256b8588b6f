#include "lake/streamed_file.h"

#include <string_view>

#include "lake/file_statistics.h"

namespace pizzastream::lake {

StreamedFile::StreamedFile(const Lakehouse& lake, std::string table,
                           std::shared_ptr<arrow::Schema> schema, ParquetHints hints)
    : lake_(lake), table_(std::move(table)), schema_(std::move(schema)), hints_(std::move(hints)) {}

Status StreamedFile::Write(const std::shared_ptr<arrow::RecordBatch>& batch) {
  if (batch->num_rows() == 0) return Status::OK();
  if (sink_ == nullptr) {
    ARROW_ASSIGN_OR_RAISE(sink_, lake_.OpenParquetSink(table_, schema_, hints_));
  }
  ARROW_RETURN_NOT_OK(sink_->Write(*batch));
  ARROW_ASSIGN_OR_RAISE(std::string stats,
                        FileStatisticsJson(*schema_, {batch}, hints_.no_statistics));
  stats_.push_back(std::move(stats));
  return Status::OK();
}

Result<std::optional<AddFile>> StreamedFile::Finish() {
  if (sink_ == nullptr) return std::nullopt;
  const std::vector<std::string_view> parts(stats_.begin(), stats_.end());
  ARROW_ASSIGN_OR_RAISE(AddFile add, sink_->Finish(MergeStatisticsJson(parts, sink_->rows())));
  sink_.reset();
  stats_.clear();
  return add;
}

}  // namespace pizzastream::lake
