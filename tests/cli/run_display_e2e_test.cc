// What `run` prints when its output is not a terminal: plain status lines (no terminal control
// sequences), then a summary with the warehouse's final figures, not mid-run ones.
#include <gtest/gtest.h>

#include "support/pipeline_checks.h"
#include "support/process.h"

namespace pizzastream::testing {
namespace {

TEST(RunDisplayE2E, PipedOutputEndsWithTheFinalFiguresAndHasNoControlSequences) {
  TempDir dir;
  const auto totals =
      GenerateOrders(dir / "orders.csv", dir / "totals.json", 4000, 0.0, 0.0, /*seed=*/5);
  auto r = RunPizzastream(
      {"run", "--input", dir / "orders.csv", "--data-dir", dir / "data", "--exit-when-idle"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string figures = "warehouse: revenue " +
                              Money(totals["revenue_cents"].get<int64_t>()) + " orders " +
                              std::to_string(totals["orders"].get<int64_t>()) + " ";
  EXPECT_NE(r.err.find(figures), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("4,000 rows loaded in"), std::string::npos) << r.err;
  // It ended because everything was done, not because something stopped it.
  EXPECT_NE(r.err.find("done: the source is exhausted and every record reached the warehouse"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("stopped"), std::string::npos) << r.err;
  // The last status line holds the final counts of every stage.
  EXPECT_NE(r.err.find("load 4000 rows"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
}

TEST(RunDisplayE2E, QuietPrintsNothing) {
  TempDir dir;
  GenerateOrders(dir / "orders.csv", dir / "totals.json", 500, 0.0, 0.0, /*seed=*/5);
  auto r = RunPizzastream({"run", "--input", dir / "orders.csv", "--data-dir", dir / "data",
                           "--exit-when-idle", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace pizzastream::testing
