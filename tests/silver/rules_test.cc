#include "silver/rules.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace pizzastream::silver {
namespace {

// A valid line; each test breaks one field.
RawFields ValidLine() {
  static const std::string kFields[] = {"1",
                                        "1",
                                        "hawaiian_m",
                                        "1",
                                        "1/1/2015",
                                        "11:38:36",
                                        "13.25",
                                        "13.25",
                                        "M",
                                        "Classic",
                                        "Sliced Ham, Pineapple",
                                        "The Hawaiian Pizza",
                                        "web"};
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

RawFields WithMoney(std::string_view quantity, std::string_view unit, std::string_view total) {
  RawFields raw = ValidLine();
  raw[sources::field::kQuantity] = quantity;
  raw[sources::field::kUnitPrice] = unit;
  raw[sources::field::kTotalPrice] = total;
  return raw;
}

TEST(SilverRules, MoneyThatDoesNotFitItsDecimalIsRejectedWithItsOwnRule) {
  // The largest values decimal(8,2) and decimal(10,2) hold pass; one cent more does not.
  EXPECT_EQ(Check(WithMoney("1", "999999.99", "999999.99")), Rule::kOk);
  EXPECT_EQ(Check(WithMoney("1", "1000000.00", "1000000.00")), Rule::kUnitPriceRange);
  EXPECT_EQ(Check(WithMoney("1", "99999999.99", "99999999.99")), Rule::kUnitPriceRange);
  EXPECT_EQ(Check(WithMoney("100", "999999.99", "99999999.00")), Rule::kOk);
  EXPECT_EQ(Check(WithMoney("1000", "100000.00", "100000000.00")), Rule::kTotalPriceRange);
  // The line: it made total_revenue -995117277.76 when it wrapped in Parquet.
  EXPECT_EQ(Check(WithMoney("100000", "99999.99", "9999999000.00")), Rule::kTotalPriceRange);
  EXPECT_EQ(RuleName(Rule::kUnitPriceRange), "unit_price_out_of_range");
  EXPECT_EQ(RuleName(Rule::kTotalPriceRange), "total_price_out_of_range");
}

TEST(SilverRules, TotalCheckCannotBeFooledByOverflow) {
  // 720575940379279.37 x 256 wraps to 2.56 in int64 cents; it must not match.
  CleanLine line;
  EXPECT_NE(Validate(WithMoney("256", "720575940379279.37", "2.56"), DateOrder::kDayFirst, &line),
            Rule::kOk);
  int64_t product = 0;
  EXPECT_FALSE(money::MultiplyCents(72057594037927937, 256, &product));
  EXPECT_TRUE(money::MultiplyCents(money::kMaxUnitCents, 1000000, &product));
  EXPECT_EQ(product, int64_t{99999999} * 1000000);
  int64_t sum = INT64_MAX - 1;
  EXPECT_FALSE(money::AddCents(2, &sum));
  EXPECT_EQ(sum, INT64_MAX - 1);
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

// One memo per input batch must change nothing. The texts come from one buffer, back to back,
// as a batch's rows share the bytes of their dictionary's entries: 800 prices of 5 characters
// (4 KB, twice what the memo's slots tell apart) and quantities a byte apart, so texts of one
// size meet in a slot. Good and broken texts come in random order, and every line gets the rule
// and the values it gets without a memo.
TEST(SilverRules, TextsParsedOnceInABatchGiveWhatParsingEachGives) {
  namespace f = sources::field;
  std::vector<std::string> quantities = {"1", "2", "3", "0", "1.5", "x", "1000001", " 2"};
  std::vector<std::string> prices;
  for (int k = 0; k < 800; ++k) {
    if (k % 7 == 3) {
      prices.push_back(fmt::format("{}.{:03}", k % 10, k));  // three decimals
    } else if (k % 11 == 5) {
      prices.push_back(fmt::format("-{}.{:02}", k % 10, k % 100));  // negative
    } else {
      prices.push_back(fmt::format("{}.{:02}", 10 + k % 90, k % 100));
    }
  }
  std::vector<std::string> dates = {"1/1/2015",  "31/02/2015", "2015-12-31",
                                    "1/13/2015", "2/1/2015",   "1.1.2015"};
  std::string buffer;
  std::vector<std::vector<std::string_view>> pools;
  for (const auto* texts : {&quantities, &prices, &dates}) {
    for (const auto& t : *texts) buffer += t;
  }
  size_t at = 0;
  for (const auto* texts : {&quantities, &prices, &dates}) {
    pools.emplace_back();
    for (const auto& t : *texts) {
      pools.back().push_back(std::string_view(buffer).substr(at, t.size()));
      at += t.size();
    }
  }
  std::mt19937 random(7);
  auto pick = [&](size_t pool) { return pools[pool][random() % pools[pool].size()]; };
  FieldMemo memo;
  std::map<Rule, int> seen;
  for (int i = 0; i < 20000; ++i) {
    RawFields raw = ValidLine();
    raw[f::kQuantity] = pick(0);
    raw[f::kUnitPrice] = pick(1);
    raw[f::kTotalPrice] = i % 2 == 0 ? pick(1) : *raw[f::kUnitPrice];
    if (i % 4 == 1) raw[f::kQuantity] = pools[0][0];  // "1": the total matches
    raw[f::kOrderDate] = pick(2);
    CleanLine parsed, memoised;
    const Rule rule = Validate(raw, DateOrder::kDayFirst, &parsed);
    ASSERT_EQ(Validate(raw, DateOrder::kDayFirst, &memoised, &memo), rule)
        << "line " << i << ": " << *raw[f::kQuantity] << " x " << *raw[f::kUnitPrice] << " = "
        << *raw[f::kTotalPrice] << " on " << *raw[f::kOrderDate];
    ++seen[rule];
    if (rule != Rule::kOk) continue;
    ASSERT_EQ(memoised.quantity, parsed.quantity) << "line " << i;
    ASSERT_EQ(memoised.unit_cents, parsed.unit_cents) << "line " << i;
    ASSERT_EQ(memoised.total_cents, parsed.total_cents) << "line " << i;
    ASSERT_EQ(memoised.order_date, parsed.order_date) << "line " << i;
  }
  for (Rule r : {Rule::kOk, Rule::kQuantity, Rule::kUnitPrice, Rule::kTotalPrice, Rule::kOrderDate,
                 Rule::kTotalMismatch}) {
    EXPECT_GT(seen[r], 0) << RuleName(r);
  }
}

TEST(SilverRules, RuleNamesAreDistinct) {
  std::set<std::string_view> names;
  for (int r = 0; r <= static_cast<int>(Rule::kTotalMismatch); ++r) {
    EXPECT_TRUE(names.insert(RuleName(static_cast<Rule>(r))).second);
  }
}

}  // namespace
}  // namespace pizzastream::silver
