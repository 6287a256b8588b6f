// A step's data file written a batch at a time: finished, it holds every batch with the whole
// file's stats; abandoned (the step failed part way), it leaves nothing in the table.
#include "lake/streamed_file.h"

#include <arrow/compute/cast.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>
#include <parquet/file_reader.h>
#include <parquet/statistics.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "lake/text_column.h"
#include "lake/text_dictionary_builder.h"
#include "support/delta_fixture.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

using namespace pizzastream::testing;
namespace fs = std::filesystem;

int DataFiles(const fs::path& table) {
  int n = 0;
  if (!fs::exists(table)) return 0;
  for (const auto& e : fs::directory_iterator(table)) n += e.path().extension() == ".parquet";
  return n;
}

TEST(StreamedFile, FinishedItHoldsEveryBatchWithTheWholeFilesStats) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  ASSERT_TRUE(lake->Log("t")->CreateIfMissing(DeltaTestSchema()).ok());
  StreamedFile file(*lake, "t", DeltaTestSchema());
  ASSERT_TRUE(file.Write(DeltaTestRows(10, 5)).ok());
  ASSERT_TRUE(file.Write(DeltaTestRows(0, 5)).ok());
  const auto add = file.Finish().ValueOrDie();
  ASSERT_TRUE(add.has_value());
  EXPECT_EQ(add->num_records, 10);
  const auto stats = nlohmann::json::parse(add->stats);
  EXPECT_EQ(stats["numRecords"], 10) << add->stats;
  const auto read = lake->ReadParquet("t", *add, DeltaTestSchema()).ValueOrDie();
  EXPECT_EQ(read->num_rows(), 10);
  EXPECT_EQ(DataFiles(dir / "t"), 1);
}

TEST(StreamedFile, AbandonedPartWayItLeavesNoFileBehind) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  ASSERT_TRUE(lake->Log("t")->CreateIfMissing(DeltaTestSchema()).ok());
  for (int attempt = 0; attempt < 3; ++attempt) {  // a step retried after failing part way
    StreamedFile file(*lake, "t", DeltaTestSchema());
    ASSERT_TRUE(file.Write(DeltaTestRows(0, 100)).ok());
    ASSERT_TRUE(file.Write(DeltaTestRows(100, 100)).ok());
  }
  EXPECT_EQ(DataFiles(dir / "t"), 0);
  StreamedFile empty(*lake, "t", DeltaTestSchema());  // no row: no file at all
  EXPECT_FALSE(empty.Finish().ValueOrDie().has_value());
  EXPECT_EQ(DataFiles(dir / "t"), 0);
}

// The table of the dictionary tests: id int64, name utf8.
std::shared_ptr<arrow::Schema> IdAndNameSchema() {
  return arrow::schema(
      {arrow::field("id", arrow::int64(), false), arrow::field("name", arrow::utf8(), false)});
}

// Rows whose name column is dictionary-encoded, with a dictionary of `names` in that order.
std::shared_ptr<arrow::RecordBatch> NamedRows(const std::shared_ptr<arrow::Schema>& schema,
                                              int64_t from, const std::vector<std::string>& names) {
  TextDictionaryBuilder builder;
  arrow::Int64Builder ids;
  EXPECT_TRUE(builder.Reserve(static_cast<int64_t>(names.size()) * 2).ok());
  for (int round = 0; round < 2; ++round) {
    for (const auto& name : names) {
      EXPECT_TRUE(builder.Append(name).ok());
      EXPECT_TRUE(ids.Append(from++).ok());
    }
  }
  const auto name_column = builder.Finish().ValueOrDie();
  return arrow::RecordBatch::Make(schema, name_column->length(),
                                  {ids.Finish().ValueOrDie(), name_column});
}

