#include "lake/lakehouse.h"

#include <arrow/filesystem/api.h>
#include <arrow/io/api.h>
#include <arrow/util/uri.h>
#include <fmt/format.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include <atomic>
#include <chrono>
#include <random>

#include "lake/file_statistics.h"
#include "lake/parquet_columns.h"
#include "lake/schema_conformance.h"

namespace pizzastream::lake {

namespace {

std::string NewDataFileName() {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t salt =
      std::random_device{}() * 0x9E3779B97F4A7C15ULL ^ std::random_device{}();
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return fmt::format("part-{:016x}-{:08x}-{:06d}.zstd.parquet", static_cast<uint64_t>(now),
                     static_cast<uint32_t>(salt), counter++ % 1000000);
}

}  // namespace

Result<std::shared_ptr<Lakehouse>> Lakehouse::Open(const std::string& root_uri) {
  std::string path;
  ARROW_ASSIGN_OR_RAISE(auto fs, arrow::fs::FileSystemFromUriOrPath(root_uri, &path));
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  ARROW_RETURN_NOT_OK(fs->CreateDir(path, /*recursive=*/true));
  if (fs->type_name() != "local") {
    return Status::NotImplemented("no atomic commit store for ", fs->type_name(),
                                  " lakes yet: ", root_uri);
  }
  return std::shared_ptr<Lakehouse>(new Lakehouse(std::move(fs), LocalLogStore(), std::move(path)));
}

std::unique_ptr<DeltaLog> Lakehouse::Log(const std::string& table) const {
  return std::make_unique<DeltaLog>(fs_, store_, TablePath(table));
}

Result<AddFile> Lakehouse::WriteParquet(
    const std::string& table, const std::shared_ptr<arrow::Schema>& schema,
    const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches,
    const ParquetHints& hints) const {
  AddFile add;
  add.path = NewDataFileName();
  const std::string full = TablePath(table) + "/" + add.path;
  ARROW_ASSIGN_OR_RAISE(auto out, fs_->OpenOutputStream(full));
  parquet::WriterProperties::Builder builder;
  // Page checksums: a flipped bit in a data file is an error when it is read, not a figure.
  builder.compression(parquet::Compression::ZSTD)
      ->max_row_group_length(1 << 20)
      ->enable_page_checksum();
  for (const auto& column : hints.unique_values) builder.disable_dictionary(column);
  for (const auto& column : hints.no_statistics) builder.disable_statistics(column);
  auto props = builder.build();
  auto arrow_props =
      parquet::ArrowWriterProperties::Builder().store_schema()->set_use_threads(true)->build();
  ARROW_ASSIGN_OR_RAISE(auto writer,
                        parquet::arrow::FileWriter::Open(*schema, arrow::default_memory_pool(), out,
                                                         props, arrow_props));
  for (const auto& batch : batches) {
    if (batch->num_rows() == 0) continue;
    ARROW_RETURN_NOT_OK(writer->WriteRecordBatch(*batch));
    add.num_records += batch->num_rows();
  }
  ARROW_RETURN_NOT_OK(writer->Close());
  ARROW_ASSIGN_OR_RAISE(add.stats, FileStatisticsJson(*schema, batches, hints.no_statistics));
  ARROW_ASSIGN_OR_RAISE(add.size, out->Tell());
  ARROW_RETURN_NOT_OK(out->Close());
  add.modification_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  return add;
}

Result<std::shared_ptr<arrow::Table>> Lakehouse::ReadParquet(
    const std::string& table, const AddFile& file,
    const std::shared_ptr<arrow::Schema>& expected) const {
  const std::string where = fmt::format("{} file {}", table, file.path);
  auto opened = fs_->OpenInputFile(TablePath(table) + "/" + arrow::util::UriUnescape(file.path));
  if (!opened.ok()) return opened.status().WithMessage(where, ": ", opened.status().message());
  parquet::ReaderProperties props(arrow::default_memory_pool());
  props.set_page_checksum_verification(true);
  parquet::arrow::FileReaderBuilder builder;
  ARROW_RETURN_NOT_OK(builder.Open(*opened, props));
  ARROW_ASSIGN_OR_RAISE(auto reader, builder.memory_pool(arrow::default_memory_pool())->Build());
  // Only the columns `expected` names are read.
  const auto leaves = LeafColumns(
      *reader, [&](const std::string& name) { return expected->GetFieldIndex(name) >= 0; });
  auto read = reader->ReadTable(leaves);
  if (!read.ok()) return read.status().WithMessage(where, ": ", read.status().message());
  return ConformTable(*read, expected, where);
}

}  // namespace pizzastream::lake
