#include "lake/delta_checkpoint.h"

#include <arrow/builder.h>
#include <arrow/io/memory.h>
#include <arrow/table.h>
#include <fmt/format.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>

#include <algorithm>

#include "lake/arrow_json.h"
#include "lake/parquet_columns.h"

namespace pizzastream::lake {

using json = nlohmann::json;

namespace {

// The action columns of a checkpoint pizzastream reads (others, e.g. cdc or
// domainMetadata, do not change what it reads). A V2 checkpoint's checkpointMetadata and
// sidecar rows are read to be refused (delta-rs writes the columns, all null, in classic ones).
constexpr const char* kActionColumns[] = {"protocol", "metaData",           "txn",    "add",
                                          "remove",   "checkpointMetadata", "sidecar"};

std::shared_ptr<arrow::DataType> StringMap() { return arrow::map(arrow::utf8(), arrow::utf8()); }

std::shared_ptr<arrow::Schema> CheckpointSchema() {
  using arrow::field;
  const auto str = arrow::utf8();
  const auto i64 = arrow::int64();
  return arrow::schema({
      field("txn", arrow::struct_(
                       {field("appId", str), field("version", i64), field("lastUpdated", i64)})),
      field("add", arrow::struct_({field("path", str), field("partitionValues", StringMap()),
                                   field("size", i64), field("modificationTime", i64),
                                   field("dataChange", arrow::boolean()), field("stats", str)})),
      field("remove", arrow::struct_({field("path", str), field("deletionTimestamp", i64),
                                      field("dataChange", arrow::boolean()),
                                      field("extendedFileMetadata", arrow::boolean()),
                                      field("partitionValues", StringMap()), field("size", i64)})),
      field("metaData",
            arrow::struct_({field("id", str), field("name", str), field("description", str),
                            field("format", arrow::struct_({field("provider", str),
                                                            field("options", StringMap())})),
                            field("schemaString", str), field("partitionColumns", arrow::list(str)),
                            field("configuration", StringMap()), field("createdTime", i64)})),
      field("protocol", arrow::struct_({field("minReaderVersion", arrow::int32()),
                                        field("minWriterVersion", arrow::int32()),
                                        field("readerFeatures", arrow::list(str)),
                                        field("writerFeatures", arrow::list(str))})),
  });
}

// The checkpoint's rows as the JSON of their single action (nlohmann objects).
std::vector<json> Rows(const CheckpointContent& c) {
  auto parse = [](const std::string& line) {
    return json::parse(line, nullptr, /*allow_exceptions=*/false);
  };
  std::vector<json> rows;
  rows.push_back(parse(ProtocolLine(c.protocol)));
  rows.push_back(parse(MetadataLine(c.metadata)));
  for (const auto& t : c.txns) rows.push_back(parse(TxnLine(t)));
  for (const auto& a : c.adds) {
    AddFile add = a;
    add.data_change = false;  // a checkpoint's adds are state, not changes
    rows.push_back(parse(AddLine(add)));
  }
  for (const auto& r : c.tombstones) {
    RemoveFile remove = r;
    remove.data_change = false;
    rows.push_back(parse(RemoveLine(remove)));
  }
  return rows;
}

}  // namespace

Result<std::vector<Action>> ReadCheckpoint(arrow::fs::FileSystem& fs,
                                           const std::vector<std::string>& part_paths,
                                           std::string_view where) {
  std::vector<Action> actions;
  for (const auto& path : part_paths) {
    ARROW_ASSIGN_OR_RAISE(auto in, fs.OpenInputFile(path));
    parquet::arrow::FileReaderBuilder builder;
    ARROW_RETURN_NOT_OK(builder.Open(in));
    ARROW_ASSIGN_OR_RAISE(auto reader, builder.Build());
    std::shared_ptr<arrow::Schema> schema;
    ARROW_RETURN_NOT_OK(reader->GetSchema(&schema));
    std::vector<std::string> names;
    for (const char* name : kActionColumns) {
      if (schema->GetFieldIndex(name) >= 0) names.push_back(name);
    }
    const auto columns = LeafColumns(*reader, [&](const std::string& name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    });
    if (names.empty()) return Status::Invalid(where, ": ", path, " holds no Delta actions");
    std::shared_ptr<arrow::Table> table;
    ARROW_ASSIGN_OR_RAISE(table, reader->ReadTable(columns));
    ARROW_ASSIGN_OR_RAISE(table, table->CombineChunks());
    for (const auto& name : names) {
      auto column = table->GetColumnByName(name);
      if (column == nullptr) return Status::Invalid(where, ": ", path, " lost column ", name);
      for (const auto& chunk : column->chunks()) {
        for (int64_t i = 0; i < chunk->length(); ++i) {
          if (chunk->IsNull(i)) continue;
          ARROW_ASSIGN_OR_RAISE(auto body, CellToJson(*chunk, i));
          ARROW_ASSIGN_OR_RAISE(
              auto action,
              ParseAction(json{{name, body}}.dump(-1, ' ', false, json::error_handler_t::replace),
                          where));
          actions.push_back(std::move(action));
        }
      }
    }
  }
  return actions;
}

Status WriteCheckpoint(LogStore& store, const std::string& log_dir,
                       const CheckpointContent& content) {
  const auto schema = CheckpointSchema();
  const std::vector<json> rows = Rows(content);
  arrow::ArrayVector columns;
  for (const auto& f : schema->fields()) {
    ARROW_ASSIGN_OR_RAISE(auto builder, arrow::MakeBuilder(f->type()));
    for (const json& row : rows) {
      if (row.is_discarded()) return Status::Invalid("checkpoint row is not valid JSON");
      auto it = row.find(f->name());
      ARROW_RETURN_NOT_OK(AppendJson(builder.get(), it == row.end() ? json() : *it));
    }
    ARROW_ASSIGN_OR_RAISE(auto array, builder->Finish());
    columns.push_back(array);
  }
  auto table = arrow::Table::Make(schema, columns, static_cast<int64_t>(rows.size()));
  ARROW_ASSIGN_OR_RAISE(auto sink, arrow::io::BufferOutputStream::Create());
  auto props = parquet::WriterProperties::Builder()
                   .compression(parquet::Compression::ZSTD)
                   ->enable_page_checksum()
                   ->build();
  ARROW_RETURN_NOT_OK(
      parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), sink, 1 << 20, props));
  ARROW_ASSIGN_OR_RAISE(auto buffer, sink->Finish());
  const std::string name = fmt::format("{:020d}.checkpoint.parquet", content.version);
  ARROW_RETURN_NOT_OK(store.PutIfAbsent(log_dir + "/" + name, buffer->ToString()).status());

  // _last_checkpoint is a hint readers may use (they verify it); replaced in one atomic step.
  const std::string hint = json{{"version", content.version},
                                {"size", rows.size()},
                                {"sizeInBytes", buffer->size()},
                                {"numOfAddFiles", content.adds.size()}}
                               .dump() +
                           "\n";
  return store.AtomicReplace(log_dir + "/_last_checkpoint", hint);
}

}  // namespace pizzastream::lake
