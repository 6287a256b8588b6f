#include "sources/csv_source.h"

#include <arrow/api.h>
#include <arrow/array/util.h>
#include <arrow/csv/api.h>
#include <arrow/io/api.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "sources/csv_line_screen.h"

namespace pizzastream::sources {

namespace {

// Malformed records reported by the reader's invalid-row handler (possibly on another thread).
struct InvalidRows {
  std::mutex mu;
  std::vector<MalformedRecord> rows;
};

class CsvSource final : public OrderSource {
 public:
  CsvSource(std::string id, std::shared_ptr<arrow::csv::StreamingReader> reader,
            std::shared_ptr<CsvLineScreen> screen, std::shared_ptr<InvalidRows> invalid,
            int64_t file_size)
      : id_(std::move(id)),
        reader_(std::move(reader)),
        screen_(std::move(screen)),
        invalid_(std::move(invalid)),
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
      CollectMalformed();
      if (batch == nullptr && pending_.empty()) return false;
      ARROW_RETURN_NOT_OK(Assemble(batch, out));
      if (out->records->num_rows() > 0 || !out->malformed.empty()) return true;
      if (batch == nullptr) return false;
    }
  }

 private:
  // Moves what the screen took out and the rows the reader found invalid into pending_, in
  // sequence order.
  void CollectMalformed() {
    for (auto& bad : screen_->TakeCut()) pending_.push_back(std::move(bad));
    {
      std::lock_guard lock(invalid_->mu);
      for (auto& bad : invalid_->rows) pending_.push_back(std::move(bad));
      invalid_->rows.clear();
    }
    std::sort(pending_.begin(), pending_.end(),
              [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
  }

  // Numbers the valid rows around the malformed ones known so far, then drops whatever lies
  // before skip_to_. Malformed records after the batch's last row stay pending (the screen
  // reads ahead of the reader), except at the end of the file (batch == nullptr).
  Status Assemble(const std::shared_ptr<arrow::RecordBatch>& batch, SourceBatch* out) {
    out->sequences.clear();
    out->malformed.clear();
    const int64_t rows = batch ? batch->num_rows() : 0;
    size_t next_bad = 0;
    int64_t kept = 0;
    for (int64_t i = 0; i < rows; ++i) {  // i: row of the block
      while (next_bad < pending_.size() && pending_[next_bad].sequence <= next_row_) {
        next_row_ = std::max(next_row_, pending_[next_bad].sequence + 1);
        ++next_bad;
      }
      if (next_row_ >= skip_to_) {
        ++kept;
        out->sequences.push_back(next_row_);
      }
      ++next_row_;
    }
    // Malformed records right after the last row belong here too; at the end, all of them.
    while (next_bad < pending_.size() &&
           (batch == nullptr || pending_[next_bad].sequence <= next_row_)) {
      next_row_ = std::max(next_row_, pending_[next_bad].sequence + 1);
      ++next_bad;
    }
    for (size_t b = 0; b < next_bad; ++b) {
      if (pending_[b].sequence >= skip_to_) out->malformed.push_back(std::move(pending_[b]));
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(next_bad));

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
  std::shared_ptr<CsvLineScreen> screen_;
  std::shared_ptr<InvalidRows> invalid_;
  std::vector<MalformedRecord> pending_;  // sorted by sequence
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
  auto screen = std::make_shared<CsvLineScreen>(file, options.max_line_bytes);
  ARROW_ASSIGN_OR_RAISE(const int64_t file_size, file->GetSize());

  auto read = arrow::csv::ReadOptions::Defaults();
  read.use_threads = false;  // row numbers of malformed lines are only known single-threaded
  // Every record the screen lets through fits a block, so none straddles two.
  read.block_size = static_cast<int32_t>(std::clamp<int64_t>(
      std::max(options.block_size, 2 * options.max_line_bytes + 2), 1, INT32_MAX));
  auto parse = arrow::csv::ParseOptions::Defaults();
  parse.newlines_in_values = true;
  auto invalid = std::make_shared<InvalidRows>();
  parse.invalid_row_handler = [invalid, screen](const arrow::csv::InvalidRow& row) {
    // row.number is 1-based and counts the header line; the screen knows what it took out.
    std::lock_guard lock(invalid->mu);
    invalid->rows.push_back({screen->SequenceOfPassed(row.number - 2), std::string(row.text),
                             fmt::format("csv_field_count: expected {} fields, got {}",
                                         row.expected_columns, row.actual_columns)});
    return arrow::csv::InvalidRowResult::Skip;
  };
  auto convert = arrow::csv::ConvertOptions::Defaults();
  convert.strings_can_be_null = false;
  convert.quoted_strings_can_be_null = false;
  convert.check_utf8 = false;  // the screen lets only UTF-8 lines through
  for (const char* name : kSourceColumns) convert.column_types[name] = arrow::utf8();

  auto maybe_reader = arrow::csv::StreamingReader::Make(arrow::io::default_io_context(), screen,
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
  return std::unique_ptr<OrderSource>(new CsvSource(
      "csv:" + abs.string(), std::move(reader), std::move(screen), std::move(invalid), file_size));
}

}  // namespace pizzastream::sources
