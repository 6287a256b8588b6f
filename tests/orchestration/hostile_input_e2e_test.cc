// End to end through the pizzastream binary with input a hostile or unlucky user would give
// (issue 10): money that does not fit its decimal, pizza ids whose crc32 collide, an input
// file replaced under the same path, a line that is not UTF-8 or megabytes long, and a
// generator writing to a full disk. Each must give right figures or a clear error, never a
// wrong figure with exit 0.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/pipeline_checks.h"
#include "support/process.h"

namespace pizzastream::testing {
namespace {

constexpr const char* kHeader =
    "pizza_id,order_id,pizza_name_id,quantity,order_date,order_time,unit_price,total_price,"
    "pizza_size,pizza_category,pizza_ingredients,pizza_name\n";

std::string Line(int id, const std::string& name_id, int quantity, const std::string& unit,
                 const std::string& total, const std::string& name) {
  return std::to_string(id) + "," + std::to_string(id) + "," + name_id + "," +
         std::to_string(quantity) + ",1/1/2015,11:38:36," + unit + "," + total + ",M,Classic,x," +
         name + "\n";
}

CommandResult RunOn(const std::string& csv, const std::string& data_dir,
                    std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"run",    "--input",          csv,      "--data-dir",
                                   data_dir, "--exit-when-idle", "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunPizzastream(args);
}

KpiOutput Kpi(const std::string& data_dir) {
  auto r = RunPizzastream({"kpi", "--data-dir", data_dir, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return ParseKpi(r.out);
}

// Runs the pipeline on dir/orders.csv into dir/data; it must succeed with these figures.
void ExpectRunGives(const TempDir& dir, const std::string& revenue, int received, int rejected,
                    int fact) {
  auto r = RunOn(dir / "orders.csv", dir / "data");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const KpiOutput kpi = Kpi(dir / "data");
  EXPECT_TRUE(kpi.Has("total_revenue", revenue)) << kpi.text;
  EXPECT_EQ(kpi["rows"]["received"], received) << kpi.text;
  EXPECT_EQ(kpi["rows"]["rejected"], rejected) << kpi.text;
  EXPECT_EQ(kpi["rows"]["fact"], fact) << kpi.text;
}

TEST(HostileInputE2E, MoneyThatDoesNotFitItsDecimalIsRejectedNotWrapped) {
  TempDir dir;
  WriteFile(dir / "orders.csv",
            std::string(kHeader) +
                Line(1, "hawaiian_m", 1, "13.25", "13.25", "The Hawaiian Pizza") +
                // Wrapped to -995117277.76 of revenue before: total over decimal(10,2).
                Line(2, "hawaiian_m", 100000, "99999.99", "9999999000.00", "The Hawaiian Pizza") +
                // Stored as 14100654.07 before: unit over decimal(8,2).
                Line(3, "hawaiian_m", 1, "99999999.99", "99999999.99", "The Hawaiian Pizza") +
                // unit x quantity overflowed int64 cents to 2.56 and passed the total check.
                Line(4, "hawaiian_m", 256, "720575940379279.37", "2.56", "The Hawaiian Pizza") +
                // The largest values that fit pass, exactly.
                Line(5, "big_m", 100, "999999.99", "99999999.00", "The Big Pizza"));
  ExpectRunGives(dir, "100000012.25", 5, 3, 2);
}

TEST(HostileInputE2E, PizzaIdsWhoseCrc32CollideStayTwoPizzasAcrossRuns) {
  TempDir dir;
  // crc32("plumless") == crc32("buckeroo"): Buckeroo's revenue went to The Plum Pizza.
  std::string text = std::string(kHeader) +
                     Line(1, "plumless", 1, "10.00", "10.00", "The Plum Pizza") +
                     Line(2, "buckeroo", 1, "20.00", "20.00", "The Buckeroo Pizza");
  WriteFile(dir / "orders.csv", text);
  auto r = RunOn(dir / "orders.csv", dir / "data");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Kpi(dir / "data")["top_pizza_by_revenue"], "The Buckeroo Pizza");
  // Appended lines (an input that only grew is sent on): the keys persisted in dim_pizza stay.
  text += Line(3, "plumless", 3, "10.00", "30.00", "The Plum Pizza") +
          Line(4, "buckeroo", 1, "5.00", "5.00", "The Buckeroo Pizza");
  WriteFile(dir / "orders.csv", text);
  r = RunOn(dir / "orders.csv", dir / "data");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const KpiOutput kpi = Kpi(dir / "data");
  EXPECT_EQ(kpi["top_pizza_by_revenue"], "The Plum Pizza") << kpi.text;  // 40.00 vs 25.00
  EXPECT_TRUE(kpi.Has("total_revenue", "65.00")) << kpi.text;
  EXPECT_EQ(kpi["rows"]["fact"], 4);
}

TEST(HostileInputE2E, AReplacedInputFileIsRefusedUntilNamedAsANewSource) {
  TempDir dir;
  WriteFile(dir / "orders.csv",
            std::string(kHeader) +
                Line(1, "hawaiian_m", 1, "13.25", "13.25", "The Hawaiian Pizza") +
                Line(2, "hawaiian_m", 1, "13.25", "13.25", "The Hawaiian Pizza"));
  ASSERT_EQ(RunOn(dir / "orders.csv", dir / "data").exit_code, 0);
  // Replaced by other lines, under the same path: before, 0 records were sent with exit 0.
  WriteFile(dir / "orders.csv", std::string(kHeader) +
                                    Line(11, "thai_ckn_l", 1, "20.75", "20.75", "The Thai Pizza") +
                                    Line(12, "thai_ckn_l", 1, "20.75", "20.75", "The Thai Pizza") +
                                    Line(13, "thai_ckn_l", 1, "20.75", "20.75", "The Thai Pizza"));
  auto r = RunOn(dir / "orders.csv", dir / "data");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("changed since"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--producer-id"), std::string::npos) << r.err;
  EXPECT_TRUE(Kpi(dir / "data").Has("total_revenue", "26.50"));  // nothing else happened
  // Sent as a new source, as the message says: all of it arrives, once.
  r = RunOn(dir / "orders.csv", dir / "data", {"--producer-id", "orders-v2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunOn(dir / "orders.csv", dir / "data", {"--producer-id", "orders-v2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const KpiOutput kpi = Kpi(dir / "data");
  EXPECT_TRUE(kpi.Has("total_revenue", "88.75")) << kpi.text;
  EXPECT_EQ(kpi["rows"]["received"], 5);
}

TEST(HostileInputE2E, ALatin1LineAndAMultiMegabyteLineAreQuarantinedAndTheRestFlows) {
  TempDir dir;
  std::string text = std::string(kHeader) +
                     Line(1, "hawaiian_m", 1, "13.25", "13.25", "The Hawaiian Pizza") +
                     Line(2, "hawaiian_m", 1, "13.25", "13.25", "Caf\xe9 Pizza");  // Latin-1
  std::string huge(size_t{3} << 20, 'x');                                          // 3 MiB
  text += Line(3, "hawaiian_m", 1, "13.25", "13.25", huge);
  for (int id = 4; id <= 6; ++id) {
    text += Line(id, "hawaiian_m", 1, "13.25", "13.25", "The Hawaiian Pizza");
  }
  WriteFile(dir / "orders.csv", text);
  ExpectRunGives(dir, "53.00", 6, 2, 4);
  ExpectRunGives(dir, "53.00", 6, 2, 4);  // a rerun neither fails nor adds
}

TEST(HostileInputE2E, GenerateFailsOnAFullDisk) {
  auto r = RunPizzastream({"generate", "--output", "/dev/full", "--count", "20000"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("cannot write /dev/full"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("No space left"), std::string::npos) << r.err;
  TempDir dir;
  r = RunPizzastream(
      {"generate", "--output", dir / "o.csv", "--count", "10", "--totals", "/dev/full"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("/dev/full"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pizzastream::testing
