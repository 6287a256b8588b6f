// Logs pizzastream must refuse clearly: holes in the versions, wrongly typed actions, protocols
// and features it does not implement; and tables it must never re-create.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "lake/delta_log.h"
#include "support/delta_fixture.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

using namespace pizzastream::testing;
namespace fs = std::filesystem;

std::unique_ptr<DeltaLog> MakeTable(const Lakehouse& lake, int appends) {
  auto log = lake.Log("t");
  EXPECT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  for (int i = 0; i < appends; ++i) AppendTestRows(lake, *log, "t", i * 3, 3);
  return log;
}

bool Mentions(const Status& st, const std::string& text) {
  return st.message().find(text) != std::string::npos;
}

// Appends `line` as version 2 of a fresh table; returns what a new reader says.
Status ReadWithCommit2(const std::string& line) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  MakeTable(*lake, 1);
  WriteFile(CommitPath(dir.path(), "t", 2), line + "\n");
  return lake->Log("t")->Update().status();
}

TEST(DeltaLogCorruption, AMissingCommitInTheMiddleIsReportedNotTakenForTheEnd) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  MakeTable(*lake, 5);
  fs::remove(CommitPath(dir.path(), "t", 2));
  auto log = lake->Log("t");
  auto st = log->Update();
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(Mentions(st.status(), "corrupt")) << st.status().ToString();
  EXPECT_TRUE(Mentions(st.status(), "commit 2 is missing")) << st.status().ToString();
  EXPECT_FALSE(log->CreateIfMissing(DeltaTestSchema()).ok());
  EXPECT_FALSE(fs::exists(CommitPath(dir.path(), "t", 2)));  // nothing written into the hole
}

TEST(DeltaLogCorruption, AHoleAppearingAfterTheLastReadVersionIsNeverFilled) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto writer = MakeTable(*lake, 3);  // versions 0..3
  fs::copy_file(CommitPath(dir.path(), "t", 3), CommitPath(dir.path(), "t", 5));
  Commit c;
  c.txns["app"] = 1;
  auto st = writer->CommitAppend(c, {});
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(Mentions(st.status(), "commit 4 is missing")) << st.status().ToString();
  EXPECT_FALSE(fs::exists(CommitPath(dir.path(), "t", 4)));
}

TEST(DeltaLogCorruption, WronglyTypedActionsAreClearErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"add":{"path":7,"size":1,"modificationTime":0,"dataChange":true}})", "add.path"},
      {R"({"add":{"path":"a.parquet","size":"big","dataChange":true}})", "add.size"},
      {R"({"add":{"path":"a.parquet","size":1,"stats":"{\"numRecords\":\"x\"}"}})", "numRecords"},
      {R"({"add":{"path":"a.parquet","size":1,"stats":"not json"}})", "stats"},
      {R"({"txn":{"appId":"app","version":"7"}})", "txn.version"},
      {R"({"remove":{"path":["x"]}})", "remove.path"},
      {R"({"metaData":{"id":"x","schemaString":{"type":"struct"}}})", "metaData.schemaString"},
      {R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2,"writerFeatures":[1]}})",
       "writerFeatures"},
      {R"({"add":"x"})", "not an object"},
      {R"([1,2,3])", "exactly one action"},
      {R"({"add":{"path":"a"})", "not valid JSON"},
      {R"({"":{"path":"a.parquet","size":1}})", "empty name"},
  };
  for (const auto& [line, expected] : cases) {
    const Status st = ReadWithCommit2(line);
    EXPECT_TRUE(st.IsInvalid()) << line << " -> " << st.ToString();
    EXPECT_TRUE(Mentions(st, expected)) << line << " -> " << st.ToString();
    EXPECT_TRUE(Mentions(st, "version 2")) << st.ToString();
  }
}

TEST(DeltaLogCorruption, UnsupportedReaderFeaturesAreRefusedByName) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}})",
       "deletionVectors"},
      {R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["v2Checkpoint"],"writerFeatures":["v2Checkpoint"]}})",
       "v2Checkpoint"},
      {R"({"protocol":{"minReaderVersion":4,"minWriterVersion":7}})", "reader version 4"},
      {R"({"add":{"path":"a.parquet","size":1,"dataChange":true,"deletionVector":{"storageType":"u","pathOrInlineDv":"x","sizeInBytes":1,"cardinality":1}}})",
       "deletion vector"},
  };
  for (const auto& [line, expected] : cases) {
    const Status st = ReadWithCommit2(line);
    EXPECT_TRUE(st.IsNotImplemented()) << line << " -> " << st.ToString();
    EXPECT_TRUE(Mentions(st, expected)) << st.ToString();
  }
}

TEST(DeltaLogCorruption, ColumnMappingIsRefused) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = MakeTable(*lake, 1);
  const auto& m = log->Update().ValueOrDie()->metadata;
  WriteFile(CommitPath(dir.path(), "t", 2),
            R"({"protocol":{"minReaderVersion":2,"minWriterVersion":5}})"
            "\n"
            R"({"metaData":{"id":")" +
                m.id + R"(","schemaString":)" + nlohmann::json(m.schema_string).dump() +
                R"(,"partitionColumns":[],"configuration":{"delta.columnMapping.mode":"name"}}})"
                "\n");
  auto st = lake->Log("t")->Update();
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(Mentions(st.status(), "column mapping")) << st.status().ToString();
}

TEST(DeltaLogCorruption, WriterFeaturesAreCheckedBeforeWriting) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto log = MakeTable(*lake, 1);
  // appendOnly is honoured (pizzastream only appends): writing goes on.
  WriteFile(
      CommitPath(dir.path(), "t", 2),
      R"({"protocol":{"minReaderVersion":1,"minWriterVersion":7,"writerFeatures":["appendOnly"]}})"
      "\n");
  EXPECT_EQ(AppendTestRows(*lake, *log, "t", 100, 1), 3);
  // generatedColumns is not: the table stays readable but is never written.
  WriteFile(
      CommitPath(dir.path(), "t", 4),
      R"({"protocol":{"minReaderVersion":1,"minWriterVersion":7,"writerFeatures":["appendOnly","generatedColumns"]}})"
      "\n");
  ASSERT_TRUE(log->Update().ok());
  Commit c;
  c.txns["app"] = 1;
  auto st = log->CommitAppend(c, {});
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(Mentions(st.status(), "generatedColumns")) << st.status().ToString();
  EXPECT_FALSE(fs::exists(CommitPath(dir.path(), "t", 5)));
}

TEST(DeltaLogCorruption, ATableIsCreatedOnlyWhereTheLogHoldsNothing) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  fs::create_directories(dir.path() + "/a/_delta_log");
  WriteFile(dir.path() + "/a/_delta_log/00000000000000000000.json.123.456.tmp", "partial");
  auto a = lake->Log("a");
  ASSERT_TRUE(a->CreateIfMissing(DeltaTestSchema()).ok());  // only a stale temporary file
  EXPECT_EQ(a->Update().ValueOrDie()->version, 0);

  fs::create_directories(dir.path() + "/b/_delta_log");
  WriteFile(dir.path() + "/b/_delta_log/_last_checkpoint", R"({"version":7,"size":3})");
  auto b = lake->Log("b");
  EXPECT_FALSE(b->CreateIfMissing(DeltaTestSchema()).ok());
  EXPECT_FALSE(fs::exists(CommitPath(dir.path(), "b", 0)));
}

}  // namespace
}  // namespace pizzastream::lake
