#include "sources/csv_line_screen.h"

#include <arrow/buffer.h>
#include <arrow/util/base64.h>
#include <arrow/util/utf8.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace pizzastream::sources {

namespace {
constexpr int64_t kChunkBytes = 1 << 20;

// Blocks of a fixed size without an early exit, so the compiler vectorises the inner loop.
bool AllAscii(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  unsigned char high = 0;
  size_t i = 0;
  for (; i + 256 <= text.size(); i += 256) {
    unsigned char block = 0;
    for (size_t j = 0; j < 256; ++j) block |= p[i + j];
    high |= block;
  }
  for (; i < text.size(); ++i) high |= p[i];
  return (high & 0x80) == 0;
}

}  // namespace

CsvLineScreen::CsvLineScreen(std::shared_ptr<arrow::io::InputStream> file, int64_t max_line_bytes)
    : file_(std::move(file)), max_line_bytes_(std::max<int64_t>(1, max_line_bytes)) {
  arrow::util::InitializeUTF8();
}

Status CsvLineScreen::Close() {
  closed_ = true;
  return file_->Close();
}

bool CsvLineScreen::closed() const { return closed_; }

Result<int64_t> CsvLineScreen::Tell() const { return position_; }

Result<int64_t> CsvLineScreen::Read(int64_t nbytes, void* out) {
  // Drop what was read once it is at least half the buffer: the buffer holds at most a chunk
  // or two, and the unread rest moves at most once per byte read.
  if (ready_from_ > 0 && ready_from_ >= ready_.size() - ready_from_) {
    ready_.erase(0, ready_from_);
    ready_from_ = 0;
  }
  while (static_cast<int64_t>(ready_.size() - ready_from_) < nbytes && !eof_) {
    ARROW_RETURN_NOT_OK(Fill());
  }
  const int64_t n = std::min<int64_t>(nbytes, static_cast<int64_t>(ready_.size() - ready_from_));
  if (n > 0) std::memcpy(out, ready_.data() + ready_from_, static_cast<size_t>(n));
  ready_from_ += static_cast<size_t>(n);
  position_ += n;
  return n;
}

Result<std::shared_ptr<arrow::Buffer>> CsvLineScreen::Read(int64_t nbytes) {
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateResizableBuffer(nbytes));
  ARROW_ASSIGN_OR_RAISE(int64_t n, Read(nbytes, buffer->mutable_data()));
  ARROW_RETURN_NOT_OK(buffer->Resize(n, /*shrink_to_fit=*/false));
  return std::shared_ptr<arrow::Buffer>(std::move(buffer));
}

std::vector<MalformedRecord> CsvLineScreen::TakeCut() {
  std::lock_guard lock(mu_);
  return std::exchange(cut_, {});
}

int64_t CsvLineScreen::SequenceOfPassed(int64_t passed) const {
  std::lock_guard lock(mu_);
  return passed +
         (std::upper_bound(cut_after_.begin(), cut_after_.end(), passed) - cut_after_.begin());
}

Status CsvLineScreen::Fill() {
  chunk_.resize(kChunkBytes);  // allocated once, reused for every chunk
  ARROW_ASSIGN_OR_RAISE(int64_t n, file_->Read(kChunkBytes, chunk_.data()));
  if (n == 0) {
    eof_ = true;
    if (record_bytes_ > 0 || lexer_ != Lexer::kFieldStart) EndRecord();
  } else {
    // One pass over the chunk instead of a UTF-8 check per line: a line of ASCII chunks is
    // valid UTF-8.
    chunk_ascii_ = AllAscii(std::string_view(chunk_.data(), static_cast<size_t>(n)));
    Scan(chunk_.data(), static_cast<size_t>(n));
  }
  return error_;
}

