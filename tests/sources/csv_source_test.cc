#include "sources/csv_source.h"

#include <arrow/api.h>
#include <arrow/util/base64.h>
#include <gtest/gtest.h>

#include <map>

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

std::string Line(int id) {
  return std::to_string(id) + ",1,hawaiian_m,1,1/1/2015,11:38:36,13.25,13.25,M,Classic,x,y\n";
}

// Every record of the source, valid or malformed, by sequence: "ok:<pizza_id>" or the reason.
std::map<int64_t, std::string> BySequence(OrderSource& source) {
  std::map<int64_t, std::string> out;
  for (const auto& b : ReadAll(source)) {
    for (int64_t i = 0; i < b.records->num_rows(); ++i) {
      const int64_t seq = b.sequences.empty() ? b.first_sequence + i : b.sequences[i];
      EXPECT_TRUE(out.emplace(seq, "ok:" + Field(b, i, "pizza_id")).second) << seq;
    }
    for (const auto& bad : b.malformed) {
      EXPECT_TRUE(out.emplace(bad.sequence, bad.reason.substr(0, bad.reason.find(':'))).second);
    }
  }
  return out;
}

// Writes `text` as dir/name and opens it with small blocks and a small line limit.
std::unique_ptr<OrderSource> OpenSmall(const TempDir& dir, const std::string& name,
                                       const std::string& text, int64_t block_size,
                                       int64_t max_line_bytes) {
  WriteFile(dir / name, text);
  CsvSourceOptions options;
  options.path = dir / name;
  options.block_size = block_size;
  options.max_line_bytes = max_line_bytes;
  return OpenCsvSource(options).ValueOrDie();
}

TEST(CsvSource, ALineThatIsNotUtf8IsMalformedAndTheReplayGoesOn) {
  TempDir dir;
  const std::string latin1 =
      "2,1,hawaiian_m,1,1/1/2015,11:38:36,13.25,13.25,M,Classic,Jalape\xf1os,y";
  auto source = OpenCsv(dir, std::string(kHeader) + "\n" + Line(1) + latin1 + "\n" + Line(3));
  std::vector<MalformedRecord> malformed;
  int64_t rows = 0;
  for (const auto& b : ReadAll(*source)) {
    rows += b.records->num_rows();
    for (const auto& m : b.malformed) malformed.push_back(m);
  }
  EXPECT_EQ(rows, 2);
  ASSERT_EQ(malformed.size(), 1u);
  EXPECT_EQ(malformed[0].sequence, 1);
  EXPECT_EQ(malformed[0].reason.rfind("invalid_utf8", 0), 0u) << malformed[0].reason;
  // Lossless: the exact bytes, as base64 (valid text all the way to bronze).
  EXPECT_EQ(arrow::util::base64_decode(malformed[0].raw).ValueOrDie(), latin1);
}

TEST(CsvSource, ALineOfAnyLengthIsMalformedAndTheReplayGoesOn) {
  TempDir dir;
  // 2 MiB + 1 bytes in one field (quoted, with newlines), then a field-count error, then more.
  std::string huge = "2,1,hawaiian_m,1,1/1/2015,11:38:36,13.25,13.25,M,Classic,\"";
  huge.append(size_t{2} << 20, 'a');
  huge += "\nb\",y\n";
  const std::string text = std::string(kHeader) + "\n" + Line(1) + huge + "4,short\n" + Line(5) +
                           "\n" + Line(6);  // the empty line is skipped, as Arrow does
  auto source = OpenCsv(dir, text);
  const std::map<int64_t, std::string> expected = {
      {0, "ok:1"}, {1, "line_too_long"}, {2, "csv_field_count"}, {3, "ok:5"}, {4, "ok:6"}};
  EXPECT_EQ(BySequence(*source), expected);

  // The same numbering when a restarted producer skips ahead, and from a small block size.
  auto small = OpenSmall(dir, "b.csv", text, 64, 200);
  ASSERT_TRUE(small->SkipTo(2).ok());
  const std::map<int64_t, std::string> rest = {{2, "csv_field_count"}, {3, "ok:5"}, {4, "ok:6"}};
  EXPECT_EQ(BySequence(*small), rest);
}

TEST(CsvSource, CrLfQuotedNewlinesAndQuotesSplitLikeArrowAndAnOpenQuoteIsMalformed) {
  TempDir dir;
  const std::string text =
      std::string(kHeader) + "\r\n" +
      "1,1,hawaiian_m,1,1/1/2015,11:38:36,13.25,13.25,M,Classic,\"Ham,\r\n\"\"Pine\"\"\",y\r\n" +
      "\r\n" +  // an empty line
      "2,1,hawaiian_m,1,1/1/2015,11:38:36,13.25,13.25,M,Classic,ab\"c,y\r" +
      "3,1,hawaiian_m,1,1/1/2015,11:38:36,13.25,13.25,M,Classic,\"never closed,y\n" + Line(4);
  auto source = OpenSmall(dir, "a.csv", text, 1 << 20, 1 << 10);
  std::map<int64_t, std::string> seen;
  SourceBatch b;
  while (source->Next(&b).ValueOrDie()) {
    for (int64_t i = 0; i < b.records->num_rows(); ++i) {
      seen[b.sequences.empty() ? b.first_sequence + i : b.sequences[i]] =
          Field(b, i, "pizza_ingredients");
    }
    for (const auto& bad : b.malformed) seen[bad.sequence] = bad.reason.substr(0, 18);
  }
  // The open quote swallows the rest of the file, as it does for Arrow: one malformed record.
  const std::map<int64_t, std::string> expected = {
      {0, "Ham,\r\n\"Pine\""}, {1, "ab\"c"}, {2, "unterminated_quote"}};
  EXPECT_EQ(seen, expected);
}

TEST(CsvSource, ManyBadLinesAcrossBlocksKeepUniqueIncreasingSequences) {
  TempDir dir;
  std::string text = std::string(kHeader) + "\n";
  std::map<int64_t, std::string> expected;
  for (int i = 0; i < 3000; ++i) {
    if (i % 7 == 3) {
      text += "9,\xff\xfe,bad\n";
      expected[i] = "invalid_utf8";
    } else if (i % 11 == 5) {
      text += "9,short\n";
      expected[i] = "csv_field_count";
    } else {
      text += Line(i + 1);
      expected[i] = "ok:" + std::to_string(i + 1);
    }
  }
  EXPECT_EQ(BySequence(*OpenSmall(dir, "a.csv", text, 4096, 1024)), expected);
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
