#include "serve/sales_filter.h"

#include <gtest/gtest.h>

namespace pizzastream::serve {
namespace {

TEST(SalesFilterTest, ReadsEverySlicer) {
  const auto f = ParseSalesFilter({{"from", "2015-01-05"},
                                   {"to", "2015-02-28"},
                                   {"category", "Classic"},
                                   {"size", "XXL"},
                                   {"channel", "in_store"}})
                     .ValueOrDie();
  EXPECT_EQ(f.from_date_id, 20150105);
  EXPECT_EQ(f.to_date_id, 20150228);
  EXPECT_EQ(f.category, "Classic");
  EXPECT_EQ(f.size, "XXL");
  EXPECT_EQ(f.channel, "in_store");
  EXPECT_FALSE(ParseSalesFilter({}).ValueOrDie().category.has_value());
}

TEST(SalesFilterTest, RejectsWhatIsNotAFilter) {
  const std::vector<QueryParams> bad = {
      {{"from", "2015-02-29"}},  // not a leap year
      {{"from", "2016-13-01"}},
      {{"from", "2016-1-01"}},
      {{"from", "15-01-2016"}},
      {{"to", "2016-01-01T00:00"}},
      {{"from", "1899-12-31"}},
      {{"from", "2015-02-01"}, {"to", "2015-01-31"}},
      {{"category", ""}},
      {{"category", "Classic'--"}},
      {{"category", "a;b"}},
      {{"size", std::string(65, 'L')}},
      {{"channel", std::string("web\0", 4)}},
      {{"channel", "w\xc3\xa9"}},
      {{"size", "L"}, {"size", "M"}},
      {{"group", "day"}},
      {{"limit", "5"}},
  };
  for (const auto& params : bad) {
    auto r = ParseSalesFilter(params);
    EXPECT_TRUE(r.status().IsInvalid()) << params.begin()->first << "=" << params.begin()->second;
  }
  EXPECT_TRUE(ParseSalesFilter({{"from", "2016-02-29"}, {"to", "2016-02-29"}}).ok());
  EXPECT_TRUE(ParseSalesFilter({{"group", "day"}}, {"group"}).ok());
  EXPECT_TRUE(ParseSalesFilter({{"category", "Big Meat-2_x"}}).ok());
}

TEST(SalesFilterTest, ErrorMessagesEchoHostileValuesEscaped) {
  auto r = ParseSalesFilter({{"category", "<script>\n"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
  EXPECT_NE(r.status().message().find("\\x0a"), std::string::npos);
}

TEST(SalesFilterTest, GroupsByName) {
  for (auto g :
       {SalesGroup::kDay, SalesGroup::kMonth, SalesGroup::kHour, SalesGroup::kWeekday,
        SalesGroup::kPizza, SalesGroup::kCategory, SalesGroup::kSize, SalesGroup::kChannel}) {
    EXPECT_EQ(ParseSalesGroup(SalesGroupName(g)).ValueOrDie(), g);
  }
  EXPECT_TRUE(ParseSalesGroup("Day").status().IsInvalid());
  EXPECT_TRUE(ParseSalesGroup("").status().IsInvalid());
}

TEST(SalesFilterTest, DateIdsRoundTrip) {
  EXPECT_EQ(ParseDateId("2015-12-31").ValueOrDie(), 20151231);
  EXPECT_EQ(FormatDateId(20150105), "2015-01-05");
}

}  // namespace
}  // namespace pizzastream::serve
