// How gold batches become COPY text cells for the PostgreSQL warehouse (no server needed).
#include "warehouse/postgres_copy_cells.h"

#include <arrow/builder.h>
#include <gtest/gtest.h>

#include <array>

namespace pizzastream::warehouse {
namespace {

template <typename Builder, typename... Values>
std::shared_ptr<arrow::Array> ArrayOf(std::shared_ptr<arrow::DataType> type, Values... values) {
  Builder builder(type, arrow::default_memory_pool());
  (
      [&] {
        if constexpr (std::is_same_v<Values, std::nullptr_t>) {
          EXPECT_TRUE(builder.AppendNull().ok());
        } else {
          EXPECT_TRUE(builder.Append(values).ok());
        }
      }(),
      ...);
  return *builder.Finish();
}

std::vector<std::vector<std::string>> Cells(const std::shared_ptr<arrow::RecordBatch>& batch) {
  auto cells = CopyCells::Make(batch);
  EXPECT_TRUE(cells.ok()) << cells.status().ToString();
  std::vector<std::vector<std::string>> out;
  std::vector<const char*> row(batch->num_columns());
  for (int64_t r = 0; r < batch->num_rows(); ++r) {
    cells->Row(r, row.data());
    std::vector<std::string> texts;
    for (const char* cell : row) texts.push_back(cell == nullptr ? "<NULL>" : cell);
    out.push_back(texts);
  }
  return out;
}

TEST(PostgresCopyCellsTest, FormatsEveryGoldTypeExactly) {
  auto schema = arrow::schema(
      {arrow::field("i32", arrow::int32()), arrow::field("i64", arrow::int64()),
       arrow::field("d", arrow::date32()), arrow::field("m", arrow::decimal128(10, 2)),
       arrow::field("s", arrow::utf8())});
  auto batch = arrow::RecordBatch::Make(
      schema, 4,
      {ArrayOf<arrow::Int32Builder>(arrow::int32(), -7, 0, 2147483647, nullptr),
       ArrayOf<arrow::Int64Builder>(arrow::int64(), int64_t{-9223372036854775807 - 1}, int64_t{1},
                                    int64_t{4294967295}, nullptr),
       ArrayOf<arrow::Date32Builder>(arrow::date32(), 16436, 0, 10956, nullptr),
       ArrayOf<arrow::Decimal128Builder>(arrow::decimal128(10, 2), arrow::Decimal128(81786005),
                                         arrow::Decimal128(-5), arrow::Decimal128(1300), nullptr),
       ArrayOf<arrow::StringBuilder>(arrow::utf8(), std::string("tab\there"), std::string(""),
                                     std::string("Caf\xc3\xa9 \\N"), nullptr)});
  const auto cells = Cells(batch);
  ASSERT_EQ(cells.size(), 4u);
  EXPECT_EQ(cells[0], (std::vector<std::string>{"-7", "-9223372036854775808", "2015-01-01",
                                                "817860.05", "tab\there"}));
  EXPECT_EQ(cells[1], (std::vector<std::string>{"0", "1", "1970-01-01", "-0.05", ""}));
  EXPECT_EQ(cells[2], (std::vector<std::string>{"2147483647", "4294967295", "1999-12-31", "13.00",
                                                "Caf\xc3\xa9 \\N"}));
  EXPECT_EQ(cells[3], std::vector<std::string>(5, "<NULL>"));
}

TEST(PostgresCopyCellsTest, DecimalsBeyondInt64KeepEveryDigit) {
  auto type = arrow::decimal128(38, 2);
  arrow::Decimal128 huge = *arrow::Decimal128::FromString("12345678901234567890123.45");
  auto batch = arrow::RecordBatch::Make(arrow::schema({arrow::field("m", type)}), 1,
                                        {ArrayOf<arrow::Decimal128Builder>(type, huge)});
  EXPECT_EQ(Cells(batch)[0][0], "12345678901234567890123.45");
}

TEST(PostgresCopyCellsTest, RefusesNulInTextAndUnknownTypes) {
  auto with_nul = arrow::RecordBatch::Make(
      arrow::schema({arrow::field("s", arrow::utf8())}), 1,
      {ArrayOf<arrow::StringBuilder>(arrow::utf8(), std::string("a\0b", 3))});
  EXPECT_TRUE(CopyCells::Make(with_nul).status().IsInvalid());
  auto floats = arrow::RecordBatch::Make(arrow::schema({arrow::field("f", arrow::float64())}), 1,
                                         {ArrayOf<arrow::DoubleBuilder>(arrow::float64(), 1.5)});
  EXPECT_TRUE(CopyCells::Make(floats).status().IsTypeError());
}

}  // namespace
}  // namespace pizzastream::warehouse
