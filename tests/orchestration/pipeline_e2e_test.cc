// End to end through the pizzastream binary on the embedded default: generated data with known
// totals (dirty and duplicated records included) -> run -> kpi must be exact, conserve every
// record, survive SIGKILL and re-runs, and agree with the stage-by-stage commands.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/pipeline_checks.h"
#include "support/process.h"

namespace pizzastream::testing {
namespace {

using json = nlohmann::json;

// Generates `count` records into dir/orders.csv and returns the generator's exact totals.
json Generate(const TempDir& dir, int64_t count, double dirty, double dup, int seed = 7) {
  return GenerateOrders(dir / "orders.csv", dir / "totals.json", count, dirty, dup, seed);
}

KpiOutput Kpi(const std::string& data_dir) {
  auto r = RunPizzastream({"kpi", "--data-dir", data_dir, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return ParseKpi(r.out);
}

void ExpectExact(const KpiOutput& kpi, const json& totals) { ExpectExactKpi(kpi, totals); }

CommandResult RunPipeline(const TempDir& dir, const std::string& data_dir) {
  return RunPizzastream({"run", "--input", dir / "orders.csv", "--data-dir", data_dir,
                         "--exit-when-idle", "--quiet"});
}

TEST(PipelineE2E, GeneratedStreamWithDirtyAndDuplicateRecordsGivesExactKpi) {
  TempDir dir;
  const json totals = Generate(dir, 20000, 0.03, 0.02);
  ASSERT_GT(totals["dirty"].get<int64_t>(), 0);
  ASSERT_GT(totals["duplicates"].get<int64_t>(), 0);
  auto r = RunPipeline(dir, dir / "data");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const KpiOutput kpi = Kpi(dir / "data");
  ExpectExact(kpi, totals);
  // Ratios: exact integer rounding of the same figures.
  const int64_t orders = totals["orders"], cents = totals["revenue_cents"];
  const int64_t aov = (cents + orders / 2) / orders;  // cents per order, half up
  EXPECT_TRUE(kpi.Has("avg_order_value", Money(aov))) << kpi.text;
}

TEST(PipelineE2E, RunningTheSameInputTwiceChangesNothing) {
  TempDir dir;
  Generate(dir, 5000, 0.02, 0.02);
  ASSERT_EQ(RunPipeline(dir, dir / "data").exit_code, 0);
  const KpiOutput first = Kpi(dir / "data");
  ASSERT_EQ(RunPipeline(dir, dir / "data").exit_code, 0);
  EXPECT_EQ(Kpi(dir / "data"), first);
}

TEST(PipelineE2E, StagesRunOneAtATimeMatchTheContinuousRun) {
  TempDir dir;
  const json totals = Generate(dir, 6000, 0.02, 0.02);
  const std::string data = dir / "staged";
  auto p = RunPizzastream({"produce", "--input", dir / "orders.csv", "--data-dir", data});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  for (const char* stage : {"bronze", "silver", "gold", "load"}) {
    auto r = RunPizzastream({stage, "--data-dir", data});
    ASSERT_EQ(r.exit_code, 0) << stage << ": " << r.err;
    // Idempotent: a second run of the same stage finds nothing new.
    auto again = RunPizzastream({stage, "--data-dir", data});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find(" 0 rows in"), std::string::npos) << again.err;
  }
  ExpectExact(Kpi(data), totals);
  // Producing the same file again sends nothing new (exactly-once replay).
  p = RunPizzastream({"produce", "--input", dir / "orders.csv", "--data-dir", data});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NE(p.err.find("0 records sent"), std::string::npos) << p.err;
}

TEST(PipelineE2E, SigkillMidRunThenRestartKeepsTotalsExact) {
  TempDir dir;
  const json totals = Generate(dir, 400000, 0.01, 0.01);
  const std::string data = dir / "data";
  for (int round = 0; round < 3; ++round) {
    // Sent at 100,000 lines/s at most, so the three rounds (1.8 s in all) end mid-run however
    // fast the machine is: unthrottled, a fast machine finished the file before the third kill.
    const pid_t pid =
        StartBackground({PizzastreamBinary(), "run", "--input", dir / "orders.csv", "--data-dir",
                         data, "--exit-when-idle", "--quiet", "--rate", "100000"},
                        dir / "run.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + 300 * round));
    kill(pid, SIGKILL);
    EXPECT_EQ(WaitFor(pid), -SIGKILL) << "round " << round << " ended before the kill";
    if (round == 0) {  // the kill really cut the run short
      EXPECT_LT(Kpi(data)["rows"]["fact"].get<int64_t>(), totals["clean_lines"].get<int64_t>());
    }
  }
  auto r = RunPipeline(dir, data);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectExact(Kpi(data), totals);
}

TEST(PipelineE2E, MalformedCsvLinesAreQuarantinedWithTheirRawText) {
  TempDir dir;
  WriteFile(dir / "orders.csv",
            "pizza_id,order_id,pizza_name_id,quantity,order_date,order_time,unit_price,total_price,"
            "pizza_size,pizza_category,pizza_ingredients,pizza_name\n"
            "1,1,hawaiian_m,1,1/1/2015,11:38:36,13.25,13.25,M,Classic,\"Sliced Ham, "
            "Pineapple\",The Hawaiian Pizza\n"
            "2,1,too,few,fields\n"
            "3,2,thai_ckn_l,2.00,13-01-2015,12:00:00,20.75,41.50,L,Chicken,\"Chicken, "
            "Pineapple\",The Thai Chicken Pizza\n"
            "4,2,thai_ckn_l,1,31/02/2015,12:00:00,20.75,20.75,L,Chicken,x,The Thai Chicken Pizza\n"
            "3,2,thai_ckn_l,2.00,13-01-2015,12:00:00,20.75,41.50,L,Chicken,\"Chicken, "
            "Pineapple\",The Thai Chicken Pizza\n");
  auto r = RunPipeline(dir, dir / "data");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const KpiOutput kpi = Kpi(dir / "data");
  EXPECT_TRUE(kpi.Has("total_revenue", "54.75")) << kpi.text;
  EXPECT_EQ(kpi["total_orders"], 2);
  EXPECT_EQ(kpi["total_pizzas_sold"], 3);
  EXPECT_EQ(kpi["rows"]["received"], 5);
  EXPECT_EQ(kpi["rows"]["rejected"], 2);  // the short line (bronze) and 31/02 (silver)
  EXPECT_EQ(kpi["rows"]["duplicates"], 1);
  EXPECT_EQ(kpi["rows"]["silver"], 2);
}

TEST(PipelineE2E, CliErrorsAreOneLineAndNonZero) {
  auto r = RunPizzastream({"run", "--input", "/nonexistent/orders.csv", "--exit-when-idle"});
  EXPECT_NE(r.exit_code, 0);
  r = RunPizzastream({"produce", "--data-dir", "/tmp"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("pizzastream: produce needs --input"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pizzastream::testing
