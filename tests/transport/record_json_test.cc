// The topic's hot-path JSON string escaper (the one hand-written JSON writer; everything off
// the hot path uses nlohmann): whatever the text, a JSON parser reads back exactly the bytes
// that went in, and the escapes are the short ones where JSON has them.
#include "transport/record_json.h"

#include <arrow/builder.h>
#include <arrow/compute/api.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "lake/arrow_compute.h"

namespace pizzastream::transport {
namespace {

std::string Escaped(std::string_view text) {
  std::string out = "prefix:";  // appends, never overwrites
  AppendJsonString(text, &out);
  EXPECT_EQ(out.rfind("prefix:", 0), 0u);
  return out.substr(7);
}

TEST(RecordJson, EveryStringReadsBackExactly) {
  std::string every_control;
  for (int c = 0; c < 0x20; ++c) every_control.push_back(static_cast<char>(c));
  for (const std::string& text :
       {std::string(""), std::string("The Hawaiian Pizza"), std::string("say \"cheese\""),
        std::string("back\\slash"), std::string("tab\there, line\nthere\r"), every_control,
        std::string("Pepperoni, Mushrooms, Red Onions, \xC3\xA9t\xC3\xA9 \xE2\x82\xAC"),
        std::string("end\\")}) {
    const std::string json = Escaped(text);
    EXPECT_EQ(nlohmann::json::parse(json).get<std::string>(), text) << json;
  }
}

TEST(RecordJson, UsesTheShortEscapesAndHexForOtherControls) {
  EXPECT_EQ(Escaped("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Escaped("\n\r\t"), R"("\n\r\t")");
  EXPECT_EQ(Escaped(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
  EXPECT_EQ(Escaped("\xC3\xA9"), "\"\xC3\xA9\"");  // UTF-8 passes through
}

TEST(RecordJson, NeedsJsonEscapeFindsEveryEscapedByteAtEveryPosition) {
  EXPECT_FALSE(NeedsJsonEscape(""));
  // Bytes JSON passes through, UTF-8 and DEL included, never count.
  std::string plain;
  for (int c = 0x20; c < 0x100; ++c) {
    if (c != '"' && c != '\\') plain.push_back(static_cast<char>(c));
  }
  EXPECT_FALSE(NeedsJsonEscape(plain));
  for (int c : {0x00, 0x01, 0x0a, 0x1f, int{'"'}, int{'\\'}}) {
    for (size_t at = 0; at < 600; ++at) {  // in the blocks, at their edges, in the tail
      std::string text(600, 'a');
      text[at] = static_cast<char>(c);
      EXPECT_TRUE(NeedsJsonEscape(text)) << c << " at " << at;
    }
  }
}

// A batch of the source schema whose column c holds rows[r][c] (nullopt: null).
std::shared_ptr<arrow::RecordBatch> Batch(
    const std::vector<std::vector<std::optional<std::string>>>& rows) {
  arrow::ArrayVector columns;
  for (size_t c = 0; c < sources::kSourceColumns.size(); ++c) {
    arrow::StringBuilder builder;
    for (const auto& row : rows) {
      EXPECT_TRUE((row[c] ? builder.Append(*row[c]) : builder.AppendNull()).ok());
    }
    columns.push_back(builder.Finish().ValueOrDie());
  }
  return arrow::RecordBatch::Make(sources::SourceSchema(), static_cast<int64_t>(rows.size()),
                                  columns);
}

// The wire form spelled out field by field: {"name":"text",...} without the null fields.
std::string Expected(const std::vector<std::optional<std::string>>& row) {
  std::string out = "{";
  for (size_t c = 0; c < row.size(); ++c) {
    if (!row[c]) continue;
    if (out.size() > 1) out += ",";
    out += std::string("\"") + sources::kSourceColumns[c] + "\":";
    AppendJsonString(*row[c], &out);
  }
  return out + "}";
}

TEST(RecordJson, AColumnOfAnotherTypeIsAnError) {
  arrow::Int64Builder numbers;
  ASSERT_TRUE(numbers.Append(7).ok());
  const auto batch = arrow::RecordBatch::Make(arrow::schema({arrow::field("n", arrow::int64())}), 1,
                                              {numbers.Finish().ValueOrDie()});
  const SourceColumns columns(*batch);
  EXPECT_FALSE(columns.status().ok());
}

TEST(RecordJson, RecordsAreTheFieldsInColumnOrderWithNullsLeftOut) {
  using Row = std::vector<std::optional<std::string>>;
  Row plain, escaped, nulls, all_null(sources::kSourceColumns.size());
  for (size_t c = 0; c < sources::kSourceColumns.size(); ++c) {
    plain.push_back("v" + std::to_string(c) + ", \xC3\xA9");
    escaped.push_back(c % 2 == 0 ? "say \"hi\"\n" : "plain");
    nulls.push_back(c % 3 == 0 ? std::nullopt : std::optional<std::string>("x"));
  }
  // Alone, each row's columns are plain or not; together, every column needs escapes somewhere.
  for (const std::vector<Row>& rows : std::vector<std::vector<Row>>{
           {plain}, {escaped}, {nulls}, {all_null}, {plain, escaped, nulls, all_null}}) {
    const auto batch = Batch(rows);
    const SourceColumns columns(*batch);
    std::string out = "prefix:";
    const size_t before = out.size();
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      const size_t start = out.size();
      AppendRecordJson(columns, r, &out);
      EXPECT_EQ(out.substr(start), Expected(rows[r]));
      EXPECT_NO_THROW(nlohmann::json::parse(out.substr(start)));
    }
    EXPECT_LE(out.size() - before, columns.JsonBytesAtMost(0, batch->num_rows()));
    // Every field a dictionary of utf8 (as the generator sends its menu fields): the same
    // records.
    EXPECT_TRUE(lake::InitializeCompute().ok());
    arrow::ArrayVector encoded;
    arrow::FieldVector fields;
    for (const auto& column : batch->columns()) {
      encoded.push_back(arrow::compute::DictionaryEncode(column).ValueOrDie().make_array());
      fields.push_back(arrow::field("f" + std::to_string(fields.size()), encoded.back()->type()));
    }
    const auto dictionaries =
        arrow::RecordBatch::Make(arrow::schema(fields), batch->num_rows(), encoded);
    const SourceColumns from_dictionaries(*dictionaries);
    ASSERT_TRUE(from_dictionaries.status().ok()) << from_dictionaries.status().ToString();
    std::string records;
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::string record;
      AppendRecordJson(from_dictionaries, r, &record);
      EXPECT_EQ(record, Expected(rows[r]));
      records += record;
    }
    EXPECT_LE(records.size(), from_dictionaries.JsonBytesAtMost(0, batch->num_rows()));
    for (int64_t from = 0; from < dictionaries->num_rows(); ++from) {  // sliced, at each row
      const SourceColumns sliced(*dictionaries->Slice(from));
      std::string record;
      AppendRecordJson(sliced, 0, &record);
      EXPECT_EQ(record, Expected(rows[from]));
    }
    // A slice of the batch (its arrays start inside their buffers) gives the same records.
    if (batch->num_rows() < 2) continue;
    const auto slice = batch->Slice(1);
    const SourceColumns sliced(*slice);
    for (int64_t r = 0; r < slice->num_rows(); ++r) {
      std::string record;
      AppendRecordJson(sliced, r, &record);
      EXPECT_EQ(record, Expected(rows[r + 1]));
    }
  }
}

}  // namespace
}  // namespace pizzastream::transport