TEST(StreamedFile, DictionaryBatchesAreStoredWithTheirOwnDictionariesAndReadAsText) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  const auto schema = IdAndNameSchema();
  const auto written_schema =
      arrow::schema({schema->field(0), TextColumn::DictionaryField(schema->field(1))});
  ASSERT_TRUE(lake->Log("t")->CreateIfMissing(schema).ok());
  ParquetHints hints;
  hints.no_statistics = {"name"};
  StreamedFile file(*lake, "t", schema, hints);
  // Three batches, each with a dictionary of its own (the second shares a value, in another
  // place, with the first).
  ASSERT_TRUE(file.Write(NamedRows(written_schema, 0, {"Margherita", "Hawaiian"})).ok());
  ASSERT_TRUE(file.Write(NamedRows(written_schema, 4, {"Veggie", "Margherita", "Calzone"})).ok());
  ASSERT_TRUE(file.Write(NamedRows(written_schema, 10, {"Diavola"})).ok());
  const auto add = file.Finish().ValueOrDie();
  ASSERT_TRUE(add.has_value());
  EXPECT_EQ(add->num_records, 12);

  // Read back as it is stored: plain text, the names in order.
  const auto read = lake->ReadParquet("t", *add, schema).ValueOrDie();
  ASSERT_TRUE(read->schema()->Equals(*schema)) << read->schema()->ToString();
  const auto names = read->CombineChunksToBatch().ValueOrDie()->column(1);
  const std::vector<std::string> expected = {"Margherita", "Hawaiian",   "Margherita", "Hawaiian",
                                             "Veggie",     "Margherita", "Calzone",    "Veggie",
                                             "Margherita", "Calzone",    "Diavola",    "Diavola"};
  ASSERT_EQ(names->length(), static_cast<int64_t>(expected.size()));
  for (int64_t i = 0; i < names->length(); ++i) {
    EXPECT_EQ(static_cast<const arrow::StringArray&>(*names).GetView(i), expected[i]) << i;
  }

  // Stored: each batch a row group, its name column chunk dictionary-encoded throughout (a
  // dictionary that changed within a row group would have turned the chunk's pages plain), and
  // the Arrow schema other readers see types the column as text.
  auto reader = parquet::ParquetFileReader::OpenFile(dir.path() + "/t/" + add->path);
  const auto metadata = reader->metadata();
  ASSERT_EQ(metadata->num_row_groups(), 3);
  for (int g = 0; g < metadata->num_row_groups(); ++g) {
    const auto chunk = metadata->RowGroup(g)->ColumnChunk(1);
    EXPECT_TRUE(chunk->has_dictionary_page()) << "row group " << g;
    for (const auto& stats : chunk->encoding_stats()) {
      if (stats.page_type == parquet::PageType::DATA_PAGE ||
          stats.page_type == parquet::PageType::DATA_PAGE_V2) {
        EXPECT_TRUE(stats.encoding == parquet::Encoding::RLE_DICTIONARY ||
                    stats.encoding == parquet::Encoding::PLAIN_DICTIONARY)
            << "row group " << g << ": a data page encoded " << static_cast<int>(stats.encoding);
      }
    }
  }
  const auto arrow_reader =
      parquet::arrow::FileReader::Make(arrow::default_memory_pool(), std::move(reader))
          .ValueOrDie();
  std::shared_ptr<arrow::Schema> stored;
  ASSERT_TRUE(arrow_reader->GetSchema(&stored).ok());
  EXPECT_TRUE(stored->field(1)->type()->Equals(*arrow::utf8())) << stored->ToString();
}

