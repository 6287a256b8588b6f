// Lake files are checked against the expected schema by column name: equivalent Arrow types are
// converted, anything else is an error naming the table, file and column.
#include "lake/schema_conformance.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

namespace pizzastream::lake {
namespace {

std::shared_ptr<arrow::Schema> Expected() {
  return arrow::schema(
      {arrow::field("id", arrow::int64(), false), arrow::field("name", arrow::utf8()),
       arrow::field("price", arrow::decimal128(8, 2)), arrow::field("qty", arrow::int32())});
}

std::shared_ptr<arrow::Array> Json(const std::shared_ptr<arrow::DataType>& type,
                                   const std::string& json) {
  return arrow::json::ArrayFromJSONString(type, json).ValueOrDie();
}

std::shared_ptr<arrow::Table> Make(std::vector<std::shared_ptr<arrow::Field>> fields,
                                   std::vector<std::shared_ptr<arrow::Array>> columns) {
  return arrow::Table::Make(arrow::schema(fields), columns);
}

TEST(SchemaConformance, EquivalentTypesAreConvertedAndColumnsFoundByName) {
  // Another order, string_view and dictionary strings, narrower ints and decimals, an extra column.
  auto dict_type = arrow::dictionary(arrow::int8(), arrow::utf8());
  auto dict = arrow::DictionaryArray::FromArrays(dict_type, Json(arrow::int8(), "[0, 1, 0]"),
                                                 Json(arrow::utf8(), R"(["a", "b"])"))
                  .ValueOrDie();
  auto table =
      Make({arrow::field("qty", arrow::int64()), arrow::field("extra", arrow::boolean()),
            arrow::field("name", arrow::utf8_view()),
            arrow::field("price", arrow::decimal128(5, 2)), arrow::field("id", arrow::int32())},
           {Json(arrow::int64(), "[1, 2, 3]"), Json(arrow::boolean(), "[true, false, true]"),
            Json(arrow::utf8_view(), R"(["x", "y", null])"),
            Json(arrow::decimal128(5, 2), R"(["1.25", "999.99", "0.00"])"),
            Json(arrow::int32(), "[7, 8, 9]")});
  auto out = ConformTable(table, Expected(), "t file f").ValueOrDie();
  ASSERT_TRUE(out->schema()->Equals(*Expected()));
  auto flat = out->CombineChunksToBatch().ValueOrDie();
  EXPECT_TRUE(flat->column(0)->Equals(*Json(arrow::int64(), "[7, 8, 9]")));
  EXPECT_TRUE(flat->column(1)->Equals(*Json(arrow::utf8(), R"(["x", "y", null])")));
  EXPECT_TRUE(
      flat->column(2)->Equals(*Json(arrow::decimal128(8, 2), R"(["1.25", "999.99", "0.00"])")));
  EXPECT_TRUE(flat->column(3)->Equals(*Json(arrow::int32(), "[1, 2, 3]")));

  auto with_dict =
      Make({arrow::field("id", arrow::int64(), false), arrow::field("name", dict_type)},
           {Json(arrow::int64(), "[1, 2, 3]"), dict});
  auto decoded = ConformTable(with_dict, Expected(), "t file f").ValueOrDie();
  EXPECT_TRUE(decoded->column(1)->chunk(0)->Equals(*Json(arrow::utf8(), R"(["a", "b", "a"])")));
  // Missing nullable columns read as nulls.
  EXPECT_EQ(decoded->column(3)->null_count(), 3);
  auto large = Make({arrow::field("id", arrow::int64()), arrow::field("name", arrow::large_utf8())},
                    {Json(arrow::int64(), "[1]"), Json(arrow::large_utf8(), R"(["z"])")});
  EXPECT_TRUE(ConformTable(large, Expected(), "t file f").ok());
}

TEST(SchemaConformance, AnythingElseIsAnErrorNamingTableFileAndColumn) {
  struct Case {
    std::shared_ptr<arrow::Table> table;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {Make({arrow::field("id", arrow::utf8())}, {Json(arrow::utf8(), R"(["1"])")}),
       "column 'id' has type string, expected int64"},
      {Make({arrow::field("name", arrow::utf8())}, {Json(arrow::utf8(), R"(["a"])")}),
       "required column 'id' is missing"},
      {Make({arrow::field("id", arrow::int64())}, {Json(arrow::int64(), "[1, null]")}),
       "required column 'id' holds 1 null"},
      {Make({arrow::field("id", arrow::int64()), arrow::field("qty", arrow::int64())},
            {Json(arrow::int64(), "[1]"), Json(arrow::int64(), "[3000000000]")}),
       "column 'qty' (int64) does not fit int32"},
      {Make({arrow::field("id", arrow::int64()), arrow::field("price", arrow::decimal128(12, 2))},
            {Json(arrow::int64(), "[1]"), Json(arrow::decimal128(12, 2), R"(["1234567890.00"])")}),
       "column 'price'"},
      {Make({arrow::field("id", arrow::int64()), arrow::field("price", arrow::decimal128(8, 3))},
            {Json(arrow::int64(), "[1]"), Json(arrow::decimal128(8, 3), R"(["1.250"])")}),
       "column 'price' has type decimal128(8, 3)"},
  };
  for (const auto& c : cases) {
    auto st = ConformTable(c.table, Expected(), "silver/x file part-1.parquet");
    ASSERT_FALSE(st.ok()) << c.expected;
    EXPECT_TRUE(st.status().IsInvalid());
    EXPECT_NE(st.status().message().find("silver/x file part-1.parquet"), std::string::npos);
    EXPECT_NE(st.status().message().find(c.expected), std::string::npos) << st.status().message();
  }
}

// A reader that asks for a dictionary of utf8 gets the file's dictionary, a plain utf8 column as
// it is (no hashing of every value), and any other text converted to the dictionary; the rows
// are the same text.
TEST(SchemaConformance, AReaderThatAsksForADictionaryGetsItOrPlainTextAsIs) {
  const auto wanted = arrow::dictionary(arrow::int32(), arrow::utf8());
  const auto expected = arrow::schema({arrow::field("name", wanted)});
  auto dict = arrow::DictionaryArray::FromArrays(wanted, Json(arrow::int32(), "[1, null, 0]"),
                                                 Json(arrow::utf8(), R"(["a", "b"])"))
                  .ValueOrDie();
  const auto plain = Json(arrow::utf8(), R"(["b", null, "a"])");
  for (const auto& column : std::vector<std::shared_ptr<arrow::Array>>{
           dict, plain, Json(arrow::large_utf8(), R"(["b", null, "a"])")}) {
    auto out =
        ConformTable(Make({arrow::field("name", column->type())}, {column}), expected, "t file f")
            .ValueOrDie();
    const auto& got = out->column(0)->chunk(0);
    if (column == plain) {
      EXPECT_EQ(got, plain);  // the very same array
      EXPECT_TRUE(out->schema()->field(0)->type()->Equals(*arrow::utf8()));
    } else {
      ASSERT_TRUE(out->schema()->Equals(*expected)) << column->type()->ToString();
    }
    auto decoded = arrow::compute::Cast(*got, arrow::utf8()).ValueOrDie();
    EXPECT_TRUE(decoded->Equals(*plain)) << decoded->ToString();
  }
  auto numbers = Make({arrow::field("name", arrow::int64())}, {Json(arrow::int64(), "[1]")});
  EXPECT_FALSE(ConformTable(numbers, expected, "t file f").ok());
}

TEST(SchemaConformance, EquivalenceIsAboutMeaningNotWidth) {
  EXPECT_TRUE(EquivalentTypes(*arrow::utf8_view(), *arrow::utf8()));
  EXPECT_TRUE(EquivalentTypes(*arrow::large_binary(), *arrow::binary()));
  EXPECT_TRUE(EquivalentTypes(*arrow::uint16(), *arrow::int32()));
  EXPECT_TRUE(EquivalentTypes(*arrow::timestamp(arrow::TimeUnit::NANO, "UTC"),
                              *arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")));
  EXPECT_FALSE(EquivalentTypes(*arrow::timestamp(arrow::TimeUnit::MICRO),
                               *arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")));
  EXPECT_FALSE(EquivalentTypes(*arrow::utf8(), *arrow::binary()));
  EXPECT_FALSE(EquivalentTypes(*arrow::float64(), *arrow::int64()));
  EXPECT_FALSE(EquivalentTypes(*arrow::decimal128(8, 3), *arrow::decimal128(8, 2)));
}

}  // namespace
}  // namespace pizzastream::lake
