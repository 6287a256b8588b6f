#include "sources/menu.h"

#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <set>
#include <string>
#include <utility>

namespace pizzastream::sources {
namespace {

int64_t Cents(std::string_view pizza_name_id) {
  const MenuItem* item = FindMenuItem(pizza_name_id);
  return item ? item->unit_price_cents : -1;
}

TEST(Menu, Has32TypesAnd91Items) {
  EXPECT_EQ(PizzaTypes().size(), 32u);
  EXPECT_EQ(MenuItems().size(), 91u);
  std::set<std::string_view> ids;
  for (const MenuItem& item : MenuItems()) ids.insert(item.pizza_name_id);
  EXPECT_EQ(ids.size(), 91u);
}

TEST(Menu, ItemIdIsTypeIdPlusLowercaseSize) {
  for (const MenuItem& item : MenuItems()) {
    std::string size(item.size);
    for (char& c : size) c = static_cast<char>(std::tolower(c));
    EXPECT_EQ(item.pizza_name_id, std::string(PizzaTypes()[item.type].base_id) + "_" + size);
    EXPECT_TRUE(item.size == "S" || item.size == "M" || item.size == "L" || item.size == "XL" ||
                item.size == "XXL")
        << item.size;
  }
}

TEST(Menu, PricesAreTheRealOnes) {
  EXPECT_EQ(Cents("hawaiian_m"), 1325);
  EXPECT_EQ(Cents("classic_dlx_m"), 1600);
  EXPECT_EQ(Cents("five_cheese_l"), 1850);
  EXPECT_EQ(Cents("four_cheese_l"), 1795);
  EXPECT_EQ(Cents("pepperoni_s"), 975);
  EXPECT_EQ(Cents("brie_carre_s"), 2365);
  EXPECT_EQ(Cents("thai_ckn_l"), 2075);
  EXPECT_EQ(Cents("the_greek_xl"), 2550);
  EXPECT_EQ(Cents("the_greek_xxl"), 3595);
  EXPECT_EQ(Cents("the_greek_xxxl"), -1);
  // Only the Greek pizza comes in XL and XXL.
  for (const MenuItem& item : MenuItems()) {
    if (item.size.size() > 1) {
      EXPECT_EQ(PizzaTypes()[item.type].base_id, "the_greek");
    }
  }
}

TEST(Menu, CategoriesAreTheRealOnes) {
  std::map<std::string_view, int> types_per_category;
  for (const PizzaType& type : PizzaTypes()) ++types_per_category[CategoryName(type.category)];
  EXPECT_EQ(types_per_category["Classic"], 8);
  EXPECT_EQ(types_per_category["Chicken"], 6);
  EXPECT_EQ(types_per_category["Supreme"], 9);
  EXPECT_EQ(types_per_category["Veggie"], 9);
  EXPECT_EQ(types_per_category.size(), 4u);
}

TEST(Menu, NamesAndIngredientsKeepCommasAndUtf8) {
  const MenuItem* item = FindMenuItem("pep_msh_pep_l");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(PizzaTypes()[item->type].name, "The Pepperoni, Mushroom, and Peppers Pizza");
  item = FindMenuItem("calabrese_m");
  ASSERT_NE(item, nullptr);
  // U+2018 LEFT SINGLE QUOTATION MARK, as in the data set, in UTF-8.
  EXPECT_EQ(
      PizzaTypes()[item->type].ingredients,
      "\xE2\x80\x98Nduja Salami, Pancetta, Tomatoes, Red Onions, Friggitello Peppers, Garlic");
  item = FindMenuItem("hawaiian_s");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(PizzaTypes()[item->type].ingredients, "Sliced Ham, Pineapple, Mozzarella Cheese");
}

TEST(Menu, PopularityCountsThe2015Lines) {
  int64_t lines = 0;
  for (const MenuItem& item : MenuItems()) {
    EXPECT_GT(item.lines_2015, 0) << item.pizza_name_id;
    lines += item.lines_2015;
  }
  EXPECT_EQ(lines, 48620);
  EXPECT_EQ(FindMenuItem("big_meat_s")->lines_2015, 1811);
  EXPECT_EQ(FindMenuItem("the_greek_xxl")->lines_2015, 28);
}

TEST(SalesProfile, MatchesThe2015Totals) {
  const SalesProfile& p = PizzaPlaceSalesProfile();
  const int64_t orders = std::accumulate(p.orders_by_hour.begin(), p.orders_by_hour.end(), 0LL);
  EXPECT_EQ(orders, 21350);
  // A histogram indexed by value: {count, sum of value x count}.
  auto count_and_sum = [](const auto& histogram) {
    std::pair<int64_t, int64_t> out{0, 0};
    for (size_t value = 0; value < histogram.size(); ++value) {
      out.first += histogram[value];
      out.second += static_cast<int64_t>(value) * histogram[value];
    }
    return out;
  };
  EXPECT_EQ(count_and_sum(p.orders_by_line_count), std::make_pair(int64_t{21350}, int64_t{48620}));
  EXPECT_EQ(count_and_sum(p.lines_by_quantity), std::make_pair(int64_t{48620}, int64_t{49574}));
  EXPECT_EQ(p.orders_per_day_x100, 5964);
  // Closed at night; lunch and dinner peaks; Friday busiest.
  for (int h = 0; h < 9; ++h) EXPECT_EQ(p.orders_by_hour[h], 0);
  EXPECT_GT(p.orders_by_hour[12], p.orders_by_hour[15]);
  EXPECT_GT(p.orders_by_hour[18], p.orders_by_hour[15]);
  const auto& wd = p.orders_per_day_by_weekday_x100;
  EXPECT_EQ(std::max_element(wd.begin(), wd.end()) - wd.begin(), 4);
}

}  // namespace
}  // namespace pizzastream::sources
