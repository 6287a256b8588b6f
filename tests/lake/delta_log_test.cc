#include "lake/delta_log.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "lake/lakehouse.h"
#include "support/delta_fixture.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

using testing::TempDir;

std::shared_ptr<arrow::Schema> TestSchema() { return testing::DeltaTestSchema(); }
std::shared_ptr<arrow::RecordBatch> Rows(int64_t from, int64_t n) {
  return testing::DeltaTestRows(from, n);
}

TEST(DeltaLog, SchemaRoundTripsThroughDeltaJson) {
  auto json = DeltaSchemaJson(*TestSchema()).ValueOrDie();
  EXPECT_NE(json.find("\"decimal(8,2)\""), std::string::npos);
  EXPECT_NE(json.find("\"date\""), std::string::npos);
  auto back = SchemaFromDeltaJson(json).ValueOrDie();
  EXPECT_TRUE(back->Equals(*TestSchema()));
}

TEST(DeltaLog, FirstCommitHasProtocolAndMetadata) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = lake->Log("t");
  ASSERT_TRUE(log->CreateIfMissing(TestSchema()).ok());
  ASSERT_TRUE(log->CreateIfMissing(TestSchema()).ok());  // idempotent
  std::ifstream in(dir / "t/_delta_log/00000000000000000000.json");
  std::string line;
  std::vector<nlohmann::json> actions;
  while (std::getline(in, line)) actions.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(actions[0]["protocol"]["minReaderVersion"], 1);
  EXPECT_EQ(actions[0]["protocol"]["minWriterVersion"], 2);
  EXPECT_EQ(actions[1]["metaData"]["format"]["provider"], "parquet");
  EXPECT_TRUE(actions[2].contains("commitInfo"));
  EXPECT_EQ(log->Update().ValueOrDie()->version, 0);
}

TEST(DeltaLog, CommitsAddFilesAndTxnsThatAnotherReaderSees) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto writer = lake->Log("t");
  ASSERT_TRUE(writer->CreateIfMissing(TestSchema()).ok());
  Commit c;
  c.adds.push_back(lake->WriteParquet("t", TestSchema(), {Rows(0, 10)}).ValueOrDie());
  c.txns["app"] = 10;
  ASSERT_EQ(writer->CommitAppend(c, {}).ValueOrDie(), 1);

  auto reader = lake->Log("t");
  const Snapshot* s = reader->Update().ValueOrDie();
  EXPECT_EQ(s->version, 1);
  EXPECT_EQ(s->num_records, 10);
  EXPECT_EQ(s->txns.at("app"), 10);
  ASSERT_EQ(s->files.size(), 1u);
  auto table = lake->ReadParquet("t", s->files.begin()->second, TestSchema()).ValueOrDie();
  EXPECT_EQ(table->num_rows(), 10);
  EXPECT_TRUE(table->schema()->field(1)->type()->Equals(arrow::decimal128(8, 2)));
  EXPECT_EQ(reader->DataAddedIn(0, 1).ValueOrDie().size(), 1u);
  EXPECT_EQ(reader->DataAddedIn(1, 1).ValueOrDie().size(), 0u);
}

TEST(DeltaLog, ConcurrentWriterThatMovedOurAppIdIsAConflict) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto a = lake->Log("t");
  auto b = lake->Log("t");
  ASSERT_TRUE(a->CreateIfMissing(TestSchema()).ok());
  ASSERT_TRUE(b->Update().ok());
  Commit ca;
  ca.txns["partition-0"] = 5;
  ASSERT_TRUE(a->CommitAppend(ca, {}).ok());
  // b started from "never seen" (-1) too, but a got there first.
  Commit cb;
  cb.txns["partition-0"] = 5;
  auto st = b->CommitAppend(cb, {{"partition-0", -1}});
  EXPECT_TRUE(st.status().IsCancelled()) << st.status().ToString();
  // A commit for another appId does not conflict and lands on the next version.
  Commit other;
  other.txns["partition-1"] = 3;
  EXPECT_EQ(b->CommitAppend(other, {}).ValueOrDie(), 2);
}

}  // namespace
}  // namespace pizzastream::lake
