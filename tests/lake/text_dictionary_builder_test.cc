// A dictionary text column holds each distinct text once, whatever bytes the rows' texts were
// seen in, and starts a new dictionary after each Finish.
#include "lake/text_dictionary_builder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lake/text_column.h"

namespace pizzastream::lake {
namespace {

std::vector<std::string> Rows(const arrow::Array& array) {
  const TextColumn column = TextColumn::Of(array).ValueOrDie();
  std::vector<std::string> rows;
  for (int64_t i = 0; i < array.length(); ++i) rows.emplace_back(*column.Get(i));
  return rows;
}

int64_t DictionaryLength(const arrow::Array& array) {
  return static_cast<const arrow::DictionaryArray&>(array).dictionary()->length();
}

TEST(TextDictionaryBuilder, EachDistinctTextIsStoredOnceWhereverItsBytesLie) {
  // The same texts in separate buffers, and one text as a prefix of another's bytes.
  const std::string a1 = "Classic", a2 = "Classic", b = "Classic Deluxe", empty;
  TextDictionaryBuilder builder;
  ASSERT_TRUE(builder.Reserve(8).ok());
  for (std::string_view text : {std::string_view(a1), std::string_view(b), std::string_view(a2),
                                std::string_view(b).substr(0, 7), std::string_view(a1),
                                std::string_view(empty), std::string_view(b)}) {
    ASSERT_TRUE(builder.Append(text).ok());
  }
  EXPECT_EQ(builder.length(), 7);
  const auto array = builder.Finish().ValueOrDie();
  ASSERT_TRUE(array->type()->Equals(*TextDictionaryBuilder::Type()));
  EXPECT_TRUE(array->ValidateFull().ok());
  EXPECT_EQ(Rows(*array), (std::vector<std::string>{"Classic", "Classic Deluxe", "Classic",
                                                    "Classic", "Classic", "", "Classic Deluxe"}));
  EXPECT_EQ(DictionaryLength(*array), 3);
}

TEST(TextDictionaryBuilder, BytesReusedForAnotherTextAreLookedUpAgainOnceForgotten) {
  // An input batch's buffer freed and reused by the next one: same address, other text.
  std::string buffer = "Small";
  TextDictionaryBuilder builder;
  ASSERT_TRUE(builder.Reserve(4).ok());
  ASSERT_TRUE(builder.Append(buffer).ok());
  builder.ForgetAddresses();
  buffer[0] = 'X';
  ASSERT_TRUE(builder.Append(buffer).ok());
  const auto array = builder.Finish().ValueOrDie();
  EXPECT_EQ(Rows(*array), (std::vector<std::string>{"Small", "Xmall"}));
}

TEST(TextDictionaryBuilder, AFinishedColumnLeavesTheNextOneAFreshDictionary) {
  const std::string first = "Veggie", second = "Supreme";
  TextDictionaryBuilder builder;
  ASSERT_TRUE(builder.Reserve(3).ok());
  ASSERT_TRUE(builder.Append(first).ok());
  ASSERT_TRUE(builder.Append(second).ok());
  ASSERT_TRUE(builder.Append(first).ok());
  EXPECT_EQ(DictionaryLength(*builder.Finish().ValueOrDie()), 2);
  ASSERT_TRUE(builder.Reserve(2).ok());
  ASSERT_TRUE(builder.Append(second).ok());  // same bytes as before: index 0 of a new dictionary
  ASSERT_TRUE(builder.Append(second).ok());
  const auto next = builder.Finish().ValueOrDie();
  EXPECT_TRUE(next->ValidateFull().ok());
  EXPECT_EQ(Rows(*next), (std::vector<std::string>{"Supreme", "Supreme"}));
  EXPECT_EQ(DictionaryLength(*next), 1);
}

TEST(TextDictionaryBuilder, TextThatHardlyRepeatsIsBuiltPlainPastTheDictionaryLimit) {
  // 3,000 distinct 1 KiB texts (3 MiB, past the 1 MiB limit), each row between two "Veggie"s.
  std::vector<std::string> texts;
  for (int i = 0; i < 3000; ++i) texts.push_back(std::to_string(i) + std::string(1024, '#'));
  const std::string veggie = "Veggie";
  TextDictionaryBuilder builder;
  ASSERT_TRUE(builder.Reserve(6001).ok());
  std::vector<std::string> expected;
  for (const auto& text : texts) {
    ASSERT_TRUE(builder.Append(veggie).ok());
    ASSERT_TRUE(builder.Append(text).ok());
    expected.push_back(veggie);
    expected.push_back(text);
  }
  ASSERT_TRUE(builder.Append(veggie).ok());
  expected.push_back(veggie);
  EXPECT_EQ(builder.length(), 6001);
  const auto array = builder.Finish().ValueOrDie();
  EXPECT_TRUE(array->type()->Equals(*arrow::utf8())) << array->type()->ToString();
  EXPECT_TRUE(array->ValidateFull().ok());
  EXPECT_EQ(Rows(*array), expected);

  // The next column starts as a dictionary again.
  ASSERT_TRUE(builder.Reserve(2).ok());
  ASSERT_TRUE(builder.Append(veggie).ok());
  ASSERT_TRUE(builder.Append(veggie).ok());
  const auto next = builder.Finish().ValueOrDie();
  EXPECT_TRUE(next->type()->Equals(*TextDictionaryBuilder::Type()));
  EXPECT_EQ(Rows(*next), (std::vector<std::string>{"Veggie", "Veggie"}));
}

TEST(TextDictionaryBuilder, ABatchOfItsColumnsIsTypedAsTheyAre) {
  const auto declared = arrow::schema(
      {arrow::field("id", arrow::int64(), false), arrow::field("name", arrow::utf8(), false)});
  const std::string name = "Calzone";
  TextDictionaryBuilder builder;
  ASSERT_TRUE(builder.Reserve(1).ok());
  ASSERT_TRUE(builder.Append(name).ok());
  arrow::Int64Builder ids;
  ASSERT_TRUE(ids.Append(7).ok());
  const auto batch = BatchWithDictionaries(
      declared, 1, {ids.Finish().ValueOrDie(), builder.Finish().ValueOrDie()});
  EXPECT_TRUE(batch->ValidateFull().ok()) << batch->ValidateFull().ToString();
  EXPECT_TRUE(batch->schema()->field(0)->Equals(*declared->field(0)));
  EXPECT_TRUE(batch->schema()->field(1)->type()->Equals(*TextDictionaryBuilder::Type()));
  EXPECT_EQ(batch->schema()->field(1)->name(), "name");
  EXPECT_FALSE(batch->schema()->field(1)->nullable());
}

}  // namespace
}  // namespace pizzastream::lake
