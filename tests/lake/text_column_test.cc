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
}

}  // namespace
}  // namespace pizzastream::lake
