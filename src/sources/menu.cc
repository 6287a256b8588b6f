#include "sources/menu.h"

#include <algorithm>

// Derived once from the public pizza_sales.csv (2015): names, categories, ingredients and
// prices as printed there; lines_2015 counts the item's order lines that year.
namespace pizzastream::sources {
namespace {

constexpr PizzaType kTypes[] = {
    {"bbq_ckn", "The Barbecue Chicken Pizza", PizzaCategory::kChicken,
     "Barbecued Chicken, Red Peppers, Green Peppers, Tomatoes, Red Onions, Barbecue Sauce"},
    {"big_meat", "The Big Meat Pizza", PizzaCategory::kClassic,
     "Bacon, Pepperoni, Italian Sausage, Chorizo Sausage"},
    {"brie_carre", "The Brie Carre Pizza", PizzaCategory::kSupreme,
     "Brie Carre Cheese, Prosciutto, Caramelized Onions, Pears, Thyme, Garlic"},
    {"calabrese", "The Calabrese Pizza", PizzaCategory::kSupreme,
     "\u2018Nduja Salami, Pancetta, Tomatoes, Red Onions, Friggitello Peppers, Garlic"},
    {"cali_ckn", "The California Chicken Pizza", PizzaCategory::kChicken,
     "Chicken, Artichoke, Spinach, Garlic, Jalapeno Peppers, Fontina Cheese, Gouda Cheese"},
    {"ckn_alfredo", "The Chicken Alfredo Pizza", PizzaCategory::kChicken,
     "Chicken, Red Onions, Red Peppers, Mushrooms, Asiago Cheese, Alfredo Sauce"},
    {"ckn_pesto", "The Chicken Pesto Pizza", PizzaCategory::kChicken,
     "Chicken, Tomatoes, Red Peppers, Spinach, Garlic, Pesto Sauce"},
    {"classic_dlx", "The Classic Deluxe Pizza", PizzaCategory::kClassic,
     "Pepperoni, Mushrooms, Red Onions, Red Peppers, Bacon"},
    {"five_cheese", "The Five Cheese Pizza", PizzaCategory::kVeggie,
     "Mozzarella Cheese, Provolone Cheese, Smoked Gouda Cheese, Romano Cheese, Blue Cheese, "
     "Garlic"},
    {"four_cheese", "The Four Cheese Pizza", PizzaCategory::kVeggie,
     "Ricotta Cheese, Gorgonzola Piccante Cheese, Mozzarella Cheese, Parmigiano Reggiano Cheese, "
     "Garlic"},
    {"green_garden", "The Green Garden Pizza", PizzaCategory::kVeggie,
     "Spinach, Mushrooms, Tomatoes, Green Olives, Feta Cheese"},
    {"hawaiian", "The Hawaiian Pizza", PizzaCategory::kClassic,
     "Sliced Ham, Pineapple, Mozzarella Cheese"},
    {"ital_cpcllo", "The Italian Capocollo Pizza", PizzaCategory::kClassic,
     "Capocollo, Red Peppers, Tomatoes, Goat Cheese, Garlic, Oregano"},
    {"ital_supr", "The Italian Supreme Pizza", PizzaCategory::kSupreme,
     "Calabrese Salami, Capocollo, Tomatoes, Red Onions, Green Olives, Garlic"},
    {"ital_veggie", "The Italian Vegetables Pizza", PizzaCategory::kVeggie,
     "Eggplant, Artichokes, Tomatoes, Zucchini, Red Peppers, Garlic, Pesto Sauce"},
    {"mediterraneo", "The Mediterranean Pizza", PizzaCategory::kVeggie,
     "Spinach, Artichokes, Kalamata Olives, Sun-dried Tomatoes, Feta Cheese, Plum Tomatoes, Red "
     "Onions"},
    {"mexicana", "The Mexicana Pizza", PizzaCategory::kVeggie,
     "Tomatoes, Red Peppers, Jalapeno Peppers, Red Onions, Cilantro, Corn, Chipotle Sauce, Garlic"},
    {"napolitana", "The Napolitana Pizza", PizzaCategory::kClassic,
     "Tomatoes, Anchovies, Green Olives, Red Onions, Garlic"},
    {"pep_msh_pep", "The Pepperoni, Mushroom, and Peppers Pizza", PizzaCategory::kClassic,
     "Pepperoni, Mushrooms, Green Peppers"},
    {"pepperoni", "The Pepperoni Pizza", PizzaCategory::kClassic, "Mozzarella Cheese, Pepperoni"},
    {"peppr_salami", "The Pepper Salami Pizza", PizzaCategory::kSupreme,
     "Genoa Salami, Capocollo, Pepperoni, Tomatoes, Asiago Cheese, Garlic"},
    {"prsc_argla", "The Prosciutto and Arugula Pizza", PizzaCategory::kSupreme,
     "Prosciutto di San Daniele, Arugula, Mozzarella Cheese"},
    {"sicilian", "The Sicilian Pizza", PizzaCategory::kSupreme,
     "Coarse Sicilian Salami, Tomatoes, Green Olives, Luganega Sausage, Onions, Garlic"},
    {"soppressata", "The Soppressata Pizza", PizzaCategory::kSupreme,
     "Soppressata Salami, Fontina Cheese, Mozzarella Cheese, Mushrooms, Garlic"},
    {"southw_ckn", "The Southwest Chicken Pizza", PizzaCategory::kChicken,
     "Chicken, Tomatoes, Red Peppers, Red Onions, Jalapeno Peppers, Corn, Cilantro, Chipotle "
     "Sauce"},
    {"spicy_ital", "The Spicy Italian Pizza", PizzaCategory::kSupreme,
     "Capocollo, Tomatoes, Goat Cheese, Artichokes, Peperoncini verdi, Garlic"},
    {"spin_pesto", "The Spinach Pesto Pizza", PizzaCategory::kVeggie,
     "Spinach, Artichokes, Tomatoes, Sun-dried Tomatoes, Garlic, Pesto Sauce"},
    {"spinach_fet", "The Spinach and Feta Pizza", PizzaCategory::kVeggie,
     "Spinach, Mushrooms, Red Onions, Feta Cheese, Garlic"},
    {"spinach_supr", "The Spinach Supreme Pizza", PizzaCategory::kSupreme,
     "Spinach, Red Onions, Pepperoni, Tomatoes, Artichokes, Kalamata Olives, Garlic, Asiago "
     "Cheese"},
    {"thai_ckn", "The Thai Chicken Pizza", PizzaCategory::kChicken,
     "Chicken, Pineapple, Tomatoes, Red Peppers, Thai Sweet Chilli Sauce"},
    {"the_greek", "The Greek Pizza", PizzaCategory::kClassic,
     "Kalamata Olives, Feta Cheese, Tomatoes, Garlic, Beef Chuck Roast, Red Onions"},
    {"veggie_veg", "The Vegetables + Vegetables Pizza", PizzaCategory::kVeggie,
     "Mushrooms, Tomatoes, Red Peppers, Green Peppers, Red Onions, Zucchini, Spinach, Garlic"},
};
constexpr MenuItem kItems[] = {
    {"bbq_ckn_s", 0, "S", 1275, 479},       {"bbq_ckn_m", 0, "M", 1675, 926},
    {"bbq_ckn_l", 0, "L", 2075, 967},       {"big_meat_s", 1, "S", 1200, 1811},
    {"brie_carre_s", 2, "S", 2365, 480},    {"calabrese_s", 3, "S", 1225, 99},
    {"calabrese_m", 3, "M", 1625, 554},     {"calabrese_l", 3, "L", 2025, 274},
    {"cali_ckn_s", 4, "S", 1275, 493},      {"cali_ckn_m", 4, "M", 1675, 914},
    {"cali_ckn_l", 4, "L", 2075, 895},      {"ckn_alfredo_s", 5, "S", 1275, 96},
    {"ckn_alfredo_m", 5, "M", 1675, 697},   {"ckn_alfredo_l", 5, "L", 2075, 187},
    {"ckn_pesto_s", 6, "S", 1275, 295},     {"ckn_pesto_m", 6, "M", 1675, 274},
    {"ckn_pesto_l", 6, "L", 2075, 392},     {"classic_dlx_s", 7, "S", 1200, 786},
    {"classic_dlx_m", 7, "M", 1600, 1159},  {"classic_dlx_l", 7, "L", 2050, 471},
    {"five_cheese_l", 8, "L", 1850, 1359},  {"four_cheese_m", 9, "M", 1475, 577},
    {"four_cheese_l", 9, "L", 1795, 1273},  {"green_garden_s", 10, "S", 1200, 593},
    {"green_garden_m", 10, "M", 1600, 300}, {"green_garden_l", 10, "L", 2025, 94},
    {"hawaiian_s", 11, "S", 1050, 1001},    {"hawaiian_m", 11, "M", 1325, 473},
    {"hawaiian_l", 11, "L", 1650, 896},     {"ital_cpcllo_s", 12, "S", 1200, 300},
    {"ital_cpcllo_m", 12, "M", 1600, 399},  {"ital_cpcllo_l", 12, "L", 2050, 715},
    {"ital_supr_s", 13, "S", 1250, 194},    {"ital_supr_m", 13, "M", 1650, 920},
    {"ital_supr_l", 13, "L", 2075, 735},    {"ital_veggie_s", 14, "S", 1275, 302},
    {"ital_veggie_m", 14, "M", 1675, 483},  {"ital_veggie_l", 14, "L", 2100, 190},
    {"mediterraneo_s", 15, "S", 1200, 288}, {"mediterraneo_m", 15, "M", 1600, 271},
    {"mediterraneo_l", 15, "L", 2025, 364}, {"mexicana_s", 16, "S", 1200, 160},
    {"mexicana_m", 16, "M", 1600, 452},     {"mexicana_l", 16, "L", 2025, 844},
    {"napolitana_s", 17, "S", 1200, 468},   {"napolitana_m", 17, "M", 1600, 426},
    {"napolitana_l", 17, "L", 2050, 557},   {"pep_msh_pep_s", 18, "S", 1100, 570},
    {"pep_msh_pep_m", 18, "M", 1450, 391},  {"pep_msh_pep_l", 18, "L", 1750, 381},
    {"pepperoni_s", 19, "S", 975, 739},     {"pepperoni_m", 19, "M", 1250, 918},
    {"pepperoni_l", 19, "L", 1525, 712},    {"peppr_salami_s", 20, "S", 1250, 318},
    {"peppr_salami_m", 20, "M", 1650, 424}, {"peppr_salami_l", 20, "L", 2075, 680},
    {"prsc_argla_s", 21, "S", 1250, 420},   {"prsc_argla_m", 21, "M", 1650, 585},
    {"prsc_argla_l", 21, "L", 2075, 423},   {"sicilian_s", 22, "S", 1225, 731},
    {"sicilian_m", 22, "M", 1625, 560},     {"sicilian_l", 22, "L", 2025, 596},
    {"soppressata_s", 23, "S", 1250, 288},  {"soppressata_m", 23, "M", 1650, 268},
    {"soppressata_l", 23, "L", 2075, 401},  {"southw_ckn_s", 24, "S", 1275, 366},
    {"southw_ckn_m", 24, "M", 1675, 526},   {"southw_ckn_l", 24, "L", 2075, 993},
    {"spicy_ital_s", 25, "S", 1250, 399},   {"spicy_ital_m", 25, "M", 1650, 400},
    {"spicy_ital_l", 25, "L", 2075, 1088},  {"spin_pesto_s", 26, "S", 1250, 397},
    {"spin_pesto_m", 26, "M", 1650, 281},   {"spin_pesto_l", 26, "L", 2075, 279},
    {"spinach_fet_s", 27, "S", 1200, 437},  {"spinach_fet_m", 27, "M", 1600, 558},
    {"spinach_fet_l", 27, "L", 2025, 437},  {"spinach_supr_s", 28, "S", 1250, 394},
    {"spinach_supr_m", 28, "M", 1650, 266}, {"spinach_supr_l", 28, "L", 2075, 280},
    {"thai_ckn_s", 29, "S", 1275, 476},     {"thai_ckn_m", 29, "M", 1675, 474},
    {"thai_ckn_l", 29, "L", 2075, 1365},    {"the_greek_s", 30, "S", 1200, 300},
    {"the_greek_m", 30, "M", 1600, 279},    {"the_greek_l", 30, "L", 2050, 255},
    {"the_greek_xl", 30, "XL", 2550, 544},  {"the_greek_xxl", 30, "XXL", 3595, 28},
    {"veggie_veg_s", 31, "S", 1200, 457},   {"veggie_veg_m", 31, "M", 1600, 630},
    {"veggie_veg_l", 31, "L", 2025, 423},
};

static_assert(std::size(kTypes) == kPizzaTypeCount);
static_assert(std::size(kItems) == kMenuItemCount);

constexpr SalesProfile kProfile = {
    .orders_by_hour = {0,    0,    0,    0,    0,    0,    0,    0,    0,    1,    8,   1231,
                       2520, 2455, 1472, 1468, 1920, 2336, 2399, 2009, 1642, 1198, 663, 28},
    .orders_per_day_by_weekday_x100 = {5821, 5717, 5815, 6229, 7076, 6073, 5046},
    .orders_by_line_count = {0,  8201, 6196, 3325, 2888, 144, 75, 75, 83, 65, 59,
                             69, 71,   52,   38,   7,    0,   0,  0,  0,  0,  2},
    .lines_by_quantity = {0, 47693, 903, 21, 3},
    .orders_per_day_x100 = 5964,
};

}  // namespace

std::string_view CategoryName(PizzaCategory category) {
  switch (category) {
    case PizzaCategory::kClassic:
      return "Classic";
    case PizzaCategory::kChicken:
      return "Chicken";
    case PizzaCategory::kSupreme:
      return "Supreme";
    case PizzaCategory::kVeggie:
      return "Veggie";
  }
  return "";
}

std::span<const PizzaType> PizzaTypes() { return kTypes; }

std::span<const MenuItem> MenuItems() { return kItems; }

const MenuItem* FindMenuItem(std::string_view pizza_name_id) {
  auto it = std::find_if(std::begin(kItems), std::end(kItems),
                         [&](const MenuItem& item) { return item.pizza_name_id == pizza_name_id; });
  return it == std::end(kItems) ? nullptr : &*it;
}

const SalesProfile& PizzaPlaceSalesProfile() { return kProfile; }

}  // namespace pizzastream::sources
