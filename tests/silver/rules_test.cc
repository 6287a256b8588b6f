#include "silver/rules.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace pizzastream::silver {
namespace {

// A valid line; each test breaks one field.
RawFields ValidLine() {
  static const std::string kFields[] = {"1", "1", "hawaiian_m", "1", "1/1/2015", "11:38:36", "13.25", "13.25", "M",
                                        "Classic", "Sliced Ham, Pineapple", "The Hawaiian Pizza", "web"};
  RawFields raw;
  for (size_t i = 0; i < raw.size(); ++i) raw[i] = kFields[i];
  return raw;
}

Rule Check(RawFields raw) {
  CleanLine line;
  return Validate(raw, DateOrder::kDayFirst, &line);
}

RawFields With(int column, std::optional<std::string_view> value) {
  RawFields raw = ValidLine();
  raw[column] = value;
  return raw;
}

TEST(SilverRules, AcceptsAValidLineAndTypesIt) {
  CleanLine line;
  ASSERT_EQ(Validate(ValidLine(), DateOrder::kDayFirst, &line), Rule::kOk);
  EXPECT_EQ(line.order_item_id, 1);
  EXPECT_EQ(line.unit_cents, 1325);
  EXPECT_EQ(line.total_cents, 1325);
  EXPECT_EQ(line.pizza_size, "M");
  EXPECT_EQ(line.order_channel, "web");
  EXPECT_EQ(line.order_seconds, 11 * 3600 + 38 * 60 + 36);
}

TEST(SilverRules, EachBrokenFieldNamesItsRule) {
  EXPECT_EQ(Check(With(0, std::nullopt)), Rule::kOrderItemId);
  EXPECT_EQ(Check(With(0, "0")), Rule::kOrderItemId);
  EXPECT_EQ(Check(With(0, "-3")), Rule::kOrderItemId);
  EXPECT_EQ(Check(With(1, "abc")), Rule::kOrderId);
  EXPECT_EQ(Check(With(2, "  ")), Rule::kPizzaNameId);
  EXPECT_EQ(Check(With(3, "0")), Rule::kQuantity);
  EXPECT_EQ(Check(With(3, "1.5")), Rule::kQuantity);
  EXPECT_EQ(Check(With(6, "13.255")), Rule::kUnitPrice);
  EXPECT_EQ(Check(With(6, "-1.00")), Rule::kUnitPrice);
  EXPECT_EQ(Check(With(7, "n/a")), Rule::kTotalPrice);
  EXPECT_EQ(Check(With(4, "30/02/2015")), Rule::kOrderDate);
  EXPECT_EQ(Check(With(5, "25:00:00")), Rule::kOrderTime);
  EXPECT_EQ(Check(With(8, "XXXL")), Rule::kPizzaSize);
  EXPECT_EQ(Check(With(12, "fax")), Rule::kOrderChannel);
  EXPECT_EQ(Check(With(7, "14.25")), Rule::kTotalMismatch);
}

TEST(SilverRules, NormalisesSizeChannelAndWholeNumbers) {
  RawFields raw = With(8, "xl");
  raw[3] = "2.00";
  raw[7] = "26.50";
  raw[12] = std::nullopt;
  CleanLine line;
  ASSERT_EQ(Validate(raw, DateOrder::kDayFirst, &line), Rule::kOk);
  EXPECT_EQ(line.pizza_size, "XL");
  EXPECT_EQ(line.quantity, 2);
  EXPECT_EQ(line.order_channel, "unknown");
}

TEST(SilverRules, RuleNamesAreDistinct) {
  std::set<std::string_view> names;
  for (int r = 0; r <= static_cast<int>(Rule::kTotalMismatch); ++r) {
    EXPECT_TRUE(names.insert(RuleName(static_cast<Rule>(r))).second);
  }
}

}  // namespace
}  // namespace pizzastream::silver
