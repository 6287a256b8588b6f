// OrderLineRows reserves a batch's text ahead, as many bytes per row as the last batch had,
// but never more than the caller says the rows can hold: a batch of a few huge messages must
// not make the next batch of many small ones reserve gigabytes.
#include "bronze/order_line_rows.h"

#include <arrow/memory_pool.h>
#include <gtest/gtest.h>

#include <array>
#include <string>

namespace pizzastream::bronze {
namespace {

Status AddRow(OrderLineRows& rows, const std::string& text, int64_t offset) {
  std::array<std::string_view, OrderLineRows::kFields> fields;
  std::array<bool, OrderLineRows::kFields> present;
  fields.fill(text);
  present.fill(true);
  return rows.Add(fields, present, 0, "pizza_sales", 0, offset);
}

TEST(OrderLineRows, TextIsReservedAheadNoFurtherThanTheRowsCanHold) {
  OrderLineRows rows;
  // Two rows of 1 MiB in every field: the last batch had 1 MiB a row.
  const std::string huge(1 << 20, 'x');
  ASSERT_TRUE(rows.Reserve(2, 2 * static_cast<int64_t>(huge.size())).ok());
  ASSERT_TRUE(AddRow(rows, huge, 0).ok());
  ASSERT_TRUE(AddRow(rows, huge, 1).ok());
  ASSERT_TRUE(rows.Finish().ok());

  // A thousand small rows (64 KiB of messages): at 1 MiB a row that would be 1 GiB a field.
  arrow::MemoryPool* pool = arrow::default_memory_pool();
  const int64_t before = pool->bytes_allocated();
  ASSERT_TRUE(rows.Reserve(1000, 64 << 10).ok());
  const int64_t reserved = pool->bytes_allocated() - before;
  EXPECT_LT(reserved, 16 << 20) << reserved << " bytes reserved";
  for (int64_t i = 0; i < 1000; ++i) ASSERT_TRUE(AddRow(rows, "small", i).ok());
  auto batch = rows.Finish();
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ((*batch)->num_rows(), 1000);
}

}  // namespace
}  // namespace pizzastream::bronze
