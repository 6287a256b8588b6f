#include "sources/csv_source.h"

#include <arrow/api.h>
#include <arrow/array/util.h>
#include <arrow/csv/api.h>
#include <arrow/io/api.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace pizzastream::sources {

namespace {

class CsvSource final : public OrderSource {
 public:
  CsvSource(std::string id, std::shared_ptr<arrow::csv::StreamingReader> reader,
            std::shared_ptr<std::vector<MalformedRecord>> pending, int64_t file_size)
      : id_(std::move(id)),
        reader_(std::move(reader)),
        pending_(std::move(pending)),
        file_size_(file_size) {
    const auto& schema = reader_->schema();
    for (size_t i = 0; i < kSourceColumns.size(); ++i) {
      column_index_[i] = schema->GetFieldIndex(kSourceColumns[i]);
    }
  }

  std::string id() const override { return id_; }

  double Fraction() const override {
    if (file_size_ <= 0) return -1;
    return std::min(1.0,
                    static_cast<double>(reader_->bytes_read()) / static_cast<double>(file_size_));
  }

  Status SkipTo(int64_t sequence) override {
    skip_to_ = std::max(skip_to_, sequence);
    return Status::OK();
  }

  Result<bool> Next(SourceBatch* out) override {
    while (true) {
      std::shared_ptr<arrow::RecordBatch> batch;
      ARROW_RETURN_NOT_OK(reader_->ReadNext(&batch));
      if (batch == nullptr && pending_->empty()) return false;
      ARROW_RETURN_NOT_OK(Assemble(batch, out));
      if (out->records->num_rows() > 0 || !out->malformed.empty()) return true;
      if (batch == nullptr) return false;
    }
  }

 private:
  // Numbers the valid rows around the malformed ones the parser reported for this block, then
  // drops whatever lies before skip_to_.
  Status Assemble(const std::shared_ptr<arrow::RecordBatch>& batch, SourceBatch* out) {
    out->sequences.clear();
    out->malformed.clear();
    std::sort(pending_->begin(), pending_->end(),
              [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
    const int64_t rows = batch ? batch->num_rows() : 0;
    size_t next_bad = 0;
    int64_t kept = 0;
    for (int64_t i = 0; i < rows; ++i) {  // i: row of the block
      while (next_bad < pending_->size() && (*pending_)[next_bad].sequence == next_row_) {
        ++next_row_;
        ++next_bad;
      }
      if (next_row_ >= skip_to_) {
        ++kept;
        out->sequences.push_back(next_row_);
      }
      ++next_row_;
    }
    for (auto& bad : *pending_) {
      next_row_ = std::max(next_row_, bad.sequence + 1);
      if (bad.sequence >= skip_to_) out->malformed.push_back(std::move(bad));
    }
    pending_->clear();

    // Re-shape to the 13 source columns (order_channel may be absent) and keep the chosen rows.
    arrow::ArrayVector columns;
    for (size_t c = 0; c < kSourceColumns.size(); ++c) {
      if (batch && column_index_[c] >= 0) {
        columns.push_back(batch->column(column_index_[c]));
      } else {
        ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(arrow::utf8(), rows));
        columns.push_back(nulls);
      }
    }
    auto full = arrow::RecordBatch::Make(SourceSchema(), rows, columns);
    // Kept rows are a suffix of the batch: sequences increase and only a prefix is skipped.
    out->records = full->Slice(rows - kept);
    out->first_sequence = out->sequences.empty() ? next_row_ : out->sequences.front();
    return Status::OK();
  }

  std::string id_;
  std::shared_ptr<arrow::csv::StreamingReader> reader_;
  std::shared_ptr<std::vector<MalformedRecord>> pending_;
  std::array<int, kSourceColumns.size()> column_index_{};
  int64_t file_size_;
  int64_t next_row_ = 0;
  int64_t skip_to_ = 0;
};

}  // namespace

Result<std::unique_ptr<OrderSource>> OpenCsvSource(const CsvSourceOptions& options) {
  std::error_code ec;
  const auto abs = std::filesystem::absolute(options.path, ec);
  ARROW_ASSIGN_OR_RAISE(auto file, arrow::io::ReadableFile::Open(options.path));
  ARROW_ASSIGN_OR_RAISE(const int64_t file_size, file->GetSize());

  auto read = arrow::csv::ReadOptions::Defaults();
  read.use_threads = false;  // row numbers of malformed lines are only known single-threaded
  read.block_size = static_cast<int32_t>(options.block_size);
  auto parse = arrow::csv::ParseOptions::Defaults();
  parse.newlines_in_values = true;
  auto pending = std::make_shared<std::vector<MalformedRecord>>();
  parse.invalid_row_handler = [pending](const arrow::csv::InvalidRow& row) {
    // row.number is 1-based and counts the header line.
    pending->push_back({row.number - 2, std::string(row.text),
                        fmt::format("csv_field_count: expected {} fields, got {}",
                                    row.expected_columns, row.actual_columns)});
    return arrow::csv::InvalidRowResult::Skip;
  };
  auto convert = arrow::csv::ConvertOptions::Defaults();
  convert.strings_can_be_null = false;
  convert.quoted_strings_can_be_null = false;
  for (const char* name : kSourceColumns) convert.column_types[name] = arrow::utf8();

  auto maybe_reader = arrow::csv::StreamingReader::Make(arrow::io::default_io_context(), file,
                                                        read, parse, convert);
  if (!maybe_reader.ok()) {
    return Status::Invalid("cannot read CSV ", options.path, ": ", maybe_reader.status().message());
  }
  auto reader = *maybe_reader;
  for (int i = 0; i < kRequiredColumns; ++i) {
    if (reader->schema()->GetFieldIndex(kSourceColumns[i]) < 0) {
      return Status::Invalid(options.path, ": missing column '", kSourceColumns[i], "'");
    }
  }
  // Non-source columns are read as whatever Arrow infers and then ignored.
  return std::unique_ptr<OrderSource>(
      new CsvSource("csv:" + abs.string(), std::move(reader), std::move(pending), file_size));
}

}  // namespace pizzastream::sources
