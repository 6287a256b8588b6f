// CsvLineScreen: an Arrow input stream between a CSV file and Arrow's CSV reader that takes
// out, before the reader sees them, the records that would stop it: a line that is not UTF-8
// (the reader fails the whole block) or longer than `max_line_bytes` (the reader fails on a
// row straddling its blocks). Each one becomes a MalformedRecord, numbered like the rows the
// reader returns, and the rest of the file flows on.
//
// Records are split like Arrow's parser does (comma, double quote, newlines inside quoted
// values, \n, \r\n or \r ends a record; empty lines are skipped). The first record (the
// header) is never taken out. A taken-out line keeps its bytes losslessly in base64 (at most
// its first max_line_bytes when it is longer; the reason says so), so no invalid UTF-8 ever
// travels on as text.
//
// Thread-safety: Arrow may read the stream on its I/O thread while the source asks for the
// taken-out records on another; TakeCut() and SequenceOfPassed() may be called concurrently
// with Read().
#pragma once

#include <arrow/io/interfaces.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sources/order_source.h"

namespace pizzastream::sources {

class CsvLineScreen final : public arrow::io::InputStream {
 public:
  CsvLineScreen(std::shared_ptr<arrow::io::InputStream> file, int64_t max_line_bytes);

  Status Close() override;
  bool closed() const override;
  Result<int64_t> Tell() const override;
  Result<int64_t> Read(int64_t nbytes, void* out) override;
  Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override;

  // The records taken out since the last call, in file order, with their data-row sequence
  // (counting from 0, over passed and taken-out records alike).
  std::vector<MalformedRecord> TakeCut();
  // The data-row sequence of the data record the reader numbers `passed` (from 0): its index
  // among the records let through, plus the records taken out before it.
  int64_t SequenceOfPassed(int64_t passed) const;

 private:
  enum class Lexer { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
  Status Fill();
  void Scan(const char* data, size_t size);
  void Append(const char* data, size_t size);
  // Ends the record gathered in record_, or (when nothing was gathered) the record `whole`.
  void EndRecord();
  void EndRecord(std::string_view whole);
  void EndRecordOf(std::string_view record);  // its first max_line_bytes_ + 1 bytes at most
  void Cut(std::string_view record, std::string reason);

  std::shared_ptr<arrow::io::InputStream> file_;
  const int64_t max_line_bytes_;
  bool eof_ = false, closed_ = false;
  int64_t position_ = 0;  // bytes handed to the reader
  Status error_;
  std::string chunk_;  // the last chunk read from the file
  std::string ready_;  // screened bytes not yet read
  size_t ready_from_ = 0;
  // The record being split.
  std::string record_;  // its first max_line_bytes_ + 1 bytes at most
  int64_t record_bytes_ = 0;
  bool chunk_ascii_ = true;   // the chunk being scanned is all ASCII (so valid UTF-8)
  bool record_ascii_ = true;  // every byte of the record came from such chunks
  Lexer lexer_ = Lexer::kFieldStart;
  bool skip_lf_ = false;  // the previous record ended with \r: a \n right after belongs to it
  int64_t records_ = 0;   // records ended so far, the header included
  int64_t passed_ = 0;    // data records let through (only the scanning thread uses it)
  // Shared with the reader's thread.
  mutable std::mutex mu_;
  std::vector<int64_t> cut_after_;  // per taken-out record: data records passed before it
  std::vector<MalformedRecord> cut_;
};

}  // namespace pizzastream::sources
