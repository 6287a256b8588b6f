#include "lake/lakehouse.h"

#include <arrow/array.h>
#include <arrow/compute/cast.h>
#include <arrow/filesystem/api.h>
#include <arrow/filesystem/s3fs.h>
#include <arrow/io/api.h>
#include <arrow/util/uri.h>
#include <fmt/format.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <set>

#include "core/clock.h"
#include "lake/arrow_compute.h"
#include "lake/file_statistics.h"
#include "lake/parquet_columns.h"
#include "lake/s3_errors.h"
#include "lake/s3_lake_config.h"
#include "lake/s3_log_store.h"
#include "lake/s3_runtime.h"
#include "lake/schema_conformance.h"

namespace pizzastream::lake {

namespace {

// Rows per row group: the writer holds one row group's encoded pages in memory, so this bounds
// a compaction's memory (a step's file is one row group anyway). 64k rather than 256k rows:
// bronze alone at 5M lines peaks at 123 MiB instead of 145 (`run`: 205 instead of 215), for
// files about 8% larger.
constexpr int64_t kRowGroupRows = 64 * 1024;

std::string NewDataFileName(FileCompression compression) {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t salt =
      std::random_device{}() * 0x9E3779B97F4A7C15ULL ^ std::random_device{}();
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return fmt::format("part-{:016x}-{:08x}-{:06d}.{}.parquet", static_cast<uint64_t>(now),
                     static_cast<uint32_t>(salt), counter++ % 1000000,
                     compression == FileCompression::kZstd ? "zstd" : "snappy");
}

// One line for what Arrow's S3 filesystem reported: what kind of failure, where, and what
// to do; no credential in it.
Status ExplainS3Error(const Status& st, const S3LakeConfig& config, const S3Credentials& creds) {
  const std::string detail = MaskSecrets(st.message(), creds);
  auto has = [&](const char* needle) { return detail.find(needle) != std::string::npos; };
  if (has("NETWORK_CONNECTION") || has("curlCode") || has("Couldn't connect") ||
      has("Connection refused") || has("Timeout") || has("timed out")) {
    return S3Unreachable("cannot reach the S3 endpoint " + config.endpoint + " for " +
                         config.shown_uri + " (is the server running?): " + detail);
  }
  if (has("ACCESS_DENIED") || has("InvalidAccessKeyId") || has("SignatureDoesNotMatch") ||
      has("AccessDenied") || has("403")) {
    const std::string key =
        creds.access_key.empty() ? "none" : MaskSecrets(creds.access_key, creds);
    return S3Unauthorized(
        "the S3 store at " + config.endpoint + " refused the credentials " + "(access key " + key +
        ") for bucket '" + config.bucket +
        "': check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE: " + detail);
  }
  return Status(st.code(), detail);
}

// Conditional writes are checked once per process and store/bucket: every stage opens the lake.
Status VerifyOnce(S3LogStore& store, arrow::fs::FileSystem& fs, const S3LakeConfig& config) {
  static std::mutex mu;
  static std::set<std::string> verified;
  const std::string key = config.endpoint + "/" + config.bucket;
  {
    std::lock_guard lock(mu);
    if (verified.contains(key)) return Status::OK();
  }
  ARROW_ASSIGN_OR_RAISE(std::string probe, store.VerifyConditionalWrites(config.root_path()));
  (void)fs.DeleteFile(probe);  // best effort: a leftover probe object harms nothing
  std::lock_guard lock(mu);
  verified.insert(key);
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<Lakehouse>> Lakehouse::Open(const std::string& root_uri,
                                                   const LakeOpenOptions& options) {
  ARROW_RETURN_NOT_OK(InitializeCompute());  // before the stages' threads use the lake
  if (root_uri.starts_with("s3://")) return OpenS3(root_uri, options);
  std::string path;
  ARROW_ASSIGN_OR_RAISE(auto fs, arrow::fs::FileSystemFromUriOrPath(root_uri, &path));
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (fs->type_name() != "local") {
    return Status::NotImplemented("no atomic commit store for ", fs->type_name(),
                                  " lakes: use a local directory or s3://");
  }
  ARROW_RETURN_NOT_OK(fs->CreateDir(path, /*recursive=*/true));
  std::string shown = "file://" + path;
  return std::shared_ptr<Lakehouse>(
      new Lakehouse(std::move(fs), LocalLogStore(), std::move(path), std::move(shown), true));
}

Result<std::shared_ptr<Lakehouse>> Lakehouse::OpenS3(const std::string& root_uri,
                                                     const LakeOpenOptions& options) {
  ARROW_RETURN_NOT_OK(StartS3());
  ARROW_ASSIGN_OR_RAISE(S3LakeConfig config, ResolveS3Lake(root_uri));
  config.options.allow_bucket_creation = options.create_bucket;
  ARROW_ASSIGN_OR_RAISE(std::shared_ptr<arrow::fs::FileSystem> fs,
                        arrow::fs::S3FileSystem::Make(config.options));
  const S3Credentials creds = config.Credentials();
  auto bucket = fs->GetFileInfo(config.bucket);
  if (!bucket.ok()) return ExplainS3Error(bucket.status(), config, creds);
  if (bucket->type() == arrow::fs::FileType::NotFound) {
    if (!options.create_bucket) {
      return Status::Invalid("S3 bucket '", config.bucket, "' does not exist at ", config.endpoint,
                             ": create it with `pizzastream lake init --lake ", config.shown_uri,
                             "`");
    }
    const Status created = fs->CreateDir(config.bucket, /*recursive=*/false);
    if (!created.ok()) return ExplainS3Error(created, config, creds);
  }
  auto store = std::make_shared<S3LogStore>(config);
  ARROW_RETURN_NOT_OK(VerifyOnce(*store, *fs, config));
  std::string root = config.root_path();
  std::string shown = config.shown_uri;
  return std::shared_ptr<Lakehouse>(
      new Lakehouse(std::move(fs), std::move(store), std::move(root), std::move(shown), false));
}

std::unique_ptr<DeltaLog> Lakehouse::Log(const std::string& table) const {
  return std::make_unique<DeltaLog>(fs_, store_, TablePath(table));
}

namespace {

class ParquetFileSinkImpl final : public ParquetFileSink {
 public:
  ParquetFileSinkImpl(std::shared_ptr<arrow::fs::FileSystem> fs, std::string dir, AddFile add,
                      std::shared_ptr<arrow::io::OutputStream> out,
                      std::unique_ptr<parquet::arrow::FileWriter> writer, bool local)
      : fs_(std::move(fs)),
        dir_(std::move(dir)),
        add_(std::move(add)),
        out_(std::move(out)),
        writer_(std::move(writer)),
        local_(local),
        null_counts_(writer_->schema()->num_fields(), 0),
        chunks_(null_counts_.size()) {}

  ~ParquetFileSinkImpl() override {
    if (finished_) return;
    // Abandoned: abort the stream first (S3: the multipart upload is aborted, no object
    // appears), so the writer's own clean-up writes no footer anywhere; then remove what a
    // local disk already holds.
    (void)out_->Abort();
    writer_.reset();
    if (local_) (void)fs_->DeleteFile(dir_ + "/" + add_.path);
  }

  Status Write(const arrow::RecordBatch& batch) override {
    if (batch.num_rows() == 0) return Status::OK();
    if (batch.num_columns() != static_cast<int>(chunks_.size())) {
      return Status::Invalid("a batch of ", batch.num_columns(), " columns for a file of ",
                             chunks_.size());
    }
    ARROW_ASSIGN_OR_RAISE(auto decoded, FitRowGroup(batch));
    const arrow::RecordBatch& written = decoded != nullptr ? *decoded : batch;
    ARROW_RETURN_NOT_OK(writer_->WriteRecordBatch(written));
    Wrote(written);
    add_.num_records += batch.num_rows();
    for (int c = 0; c < batch.num_columns(); ++c) null_counts_[c] += batch.column(c)->null_count();
    return Status::OK();
  }

  int64_t rows() const override { return add_.num_records; }

  Result<AddFile> Finish() override {
    ARROW_RETURN_NOT_OK(writer_->Close());
    ARROW_ASSIGN_OR_RAISE(
        add_.stats, FileStatisticsJson(*writer_->schema(), *writer_->metadata(), null_counts_));
    ARROW_ASSIGN_OR_RAISE(add_.size, out_->Tell());
    ARROW_RETURN_NOT_OK(out_->Close());
    if (local_) {
      // Durable before the commit that names it: a crash must not leave a commit without its
      // data.
      ARROW_RETURN_NOT_OK(SyncLocalFile(dir_ + "/" + add_.path));
      ARROW_RETURN_NOT_OK(SyncLocalDirectory(dir_));
    }
    add_.modification_time_ms = WallClockMillis();
    finished_ = true;
    return add_;
  }

 private:
  std::shared_ptr<arrow::fs::FileSystem> fs_;
  std::string dir_;
  AddFile add_;
  std::shared_ptr<arrow::io::OutputStream> out_;
  std::unique_ptr<parquet::arrow::FileWriter> writer_;
  bool local_;
  // How the open row group holds each column so far. A dictionary-encoded column is written
  // with its dictionary as it is (its values are not hashed again) only while the column's
  // chunk in the row group has that one dictionary and nothing written plain before it; plain
  // values after it are added to it. Arrow's writer turns a chunk plain for good at a second
  // dictionary and refuses a dictionary after plain values.
  struct Chunk {
    std::shared_ptr<arrow::Array> dictionary;  // the one it started with
    bool plain = false;                        // started with plain values
  };

  // Readies the open row group for `batch`: one whose dictionary a column's chunk does not have
  // starts a new row group. A dictionary column whose chunk started plain is decoded: the batch
  // to write then (nullptr: `batch` as it is).
  Result<std::shared_ptr<arrow::RecordBatch>> FitRowGroup(const arrow::RecordBatch& batch) {
    if (rows_in_group_ >= kRowGroupRows) NewGroupStarted();  // Arrow starts one itself
    std::vector<int> decode;
    for (int c = 0; c < batch.num_columns() && rows_in_group_ > 0; ++c) {
      const auto& column = *batch.column(c);
      if (column.type_id() != arrow::Type::DICTIONARY) continue;
      const Chunk& chunk = chunks_[static_cast<size_t>(c)];
      const auto& dictionary = static_cast<const arrow::DictionaryArray&>(column).dictionary();
      if (chunk.plain) {
        decode.push_back(c);
      } else if (chunk.dictionary != dictionary && !chunk.dictionary->Equals(*dictionary)) {
        ARROW_RETURN_NOT_OK(writer_->NewBufferedRowGroup());
        NewGroupStarted();
        decode.clear();
      }
    }
    if (decode.empty()) return nullptr;  // Cast's kernels: registered by Lakehouse::Open
    std::shared_ptr<arrow::RecordBatch> out = batch.Slice(0);  // shares the columns
    for (int c : decode) {
      const auto& column = static_cast<const arrow::DictionaryArray&>(*batch.column(c));
      ARROW_ASSIGN_OR_RAISE(auto plain, arrow::compute::Cast(column, column.dictionary()->type()));
      ARROW_ASSIGN_OR_RAISE(
          out, out->SetColumn(c, out->schema()->field(c)->WithType(plain->type()), plain));
    }
    return out;
  }

  // Follows Arrow's row groups over a batch just written: a group full before the batch, or
  // filled by it with rows left, was closed and a new one started for the rest.
  void Wrote(const arrow::RecordBatch& batch) {
    const int64_t total = rows_in_group_ + batch.num_rows();
    if (total > kRowGroupRows) NewGroupStarted();
    rows_in_group_ = total > kRowGroupRows ? (total - 1) % kRowGroupRows + 1 : total;
    for (int c = 0; c < batch.num_columns(); ++c) {
      Chunk& chunk = chunks_[static_cast<size_t>(c)];
      if (chunk.plain || chunk.dictionary != nullptr) continue;
      const auto& column = *batch.column(c);
      if (column.type_id() == arrow::Type::DICTIONARY) {
        chunk.dictionary = static_cast<const arrow::DictionaryArray&>(column).dictionary();
      } else {
        chunk.plain = true;
      }
    }
  }

  void NewGroupStarted() {
    rows_in_group_ = 0;
    for (Chunk& chunk : chunks_) chunk = Chunk{};
  }

  std::vector<int64_t> null_counts_;  // per column, of the rows written
  std::vector<Chunk> chunks_;         // per column, in the open row group
  int64_t rows_in_group_ = 0;         // rows in the open row group
  bool finished_ = false;
};

// Whether Parquet stores `type` as INT32/INT64, the physical types DELTA_BINARY_PACKED encodes
// (decimals too, but no hint names one: their values repeat).
bool StoredAsInteger(const arrow::DataType& type) {
  return arrow::is_integer(type.id()) || arrow::is_temporal(type.id());
}

}  // namespace

Result<std::unique_ptr<ParquetFileSink>> Lakehouse::OpenParquetSink(
    const std::string& table, const std::shared_ptr<arrow::Schema>& schema,
    const ParquetHints& hints, FileCompression compression) const {
  AddFile add;
  add.path = NewDataFileName(compression);
  ARROW_ASSIGN_OR_RAISE(auto out, fs_->OpenOutputStream(TablePath(table) + "/" + add.path));
  parquet::WriterProperties::Builder builder;
  // Page checksums: a flipped bit in a data file is an error when it is read, not a figure.
  // Decimals of up to 18 digits are stored as INT32/INT64, as Spark writes them by default
  // (not as big-endian fixed-size bytes, which every value's statistics compare byte-wise).
  builder
      .compression(compression == FileCompression::kZstd ? parquet::Compression::ZSTD
                                                         : parquet::Compression::SNAPPY)
      ->max_row_group_length(kRowGroupRows)
      ->enable_store_decimal_as_integer()
      ->enable_page_checksum();
  for (const auto& column : hints.unique_values) {
    builder.disable_dictionary(column);
    const auto field = schema->GetFieldByName(column);
    if (field != nullptr && StoredAsInteger(*field->type())) {
      builder.encoding(column, parquet::Encoding::DELTA_BINARY_PACKED);
    }
  }
  for (const auto& column : hints.no_statistics) builder.disable_statistics(column);
  auto props = builder.build();
  // Columns are encoded on the calling thread: on 2 cores the stages already keep both busy, and
  // Arrow's pool threads each held memory of their own (run over 5M lines: -15 MiB peak RSS, the
  // same CPU per line).
  auto arrow_props =
      parquet::ArrowWriterProperties::Builder().store_schema()->set_use_threads(false)->build();
  ARROW_ASSIGN_OR_RAISE(auto writer,
                        parquet::arrow::FileWriter::Open(*schema, arrow::default_memory_pool(), out,
                                                         props, arrow_props));
  return std::make_unique<ParquetFileSinkImpl>(fs_, TablePath(table), std::move(add),
                                               std::move(out), std::move(writer), local_);
}

Result<AddFile> Lakehouse::WriteParquet(
    const std::string& table, const std::shared_ptr<arrow::Schema>& schema,
    const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches,
    const ParquetHints& hints) const {
  ARROW_ASSIGN_OR_RAISE(auto sink, OpenParquetSink(table, schema, hints));
  for (const auto& batch : batches) ARROW_RETURN_NOT_OK(sink->Write(*batch));
  return sink->Finish();
}

namespace {

// An Arrow reader of one data file of `table`, checking page checksums; `where` names both.
// A top-level text column `expected` types as a dictionary is read as one: the file's
// dictionary pages become the Arrow dictionary, instead of every value being copied out.
Result<std::unique_ptr<parquet::arrow::FileReader>> OpenDataFile(arrow::fs::FileSystem& fs,
                                                                 const std::string& path,
                                                                 const std::string& where,
                                                                 int64_t batch_rows,
                                                                 const arrow::Schema& expected) {
  auto opened = fs.OpenInputFile(path);
  if (!opened.ok()) return opened.status().WithMessage(where, ": ", opened.status().message());
  parquet::ReaderProperties props(arrow::default_memory_pool());
  props.set_page_checksum_verification(true);
  parquet::ArrowReaderProperties arrow_props;
  if (batch_rows > 0) arrow_props.set_batch_size(batch_rows);
  parquet::arrow::FileReaderBuilder builder;
  ARROW_RETURN_NOT_OK(builder.Open(*opened, props));
  const parquet::SchemaDescriptor& columns = *builder.raw_reader()->metadata()->schema();
  for (const auto& field : expected.fields()) {
    if (field->type()->id() != arrow::Type::DICTIONARY) continue;
    const int leaf = columns.ColumnIndex(field->name());  // a top-level leaf's path is its name
    if (leaf >= 0 && columns.Column(leaf)->physical_type() == parquet::Type::BYTE_ARRAY) {
      arrow_props.set_read_dictionary(leaf, true);
    }
  }
  return builder.memory_pool(arrow::default_memory_pool())->properties(arrow_props)->Build();
}

// Columns read from the file `where` names: upgraded by `upgrade` when given (an error names the
// file), then conformed to `expected`.
Result<std::shared_ptr<arrow::Table>> UpgradeAndConform(
    std::shared_ptr<arrow::Table> read, const FileUpgrade& upgrade,
    const std::shared_ptr<arrow::Schema>& expected, const std::string& where) {
  if (upgrade) {
    auto upgraded = upgrade(read);
    if (!upgraded.ok())
      return upgraded.status().WithMessage(where, ": ", upgraded.status().message());
    read = *upgraded;
  }
  return ConformTable(read, expected, where);
}

}  // namespace

Result<std::shared_ptr<arrow::Table>> Lakehouse::ReadParquet(
    const std::string& table, const AddFile& file, const std::shared_ptr<arrow::Schema>& expected,
    const FileUpgrade& upgrade) const {
  const std::string where = fmt::format("{} file {}", table, file.path);
  ARROW_ASSIGN_OR_RAISE(
      auto reader, OpenDataFile(*fs_, TablePath(table) + "/" + arrow::util::UriUnescape(file.path),
                                where, 0, *expected));
  // Only the columns `expected` names are read.
  const auto leaves = LeafColumns(
      *reader, [&](const std::string& name) { return expected->GetFieldIndex(name) >= 0; });
  auto read = reader->ReadTable(leaves);
  if (!read.ok()) return read.status().WithMessage(where, ": ", read.status().message());
  return UpgradeAndConform(*read, upgrade, expected, where);
}

Status Lakehouse::ScanParquet(
    const std::string& table, const AddFile& file, const std::shared_ptr<arrow::Schema>& expected,
    int64_t batch_rows, const std::function<Status(std::shared_ptr<arrow::RecordBatch>)>& each,
    const FileUpgrade& upgrade) const {
  const std::string where = fmt::format("{} file {}", table, file.path);
  ARROW_ASSIGN_OR_RAISE(
      auto reader, OpenDataFile(*fs_, TablePath(table) + "/" + arrow::util::UriUnescape(file.path),
                                where, batch_rows, *expected));
  const auto leaves = LeafColumns(
      *reader, [&](const std::string& name) { return expected->GetFieldIndex(name) >= 0; });
  std::vector<int> row_groups(static_cast<size_t>(reader->num_row_groups()));
  for (size_t i = 0; i < row_groups.size(); ++i) row_groups[i] = static_cast<int>(i);
  auto batches = reader->GetRecordBatchReader(row_groups, leaves);
  if (!batches.ok()) return batches.status().WithMessage(where, ": ", batches.status().message());
  while (true) {
    auto next = (*batches)->Next();
    if (!next.ok()) return next.status().WithMessage(where, ": ", next.status().message());
    if (*next == nullptr) return Status::OK();
    ARROW_ASSIGN_OR_RAISE(auto one, arrow::Table::FromRecordBatches({*next}));
    ARROW_ASSIGN_OR_RAISE(auto conformed, UpgradeAndConform(one, upgrade, expected, where));
    ARROW_ASSIGN_OR_RAISE(auto batch, conformed->CombineChunksToBatch());
    ARROW_RETURN_NOT_OK(each(std::move(batch)));
  }
}

}  // namespace pizzastream::lake
