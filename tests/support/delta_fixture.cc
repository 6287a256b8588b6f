#include "support/delta_fixture.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace pizzastream::testing {

std::shared_ptr<arrow::Schema> DeltaTestSchema() {
  return arrow::schema({arrow::field("id", arrow::int64(), false),
                        arrow::field("price", arrow::decimal128(8, 2)),
                        arrow::field("day", arrow::date32()), arrow::field("name", arrow::utf8())});
}

std::shared_ptr<arrow::RecordBatch> DeltaTestRows(int64_t from, int64_t n) {
  arrow::Int64Builder id;
  arrow::Decimal128Builder price(arrow::decimal128(8, 2));
  arrow::Date32Builder day;
  arrow::StringBuilder name;
  for (int64_t i = from; i < from + n; ++i) {
    EXPECT_TRUE(id.Append(i).ok());
    EXPECT_TRUE(price.Append(arrow::Decimal128(i * 25)).ok());
    EXPECT_TRUE(day.Append(16436).ok());
    EXPECT_TRUE(name.Append("pizza " + std::to_string(i)).ok());
  }
  return arrow::RecordBatch::Make(DeltaTestSchema(), n,
                                  {id.Finish().ValueOrDie(), price.Finish().ValueOrDie(),
                                   day.Finish().ValueOrDie(), name.Finish().ValueOrDie()});
}

int64_t AppendTestRows(const lake::Lakehouse& lake, lake::DeltaLog& log, const std::string& table,
                       int64_t from, int64_t n) {
  lake::Commit c;
  c.adds.push_back(
      lake.WriteParquet(table, DeltaTestSchema(), {DeltaTestRows(from, n)}).ValueOrDie());
  auto version = log.CommitAppend(c, {});
  EXPECT_TRUE(version.ok()) << version.status().ToString();
  return version.ValueOr(-1);
}

std::unique_ptr<lake::DeltaLog> MakeAppendedTable(const lake::Lakehouse& lake,
                                                  const std::string& table, int commits) {
  auto log = lake.Log(table);
  EXPECT_TRUE(log->CreateIfMissing(DeltaTestSchema()).ok());
  for (int i = 0; i < commits; ++i) {
    lake::Commit c;
    c.adds.push_back(
        lake.WriteParquet(table, DeltaTestSchema(), {DeltaTestRows(i * 2, 2)}).ValueOrDie());
    c.txns["app"] = i;
    auto version = log->CommitAppend(c, {{"app", i - 1}});
    EXPECT_TRUE(version.ok()) << version.status().ToString();
  }
  return log;
}

std::vector<int64_t> TestIds(const lake::Lakehouse& lake, const std::string& table,
                             const std::vector<lake::AddFile>& files) {
  std::vector<int64_t> ids;
  for (const auto& f : files) {
    auto t = lake.ReadParquet(table, f, DeltaTestSchema());
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    if (!t.ok()) continue;
    for (const auto& chunk : (*t)->column(0)->chunks()) {
      const auto& a = static_cast<const arrow::Int64Array&>(*chunk);
      for (int64_t i = 0; i < a.length(); ++i) ids.push_back(a.Value(i));
    }
  }
  return ids;
}

std::string CommitPath(const std::string& root, const std::string& table, int64_t version) {
  return fmt::format("{}/{}/_delta_log/{:020d}.json", root, table, version);
}

}  // namespace pizzastream::testing
