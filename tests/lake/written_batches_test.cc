// The in-process hand-off of committed batches: kept only for declared readers, taken once,
// bounded, and equal to what a read of the committed file returns.
#include "lake/written_batches.h"

#include <arrow/util/byte_size.h>
#include <gtest/gtest.h>

#include "lake/incremental_input.h"
#include "lake/streamed_file.h"
#include "lake/text_column.h"
#include "lake/text_dictionary_builder.h"
#include "support/delta_fixture.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

using namespace pizzastream::testing;

int64_t Bytes(const Batches& batches) {
  int64_t n = 0;
  for (const auto& b : batches) n += arrow::util::TotalBufferSize(*b);
  return n;
}

TEST(WrittenBatches, KeepsOnlyDeclaredTablesAndHandsEachFileOverOnce) {
  WrittenBatches written(1 << 20);
  const Batches rows = {DeltaTestRows(0, 10)};
  written.Offer("nobody/reads", "a.parquet", rows);
  EXPECT_FALSE(written.Take("nobody/reads", "a.parquet").has_value());
  written.Expect("t");
  written.Offer("t", "a.parquet", rows);
  EXPECT_FALSE(written.Take("t", "b.parquet").has_value());
  auto taken = written.Take("t", "a.parquet");
  ASSERT_TRUE(taken.has_value());
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].get(), rows[0].get());  // the very batch, not a copy
  EXPECT_FALSE(written.Take("t", "a.parquet").has_value());
  EXPECT_EQ(written.figures().kept, 1);
  EXPECT_EQ(written.figures().taken, 1);
  EXPECT_EQ(written.figures().bytes, 0);
}

TEST(WrittenBatches, RefusesWhatWouldGoOverTheBudgetAndMakesRoomWhenTaken) {
  const Batches rows = {DeltaTestRows(0, 1000)};
  const int64_t one = Bytes(rows);
  WrittenBatches written(one * 2 + one / 2);
  written.Expect("t");
  written.Offer("t", "1", rows);
  written.Offer("t", "2", rows);
  written.Offer("t", "3", rows);  // over the budget: the reader will read the file
  EXPECT_EQ(written.figures().refused, 1);
  EXPECT_EQ(written.figures().bytes, one * 2);
  EXPECT_FALSE(written.Take("t", "3").has_value());
  ASSERT_TRUE(written.Take("t", "1").has_value());
  written.Offer("t", "4", rows);
  EXPECT_TRUE(written.Take("t", "2").has_value());
  EXPECT_TRUE(written.Take("t", "4").has_value());
  EXPECT_EQ(written.figures().bytes, 0);
}

TEST(WrittenBatches, AnEmptyOfferIsNotKept) {
  WrittenBatches written(1 << 20);
  written.Expect("t");
  written.Offer("t", "a.parquet", {});
  EXPECT_FALSE(written.Take("t", "a.parquet").has_value());  // the reader reads the file
  EXPECT_EQ(written.figures().kept, 0);
}

TEST(WrittenBatches, HandOffBatchesLetGoOfAFileThatOutgrowsTheBudget) {
  const auto rows = DeltaTestRows(0, 1000);
  const int64_t one = arrow::util::TotalBufferSize(*rows);
  WrittenBatches written(one * 2 + one / 2);
  HandOffBatches unread(written, "t");  // nobody expects t yet: nothing collected
  unread.Add(rows);
  EXPECT_TRUE(unread.Take().empty());
  written.Expect("t");
  HandOffBatches fits(written, "t");
  fits.Add(rows);
  fits.Add(rows);
  EXPECT_EQ(fits.Take().size(), 2u);
  HandOffBatches grows(written, "t");
  grows.Add(rows);
  grows.Add(rows);
  grows.Add(rows);  // over the budget: all let go, and nothing more collected
  grows.Add(DeltaTestRows(0, 1));
  EXPECT_TRUE(grows.Take().empty());
}

