// Stages read the lake's text columns plain or dictionary-encoded; a row's text is the same.
#include "lake/text_column.h"

#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

namespace pizzastream::lake {
namespace {

std::shared_ptr<arrow::Array> Json(const std::shared_ptr<arrow::DataType>& type,
                                   const std::string& json) {
  return arrow::json::ArrayFromJSONString(type, json).ValueOrDie();
}

TEST(TextColumn, PlainAndDictionaryColumnsGiveTheSameRowsAlsoWhenSliced) {
  const auto plain = Json(arrow::utf8(), R"(["Classic", null, "Veggie", "Classic", ""])");
  const auto dict = arrow::DictionaryArray::FromArrays(
                        arrow::dictionary(arrow::int32(), arrow::utf8()),
                        Json(arrow::int32(), "[1, null, 2, 1, 0]"),
                        Json(arrow::utf8(), R"(["", "Classic", "Veggie", "Supreme pizza"])"))
                        .ValueOrDie();
  for (int64_t offset : {0, 2}) {
    const auto a = plain->Slice(offset), b = dict->Slice(offset);
    const TextColumn pc = TextColumn::Of(*a).ValueOrDie(), dc = TextColumn::Of(*b).ValueOrDie();
    for (int64_t row = 0; row < a->length(); ++row) {
      EXPECT_EQ(pc.Get(row), dc.Get(row)) << "offset " << offset << " row " << row;
    }
    EXPECT_EQ(dc.Get(0), offset == 0 ? std::optional<std::string_view>("Classic")
                                     : std::optional<std::string_view>("Veggie"));
  }
  EXPECT_FALSE(TextColumn::Of(*plain).ValueOrDie().Get(1).has_value());
}

TEST(TextColumn, OtherTypesAreRefused) {
  const auto numbers = Json(arrow::int32(), "[1]");
  const auto wide = arrow::DictionaryArray::FromArrays(
                        arrow::dictionary(arrow::int8(), arrow::utf8()), Json(arrow::int8(), "[0]"),
                        Json(arrow::utf8(), R"(["a"])"))
                        .ValueOrDie();
  EXPECT_TRUE(TextColumn::Of(*numbers).status().IsTypeError());
  EXPECT_TRUE(TextColumn::Of(*wide).status().IsTypeError());
  // A null among a dictionary's values (a null row is a null index).
  const auto null_value =
      arrow::DictionaryArray::FromArrays(arrow::dictionary(arrow::int32(), arrow::utf8()),
                                         Json(arrow::int32(), "[0]"), Json(arrow::utf8(), "[null]"))
          .ValueOrDie();
  EXPECT_TRUE(TextColumn::Of(*null_value).status().IsTypeError());
}

TEST(TextColumn, BoundsTheTextOfRowsAndGivesTheBytesToCheck) {
  const auto plain = Json(arrow::utf8(), R"(["ab", "cde", null, "f"])");
  const TextColumn pc = TextColumn::Of(*plain).ValueOrDie();
  EXPECT_FALSE(pc.dictionary());
  EXPECT_EQ(pc.Bytes(1, 4), "cdef");  // the rows' text, exactly
  EXPECT_EQ(pc.TextBytesAtMost(1, 4), 4);
  const auto sliced = plain->Slice(1);
  EXPECT_EQ(TextColumn::Of(*sliced).ValueOrDie().Bytes(0, 2), "cde");
  const auto dict =
      arrow::DictionaryArray::FromArrays(arrow::dictionary(arrow::int32(), arrow::utf8()),
                                         Json(arrow::int32(), "[1, 2, null, 0]"),
                                         Json(arrow::utf8(), R"(["f", "ab", "cde", "unused"])"))
          .ValueOrDie();
  const TextColumn dc = TextColumn::Of(*dict).ValueOrDie();
  EXPECT_TRUE(dc.dictionary());
  EXPECT_EQ(dc.Bytes(1, 2), "fabcdeunused");   // every value a row can take
  EXPECT_EQ(dc.TextBytesAtMost(1, 4), 3 * 6);  // rows x the longest value
  EXPECT_EQ(dc.TextBytesAtMost(2, 2), 0);
}

}  // namespace
}  // namespace pizzastream::lake