void CsvLineScreen::Scan(const char* data, size_t size) {
  size_t start = 0;  // first byte of the current record in `data`
  for (size_t i = 0; i < size; ++i) {
    char c = data[i];
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') {
        start = i + 1;
        continue;
      }
    }
    if (lexer_ == Lexer::kQuoted) {  // only a quote matters inside quotes: jump to the next
      const void* quote = std::memchr(data + i, '"', size - i);
      if (quote == nullptr) break;
      i = static_cast<size_t>(static_cast<const char*>(quote) - data);
      lexer_ = Lexer::kQuoteInQuoted;
      continue;
    }
    if (lexer_ == Lexer::kUnquoted) {  // plain bytes up to the next comma or line end
      while (i < size && data[i] != ',' && data[i] != '\n' && data[i] != '\r') ++i;
      if (i == size) break;
      c = data[i];
    }
    if (lexer_ == Lexer::kQuoteInQuoted && c == '"') {  // "" inside quotes
      lexer_ = Lexer::kQuoted;
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (record_bytes_ == 0) {  // the whole record is in this chunk: no copy into record_
        EndRecord(std::string_view(data + start, i - start));
      } else {
        Append(data + start, i - start);
        EndRecord();
      }
      skip_lf_ = c == '\r';
      start = i + 1;
    } else if (c == ',') {
      lexer_ = Lexer::kFieldStart;
    } else if (lexer_ == Lexer::kFieldStart) {
      lexer_ = c == '"' ? Lexer::kQuoted : Lexer::kUnquoted;
    } else if (lexer_ == Lexer::kQuoteInQuoted) {
      lexer_ = Lexer::kUnquoted;
    }
  }
  Append(data + start, size - start);
}

void CsvLineScreen::Append(const char* data, size_t size) {
  record_bytes_ += static_cast<int64_t>(size);
  if (size > 0) record_ascii_ = record_ascii_ && chunk_ascii_;
  const size_t room = static_cast<size_t>(max_line_bytes_ + 1) -
                      std::min(record_.size(), static_cast<size_t>(max_line_bytes_ + 1));
  record_.append(data, std::min(size, room));
}

void CsvLineScreen::EndRecord(std::string_view whole) {
  record_bytes_ = static_cast<int64_t>(whole.size());
  record_ascii_ = chunk_ascii_ || whole.empty();
  // What record_ would hold: the first max_line_bytes_ + 1 bytes.
  EndRecordOf(whole.substr(0, static_cast<size_t>(max_line_bytes_ + 1)));
}

void CsvLineScreen::EndRecord() { EndRecordOf(record_); }

void CsvLineScreen::EndRecordOf(std::string_view record) {
  const bool unterminated_quote = lexer_ == Lexer::kQuoted;
  lexer_ = Lexer::kFieldStart;
  if (record_bytes_ == 0) return;  // an empty line: Arrow's reader skips it too
  const bool header = records_++ == 0;
  if (header) {
    if (record_bytes_ > max_line_bytes_) {
      error_ = Status::Invalid("the CSV header line is longer than ", max_line_bytes_, " bytes");
    }
    ready_.append(record).push_back('\n');
  } else if (record_bytes_ > max_line_bytes_) {
    Cut(record,
        fmt::format("line_too_long: {} bytes, over the {}-byte limit; _malformed holds its first "
                    "{} bytes in base64",
                    record_bytes_, max_line_bytes_, max_line_bytes_));
  } else if (!record_ascii_ && !arrow::util::ValidateUTF8(record)) {
    Cut(record,
        fmt::format("invalid_utf8: the line is not UTF-8; _malformed holds its {} bytes in base64",
                    record_bytes_));
  } else if (unterminated_quote) {
    Cut(record, fmt::format("unterminated_quote: a quoted field runs to the end of the file; "
                            "_malformed holds its {} bytes in base64",
                            record_bytes_));
  } else {
    ready_.append(record).push_back('\n');
    ++passed_;
  }
  record_.clear();
  record_bytes_ = 0;
  record_ascii_ = true;
}

void CsvLineScreen::Cut(std::string_view record, std::string reason) {
  const std::string_view kept = record.substr(0, static_cast<size_t>(max_line_bytes_));
  std::lock_guard lock(mu_);
  MalformedRecord bad;
  bad.sequence = passed_ + static_cast<int64_t>(cut_after_.size());
  bad.raw = arrow::util::base64_encode(kept);
  bad.reason = std::move(reason);
  cut_after_.push_back(passed_);
  cut_.push_back(std::move(bad));
}

}  // namespace pizzastream::sources