// A stage's output committed through CommitStep is read back by the next stage from memory,
// with the same rows a reader of the files gets.
TEST(WrittenBatches, ReadRangeTakesCommittedBatchesAndMatchesTheFiles) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = lake->Log("out");
  ASSERT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  lake->written().Expect("out");
  for (int step = 0; step < 3; ++step) {
    std::vector<StepOutput> outputs(1);
    outputs[0].table = "out";
    outputs[0].log = log.get();
    outputs[0].schema = DeltaTestSchema();
    outputs[0].batches = {DeltaTestRows(step * 100, 100)};
    InputRange range;
    range.after_version = step - 1;
    range.to_version = step;
    ASSERT_TRUE(CommitStep(*lake, "app", range, outputs, "WRITE").ok());
  }
  EXPECT_EQ(lake->written().figures().kept, 3);

  auto reader = lake->Log("out");
  auto range = NextRange(*reader, 0, 1 << 20, -1).ValueOrDie();  // versions 1..3
  ASSERT_EQ(range.files.size(), 3u);
  auto from_memory = ReadRange(*lake, "out", range, DeltaTestSchema()).ValueOrDie();
  EXPECT_EQ(lake->written().figures().taken, 3);
  EXPECT_EQ(lake->written().figures().bytes, 0);

  auto other = Lakehouse::Open(dir.path()).ValueOrDie();  // another process: the files
  auto from_files = ReadRange(*other, "out", range, DeltaTestSchema()).ValueOrDie();
  EXPECT_EQ(other->written().figures().taken, 0);
  ASSERT_EQ(from_memory.size(), from_files.size());
  for (size_t i = 0; i < from_files.size(); ++i) {
    EXPECT_TRUE(from_memory[i]->Equals(*from_files[i], /*check_metadata=*/false))
        << from_memory[i]->ToString() << "\nvs\n"
        << from_files[i]->ToString();
  }
}

TEST(WrittenBatches, AFilesBatchesMayTypeATextColumnDifferently) {
  // A step's file written in two chunks: the name column a dictionary in the first, plain in the
  // second (a chunk whose text hardly repeats, lake/text_dictionary_builder.h).
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  const auto schema = arrow::schema(
      {arrow::field("id", arrow::int64(), false), arrow::field("name", arrow::utf8(), false)});
  auto log = lake->Log("out");
  ASSERT_TRUE(log->CreateIfMissing(schema).ok());
  lake->written().Expect("out");
  const std::string veggie = "Veggie";
  TextDictionaryBuilder names;
  ASSERT_TRUE(names.Reserve(2).ok());
  ASSERT_TRUE(names.Append(veggie).ok());
  ASSERT_TRUE(names.Append(veggie).ok());
  arrow::Int64Builder ids, more_ids;
  ASSERT_TRUE(ids.AppendValues({1, 2}).ok());
  ASSERT_TRUE(more_ids.AppendValues({3}).ok());
  arrow::StringBuilder plain;
  ASSERT_TRUE(plain.Append("Calzone").ok());
  const Batches batches = {
      BatchWithDictionaries(schema, 2, {ids.Finish().ValueOrDie(), names.Finish().ValueOrDie()}),
      BatchWithDictionaries(schema, 1,
                            {more_ids.Finish().ValueOrDie(), plain.Finish().ValueOrDie()})};
  ASSERT_FALSE(batches[0]->schema()->Equals(*batches[1]->schema()));
  StreamedFile file(*lake, "out", schema);
  for (const auto& b : batches) ASSERT_TRUE(file.Write(b).ok());
  std::vector<StepOutput> outputs(1);
  outputs[0] = {"out", log.get(), schema, batches, {}, file.Finish().ValueOrDie()};
  InputRange step;
  step.to_version = 0;
  ASSERT_TRUE(CommitStep(*lake, "app", step, outputs, "WRITE").ok());

  auto reader = lake->Log("out");
  const auto range = NextRange(*reader, -1, 1 << 20, -1).ValueOrDie();
  ASSERT_TRUE(lake->written().Take("out", range.files.at(0).path).has_value());  // offered
  // Read as the load reads (text) and as gold reads (a dictionary where there is one), from
  // memory, then from the file.
  for (const auto& expected :
       {schema, arrow::schema({schema->field(0), TextColumn::DictionaryField(schema->field(1))})}) {
    for (bool from_memory : {true, false}) {
      if (from_memory) lake->written().Offer("out", range.files.at(0).path, batches);
      std::vector<std::pair<int64_t, std::string>> rows;
      ASSERT_TRUE(ScanRange(*lake, "out", range, expected, 1024,
                            [&](const arrow::RecordBatch& b) {
                              const auto& id = static_cast<const arrow::Int64Array&>(*b.column(0));
                              ARROW_ASSIGN_OR_RAISE(const auto name, TextColumn::Of(*b.column(1)));
                              for (int64_t i = 0; i < b.num_rows(); ++i) {
                                rows.emplace_back(id.Value(i), std::string(*name.Get(i)));
                              }
                              return Status::OK();
                            })
                      .ok())
          << expected->ToString() << (from_memory ? " from memory" : " from the file");
      EXPECT_EQ(rows, (std::vector<std::pair<int64_t, std::string>>{
                          {1, "Veggie"}, {2, "Veggie"}, {3, "Calzone"}}))
          << expected->ToString() << (from_memory ? " from memory" : " from the file");
      EXPECT_EQ(lake->written().figures().bytes, 0);
    }
  }
}

}  // namespace
}  // namespace pizzastream::lake
