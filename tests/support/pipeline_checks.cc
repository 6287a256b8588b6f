#include "support/pipeline_checks.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/process.h"

namespace pizzastream::testing {

using json = nlohmann::json;

json GenerateOrders(const std::string& csv, const std::string& totals_path, int64_t count,
                    double dirty_rate, double duplicate_rate, int seed) {
  auto r = RunPizzastream({"generate", "--output", csv, "--count", std::to_string(count), "--seed",
                           std::to_string(seed), "--dirty-rate", std::to_string(dirty_rate),
                           "--duplicate-rate", std::to_string(duplicate_rate), "--orders-per-day",
                           "400", "--totals", totals_path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(totals_path);
  return r.exit_code == 0 ? json::parse(in) : json::object();
}

bool KpiOutput::Has(const std::string& key, const std::string& value) const {
  return text.find("\"" + key + "\":" + value + ",") != std::string::npos;
}

KpiOutput ParseKpi(const std::string& text) {
  KpiOutput out;
  out.text = text;
  out.figures = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(out.figures.is_discarded()) << "kpi printed no JSON: " << text;
  return out;
}

KpiOutput RunKpi(const std::string& data_dir) {
  auto r = RunPizzastream({"kpi", "--data-dir", data_dir, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return ParseKpi(r.out);
}

std::string Money(int64_t cents) {
  return std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
         std::to_string(cents % 100);
}

void ExpectExactKpi(const KpiOutput& kpi, const json& totals) {
  EXPECT_TRUE(kpi.Has("total_revenue", Money(totals["revenue_cents"].get<int64_t>()))) << kpi.text;
  EXPECT_EQ(kpi["total_orders"], totals["orders"]);
  EXPECT_EQ(kpi["total_pizzas_sold"], totals["pizzas"]);
  EXPECT_EQ(kpi["top_pizza_by_revenue"], totals["top_pizza"]);
  const auto& rows = kpi["rows"];
  EXPECT_EQ(rows["received"], totals["records"]);  // none lost, none twice
  EXPECT_EQ(rows["rejected"], totals["dirty"]);
  EXPECT_EQ(rows["duplicates"], totals["duplicates"]);
  EXPECT_EQ(rows["silver"], totals["clean_lines"]);
  EXPECT_EQ(rows["fact"], totals["clean_lines"]);
  // Conservation: every record that entered is accounted for exactly once.
  EXPECT_EQ(rows["received"].get<int64_t>(), rows["rejected"].get<int64_t>() +
                                                 rows["duplicates"].get<int64_t>() +
                                                 rows["silver"].get<int64_t>());
}

}  // namespace pizzastream::testing