// Rows from..: `names` as the name column, plain utf8 (dictionary nullptr) or as indices into
// `dictionary` (every name must be in it).
std::shared_ptr<arrow::RecordBatch> Rows(int64_t from, const std::vector<std::string>& names,
                                         const std::shared_ptr<arrow::Array>& dictionary) {
  arrow::Int64Builder ids;
  arrow::StringBuilder plain;
  arrow::Int32Builder indices;
  for (const auto& name : names) {
    EXPECT_TRUE(ids.Append(from++).ok());
    if (dictionary == nullptr) {
      EXPECT_TRUE(plain.Append(name).ok());
      continue;
    }
    const auto& values = static_cast<const arrow::StringArray&>(*dictionary);
    int32_t at = 0;
    while (at < values.length() && values.GetView(at) != name) ++at;
    EXPECT_LT(at, values.length()) << name;
    EXPECT_TRUE(indices.Append(at).ok());
  }
  std::shared_ptr<arrow::Array> column;
  if (dictionary == nullptr) {
    column = plain.Finish().ValueOrDie();
  } else {
    column =
        std::make_shared<arrow::DictionaryArray>(arrow::dictionary(arrow::int32(), arrow::utf8()),
                                                 indices.Finish().ValueOrDie(), dictionary);
  }
  const auto schema = arrow::schema(
      {arrow::field("id", arrow::int64(), false), arrow::field("name", column->type(), false)});
  return arrow::RecordBatch::Make(schema, column->length(), {ids.Finish().ValueOrDie(), column});
}

std::shared_ptr<arrow::Array> Texts(const std::vector<std::string>& values) {
  arrow::StringBuilder b;
  EXPECT_TRUE(b.AppendValues(values).ok());
  return b.Finish().ValueOrDie();
}

TEST(StreamedFile, BatchesWithOneDictionaryShareARowGroupAndPlainBatchesMixIn) {
  // A source that sends a field as a dictionary sends the same one batch after batch (the
  // generator's menu), between batches of plain text (lines decoded from messages). The file
  // must hold every value in order, in one row group while the dictionary stays the same.
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  const auto schema = IdAndNameSchema();
  ASSERT_TRUE(lake->Log("t")->CreateIfMissing(schema).ok());
  ParquetHints hints;
  hints.no_statistics = {"name"};
  const auto menu = Texts({"Margherita", "Hawaiian", "Veggie"});
  const auto same_menu = Texts({"Margherita", "Hawaiian", "Veggie"});  // equal, not the same
  const auto other_menu = Texts({"Calzone", "Margherita"});
  struct Written {
    std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
    int row_groups;
  };
  const std::vector<Written> files = {
      // dictionary, plain, the dictionary again, an equal one: one row group; then another
      // dictionary: a second.
      {{Rows(0, {"Veggie", "Margherita"}, menu), Rows(2, {"Diavola", "Hawaiian"}, nullptr),
        Rows(4, {"Hawaiian", "Hawaiian"}, menu), Rows(6, {"Veggie"}, same_menu),
        Rows(7, {"Calzone", "Margherita"}, other_menu)},
       2},
      // plain first, then dictionaries: one row group (Arrow's writer refuses a dictionary
      // after plain values in a column chunk: those batches are written decoded).
      {{Rows(0, {"Diavola"}, nullptr), Rows(1, {"Hawaiian", "Veggie"}, menu),
        Rows(3, {"Calzone"}, other_menu)},
       1},
  };
  for (size_t f = 0; f < files.size(); ++f) {
    StreamedFile file(*lake, "t", schema, hints);
    std::vector<std::string> expected;
    for (const auto& batch : files[f].batches) {
      const Status written = file.Write(batch);
      ASSERT_TRUE(written.ok()) << "file " << f << ": " << written.ToString();
      const auto plain = arrow::compute::Cast(*batch->column(1), arrow::utf8()).ValueOrDie();
      for (int64_t i = 0; i < plain->length(); ++i) {
        expected.emplace_back(static_cast<const arrow::StringArray&>(*plain).GetView(i));
      }
    }
    const auto add = file.Finish().ValueOrDie();
    ASSERT_TRUE(add.has_value());
    const auto read = lake->ReadParquet("t", *add, schema).ValueOrDie();
    const auto batch = read->CombineChunksToBatch().ValueOrDie();
    ASSERT_EQ(batch->num_rows(), static_cast<int64_t>(expected.size())) << "file " << f;
    const auto& ids = static_cast<const arrow::Int64Array&>(*batch->column(0));
    const auto& names = static_cast<const arrow::StringArray&>(*batch->column(1));
    for (int64_t i = 0; i < batch->num_rows(); ++i) {
      EXPECT_EQ(ids.Value(i), i) << "file " << f;
      EXPECT_EQ(names.GetView(i), expected[static_cast<size_t>(i)]) << "file " << f << " row " << i;
    }
    auto reader = parquet::ParquetFileReader::OpenFile(dir.path() + "/t/" + add->path);
    EXPECT_EQ(reader->metadata()->num_row_groups(), files[f].row_groups) << "file " << f;
  }
}

