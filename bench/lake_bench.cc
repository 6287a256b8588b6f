// Lake start-up and file-count benchmark (issue 9):
//  1. No-op start of silver and gold, and a bare snapshot load, on lakes whose bronze table has
//     10 / 1,000 / 10,000 commits: wall time and log files opened. Silver and gold follow the
//     stream step by step (one bronze commit per silver step), so their own tables carry about
//     as many commits (pass --stage-max N to bound the stage part; the log part always runs).
//  2. Files per table after a simulated day at 10 lines/s (one commit a second, 86,400 commits
//     of ~10 lines) with and without automatic compaction, through the real compaction policy
//     (pass --day-commits N to run fewer).
// Prints numbers; asserts nothing.
#include <arrow/builder.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>

#include "bronze/bronze_schema.h"
#include "bronze/order_line_rows.h"
#include "gold/gold_stage.h"
#include "lake/compaction.h"
#include "lake/lakehouse.h"
#include "silver/silver_stage.h"

namespace {

using namespace pizzastream;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// One bronze commit of `n` valid order lines starting at id `first`.
std::shared_ptr<arrow::RecordBatch> BronzeRows(int64_t first, int64_t n) {
  bronze::OrderLineRows rows;
  std::array<bool, bronze::OrderLineRows::kFields> present;
  present.fill(true);
  for (int64_t id = first; id < first + n; ++id) {
    const std::string item = std::to_string(id), order = std::to_string(id / 3);
    const std::array<std::string_view, bronze::OrderLineRows::kFields> fields = {
        item,    order, "hawaiian_m", "1",   "1/1/2015",           "11:00:00", "10.00",
        "10.00", "M",   "Classic",    "Ham", "The Hawaiian Pizza", "web"};
    (void)rows.Add(fields, present, 0, "pizza_sales", 0, id);
  }
  return rows.Finish().ValueOrDie();
}

Status AppendBronze(const lake::Lakehouse& lake, lake::DeltaLog& log, int64_t first, int64_t n,
                    bool compact) {
  lake::Commit c;
  ARROW_ASSIGN_OR_RAISE(
      auto add, lake.WriteParquet(lake::tables::kBronzeOrderLines, bronze::OrderLinesSchema(),
                                  {BronzeRows(first, n)}));
  c.adds.push_back(add);
  ARROW_RETURN_NOT_OK(log.CommitAppend(c, {}).status());
  if (compact) return lake::AutoCompact(lake, log, lake::tables::kBronzeOrderLines).status();
  return Status::OK();
}

Status StartUp(int64_t commits, bool with_stages) {
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("pizzastream-lake-bench-{}", ::getpid());
  std::filesystem::remove_all(dir);
  ARROW_ASSIGN_OR_RAISE(auto lake, lake::Lakehouse::Open(dir.string()));
  auto bronze = lake->Log(lake::tables::kBronzeOrderLines);
  ARROW_RETURN_NOT_OK(bronze->CreateIfMissing(bronze::OrderLinesSchema()));
  std::unique_ptr<silver::SilverStage> s;
  std::unique_ptr<gold::GoldStage> g;
  if (with_stages) {
    ARROW_ASSIGN_OR_RAISE(s, silver::SilverStage::Open(lake, {DateOrder::kDayFirst, 10}));
    ARROW_ASSIGN_OR_RAISE(g, gold::GoldStage::Open(lake, {10}));
  }
  for (int64_t i = 0; i < commits; ++i) {
    ARROW_RETURN_NOT_OK(AppendBronze(*lake, *bronze, i * 10, 10, true));
    if (with_stages) {
      ARROW_RETURN_NOT_OK(s->Step().status());
      ARROW_RETURN_NOT_OK(g->Step().status());
    }
  }
  auto t0 = Clock::now();
  auto fresh = lake->Log(lake::tables::kBronzeOrderLines);
  ARROW_ASSIGN_OR_RAISE(auto snap, fresh->Update());
  fmt::print(
      "{:>6} commits  snapshot load {:8.2f} ms  log files read {:3}  (version {}, {} files)\n",
      commits, Ms(t0), fresh->log_files_read(), snap->version, snap->files.size());
  if (with_stages) {
    s.reset();
    g.reset();
    t0 = Clock::now();
    ARROW_ASSIGN_OR_RAISE(s, silver::SilverStage::Open(lake, {}));
    ARROW_ASSIGN_OR_RAISE(auto sr, s->Step());
    const double silver_ms = Ms(t0);
    t0 = Clock::now();
    ARROW_ASSIGN_OR_RAISE(g, gold::GoldStage::Open(lake, {}));
    ARROW_ASSIGN_OR_RAISE(auto gr, g->Step());
    fmt::print(
        "{:>6} commits  no-op start: silver {:8.2f} ms ({} rows)  gold {:8.2f} ms ({} rows)\n",
        commits, silver_ms, sr.rows_in, Ms(t0), gr.rows_in);
  }
  std::filesystem::remove_all(dir);
  return Status::OK();
}

Status Day(int64_t commits, bool compact) {
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("pizzastream-lake-day-{}", ::getpid());
  std::filesystem::remove_all(dir);
  ARROW_ASSIGN_OR_RAISE(auto lake, lake::Lakehouse::Open(dir.string()));
  auto bronze = lake->Log(lake::tables::kBronzeOrderLines);
  ARROW_RETURN_NOT_OK(bronze->CreateIfMissing(bronze::OrderLinesSchema()));
  const auto t0 = Clock::now();
  for (int64_t i = 0; i < commits; ++i) {
    ARROW_RETURN_NOT_OK(AppendBronze(*lake, *bronze, i * 10, 10, compact));
  }
  ARROW_ASSIGN_OR_RAISE(auto snap, bronze->Update());
  int64_t bytes = 0;
  for (const auto& [path, f] : snap->files) bytes += f.size;
  fmt::print(
      "day of {} commits x 10 lines, auto-compaction {:3}: {:6} live files, {:.1f} MiB, "
      "{} rows, {:.1f} s\n",
      commits, compact ? "on" : "off", snap->files.size(), bytes / 1048576.0, snap->num_records,
      Ms(t0) / 1000);
  std::filesystem::remove_all(dir);
  return Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t stage_max = 1000, day_commits = 86400;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--stage-max") == 0) stage_max = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--day-commits") == 0) day_commits = std::atoll(argv[i + 1]);
  }
  for (int64_t n : {10, 1000, 10000}) {
    if (auto st = StartUp(n, n <= stage_max); !st.ok()) {
      fmt::print(stderr, "{}\n", st.ToString());
      return 1;
    }
  }
  for (bool compact : {false, true}) {
    if (auto st = Day(day_commits, compact); !st.ok()) {
      fmt::print(stderr, "{}\n", st.ToString());
      return 1;
    }
  }
  return 0;
}
