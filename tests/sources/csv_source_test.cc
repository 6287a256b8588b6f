#include "sources/csv_source.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include "support/process.h"

namespace pizzastream::sources {
namespace {

using testing::TempDir;
using testing::WriteFile;

constexpr const char* kHeader =
    "pizza_id,order_id,pizza_name_id,quantity,order_date,order_time,unit_price,total_price,"
    "pizza_size,pizza_category,pizza_ingredients,pizza_name";

std::string Field(const SourceBatch& b, int64_t row, const char* column) {
  const auto& col = static_cast<const arrow::StringArray&>(*b.records->GetColumnByName(column));
  return col.IsNull(row) ? "<null>" : std::string(col.GetView(row));
}

// Writes `body` as dir/a.csv and opens it.
std::unique_ptr<OrderSource> OpenCsv(const TempDir& dir, const std::string& body) {
  WriteFile(dir / "a.csv", body);
  CsvSourceOptions options;
  options.path = dir / "a.csv";
  return OpenCsvSource(options).ValueOrDie();
}

std::vector<SourceBatch> ReadAll(OrderSource& source) {
  std::vector<SourceBatch> out;
  SourceBatch b;
  while (source.Next(&b).ValueOrDie()) out.push_back(b);
  return out;
}

TEST(CsvSource, ReadsQuotedCommasUtf8AndKeepsTextAsIs) {
  TempDir dir;
  auto source = OpenCsv(dir, std::string(kHeader) +
                                 "\n1,1,hawaiian_m,1.00,1/1/2015,11:38:36,13.25,13.25,M,Classic,"
                                 "\"Sliced Ham, Pineapple\",\"The Hawaiian, Pizza\"\n"
                                 "2,1,spin_pesto_l,1,13-01-2015,11:38:36,20.75,20.75,L,Veggie,"
                                 "\"Spinach, Art\xe2\x80\x99s Cheese\",The Spinach Pesto Pizza\n");
  auto batches = ReadAll(*source);
  ASSERT_EQ(batches.size(), 1u);
  const auto& b = batches[0];
  ASSERT_EQ(b.records->num_rows(), 2);
  EXPECT_EQ(Field(b, 0, "quantity"), "1.00");
  EXPECT_EQ(Field(b, 0, "pizza_ingredients"), "Sliced Ham, Pineapple");
  EXPECT_EQ(Field(b, 0, "pizza_name"), "The Hawaiian, Pizza");
  EXPECT_EQ(Field(b, 1, "pizza_ingredients"), "Spinach, Art\xe2\x80\x99s Cheese");
  EXPECT_EQ(Field(b, 1, "order_channel"), "<null>");  // 12-column file
  EXPECT_EQ(b.first_sequence, 0);
}

TEST(CsvSource, LinesWithTheWrongFieldCountBecomeMalformedRecordsInSequence) {
  TempDir dir;
  auto source = OpenCsv(dir, std::string(kHeader) +
                                 "\n1,1,hawaiian_m,1,1/1/2015,11:38:36,13.25,13.25,M,Classic,x,y\n"
                                 "2,short,line\n"
                                 "3,2,hawaiian_m,1,1/1/2015,11:38:36,13.25,13.25,M,Classic,x,y\n");
  auto batches = ReadAll(*source);
  ASSERT_EQ(batches.size(), 1u);
  const auto& b = batches[0];
  ASSERT_EQ(b.records->num_rows(), 2);
  ASSERT_EQ(b.malformed.size(), 1u);
  EXPECT_EQ(b.malformed[0].raw, "2,short,line");
  EXPECT_EQ(b.malformed[0].sequence, 1);
  EXPECT_NE(b.malformed[0].reason.find("expected 12 fields, got 3"), std::string::npos);
  EXPECT_EQ(b.sequences, (std::vector<int64_t>{0, 2}));
}

TEST(CsvSource, ReadsTheOptionalChannelColumnAndSkipsAhead) {
  TempDir dir;
  std::string text = std::string(kHeader) + ",order_channel\n";
  for (int i = 1; i <= 5; ++i) {
    text += std::to_string(i) + ",1,hawaiian_m,1,1/1/2015,11:38:36,13.25,13.25,M,Classic,x,y,web\n";
  }
  auto source = OpenCsv(dir, text);
  ASSERT_TRUE(source->SkipTo(3).ok());
  auto batches = ReadAll(*source);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].records->num_rows(), 2);
  EXPECT_EQ(batches[0].sequences.front(), 3);
  EXPECT_EQ(Field(batches[0], 0, "pizza_id"), "4");
  EXPECT_EQ(Field(batches[0], 0, "order_channel"), "web");
}

TEST(CsvSource, MissingRequiredColumnIsAClearError) {
  TempDir dir;
  WriteFile(dir / "a.csv", "pizza_id,order_id\n1,2\n");
  CsvSourceOptions options;
  options.path = dir / "a.csv";
  auto st = OpenCsvSource(options).status();
  EXPECT_TRUE(st.IsInvalid());
  EXPECT_NE(st.message().find("missing column 'pizza_name_id'"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace pizzastream::sources