TEST(StreamedFile, ADictionaryColumnsStatisticsCoverTheValuesItsRowsUse) {
  // A dictionary column (the generator's menu fields, as bronze lands them in `run`) with
  // statistics: its min/max are those of the values its rows use, not of its whole dictionary.
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  const auto schema = IdAndNameSchema();
  ASSERT_TRUE(lake->Log("t")->CreateIfMissing(schema).ok());
  StreamedFile file(*lake, "t", schema);  // every column with statistics
  const auto menu = Texts({"Margherita", "Hawaiian", "Veggie"});
  const Status written = file.Write(Rows(0, {"Veggie", "Margherita", "Veggie"}, menu));
  ASSERT_TRUE(written.ok()) << written.ToString();
  const auto add = file.Finish().ValueOrDie();
  ASSERT_TRUE(add.has_value());
  const auto read = lake->ReadParquet("t", *add, schema).ValueOrDie();
  const auto names = read->CombineChunksToBatch().ValueOrDie()->column(1);
  ASSERT_EQ(names->length(), 3);
  EXPECT_EQ(static_cast<const arrow::StringArray&>(*names).GetView(1), "Margherita");
  auto reader = parquet::ParquetFileReader::OpenFile(dir.path() + "/t/" + add->path);
  const auto stats = reader->metadata()->RowGroup(0)->ColumnChunk(1)->statistics();
  ASSERT_NE(stats, nullptr);
  ASSERT_TRUE(stats->HasMinMax());
  EXPECT_EQ(stats->EncodeMin(), "Margherita");  // Hawaiian is in the dictionary, not the rows
  EXPECT_EQ(stats->EncodeMax(), "Veggie");
}

TEST(StreamedFile, ADictionaryPastParquetsDictionaryPageLimitIsStoredWhole) {
  // Hostile text: 40,000 distinct 100-byte values in one batch (4 MB of dictionary, past the
  // writer's 1 MB dictionary page limit, where it turns the column chunk plain part way).
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  const auto schema = IdAndNameSchema();
  ASSERT_TRUE(lake->Log("t")->CreateIfMissing(schema).ok());
  std::vector<std::string> names;
  for (int i = 0; i < 40000; ++i) {
    names.push_back(std::to_string(i) + std::string(100 - std::to_string(i).size(), '~'));
  }
  const auto written_schema =
      arrow::schema({schema->field(0), TextColumn::DictionaryField(schema->field(1))});
  StreamedFile file(*lake, "t", schema);
  ASSERT_TRUE(file.Write(NamedRows(written_schema, 0, names)).ok());
  ASSERT_TRUE(file.Write(NamedRows(written_schema, 80000, {"Margherita"})).ok());
  const auto add = file.Finish().ValueOrDie();
  ASSERT_TRUE(add.has_value());
  const auto read = lake->ReadParquet("t", *add, schema).ValueOrDie();
  const auto batch = read->CombineChunksToBatch().ValueOrDie();
  ASSERT_EQ(batch->num_rows(), 80002);
  const auto& ids = static_cast<const arrow::Int64Array&>(*batch->column(0));
  const auto& read_names = static_cast<const arrow::StringArray&>(*batch->column(1));
  for (int64_t i = 0; i < 80000; ++i) {
    ASSERT_EQ(ids.Value(i), i);
    ASSERT_EQ(read_names.GetView(i), names[static_cast<size_t>(i % 40000)]) << "row " << i;
  }
  EXPECT_EQ(read_names.GetView(80000), "Margherita");
  EXPECT_EQ(read_names.GetView(80001), "Margherita");
}

}  // namespace
}  // namespace pizzastream::lake
