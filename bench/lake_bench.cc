// Lake start-up and file-count benchmark (issue 9):
//  1. No-op start of bronze, silver and gold, and a bare snapshot load, on lakes whose bronze
//     table has 10 / 1,000 / 10,000 commits: wall time, log files opened and `_delta_log`
//     entries listed. Silver and gold follow the stream step by step (one bronze commit per
//     silver step) up to --stage-max N bronze commits (default 1,000); past it they step every
//     ceil(commits / N) bronze commits, and the table versions printed say how many commits
//     each table carries (--startup-max N skips lakes of more than N commits).
//  2. Files per table after a simulated day at 10 lines/s (one commit a second, 86,400 commits
//     of ~10 lines) with and without automatic compaction, through the real compaction policy
//     (pass --day-commits N to run fewer).
// Prints numbers; asserts nothing.
#include <arrow/builder.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "bronze/bronze_schema.h"
#include "bronze/bronze_stage.h"
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

// Version and live files of `table` as a fresh reader sees them.
std::string TableShape(const lake::Lakehouse& lake, const char* table) {
  auto log = lake.Log(table);
  auto snap = log->Update();
  if (!snap.ok()) return "unreadable";
  return fmt::format("v{}/{}f", (*snap)->version, (*snap)->files.size());
}

// Silver and gold step once every `stage_every` bronze commits (1: follow the stream step by
// step, so their tables carry about as many commits as bronze).
Status StartUp(int64_t commits, int64_t stage_every) {
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("pizzastream-lake-bench-{}", ::getpid());
  std::filesystem::remove_all(dir);
  ARROW_ASSIGN_OR_RAISE(auto lake, lake::Lakehouse::Open((dir / "lakehouse").string()));
  auto bronze = lake->Log(lake::tables::kBronzeOrderLines);
  ARROW_RETURN_NOT_OK(bronze->CreateIfMissing(bronze::OrderLinesSchema()));
  std::unique_ptr<silver::SilverStage> s;
  std::unique_ptr<gold::GoldStage> g;
  ARROW_ASSIGN_OR_RAISE(s, silver::SilverStage::Open(lake, {DateOrder::kDayFirst, 10}));
  ARROW_ASSIGN_OR_RAISE(g, gold::GoldStage::Open(lake, {10}));
  const auto build = Clock::now();
  for (int64_t i = 0; i < commits; ++i) {
    ARROW_RETURN_NOT_OK(AppendBronze(*lake, *bronze, i * 10, 10, true));
    if ((i + 1) % stage_every == 0 || i + 1 == commits) {
      ARROW_RETURN_NOT_OK(s->Step().status());
      ARROW_RETURN_NOT_OK(g->Step().status());
    }
  }
  // Silver and gold take a bounded range of commits per step: let them catch up, so the start
  // measured below is a real no-op.
  for (bool busy = true; busy;) {
    ARROW_ASSIGN_OR_RAISE(auto sr, s->Step());
    ARROW_ASSIGN_OR_RAISE(auto gr, g->Step());
    busy = sr.rows_in > 0 || gr.rows_in > 0;
  }
  const double build_s = Ms(build) / 1000;
  s.reset();
  g.reset();
  auto t0 = Clock::now();
  auto fresh = lake->Log(lake::tables::kBronzeOrderLines);
  ARROW_RETURN_NOT_OK(fresh->Update().status());
  const double load_ms = Ms(t0);
  const auto log_dir = dir / "lakehouse" / lake::tables::kBronzeOrderLines / "_delta_log";
  int64_t log_entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(log_dir)) ++log_entries;
  fmt::print(
      "{:>6} bronze commits (built in {:.0f} s; silver/gold stepped every {} commit(s)): bronze "
      "log load {:.2f} ms, {} log files read, {} entries listed ({} in _delta_log)\n",
      commits, build_s, stage_every, load_ms, fresh->log_files_read(), fresh->log_entries_listed(),
      log_entries);
  fmt::print("        tables: bronze {} silver_cleaned {} silver_order_items {} fact {}\n",
             TableShape(*lake, lake::tables::kBronzeOrderLines),
             TableShape(*lake, lake::tables::kSilverCleaned),
             TableShape(*lake, lake::tables::kSilverOrderItems),
             TableShape(*lake, lake::tables::kGoldFact));
  // No-op starts: each stage opened afresh and stepped once with nothing new to do.
  bronze::BronzeOptions bronze_options;
  bronze_options.transport.log_dir = (dir / "log").string();
  bronze_options.poll_timeout = std::chrono::milliseconds(0);
  t0 = Clock::now();
  ARROW_ASSIGN_OR_RAISE(auto b, bronze::BronzeStage::Open(lake, bronze_options));
  ARROW_ASSIGN_OR_RAISE(auto br, b->Step());
  const double bronze_ms = Ms(t0);
  t0 = Clock::now();
  ARROW_ASSIGN_OR_RAISE(s, silver::SilverStage::Open(lake, {}));
  ARROW_ASSIGN_OR_RAISE(auto sr, s->Step());
  const double silver_ms = Ms(t0);
  t0 = Clock::now();
  ARROW_ASSIGN_OR_RAISE(g, gold::GoldStage::Open(lake, {}));
  ARROW_ASSIGN_OR_RAISE(auto gr, g->Step());
  fmt::print(
      "{:>6} bronze commits  no-op start: bronze {:8.2f} ms ({} rows)  silver {:8.2f} ms ({} "
      "rows)  gold {:8.2f} ms ({} rows)\n",
      commits, bronze_ms, br.rows_in, silver_ms, sr.rows_in, Ms(t0), gr.rows_in);
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
  int64_t stage_max = 1000, day_commits = 86400, startup_max = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--stage-max") == 0) stage_max = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--day-commits") == 0) day_commits = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--startup-max") == 0) startup_max = std::atoll(argv[i + 1]);
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows as it comes, also into a file
  for (int64_t n : {10, 1000, 10000}) {
    if (n > startup_max) break;
    const int64_t every =
        std::max<int64_t>(1, (n + stage_max - 1) / std::max<int64_t>(stage_max, 1));
    if (auto st = StartUp(n, every); !st.ok()) {
      fmt::print(stderr, "{}\n", st.ToString());
      return 1;
    }
  }
  for (bool compact : {false, true}) {
    if (day_commits <= 0) break;
    if (auto st = Day(day_commits, compact); !st.ok()) {
      fmt::print(stderr, "{}\n", st.ToString());
      return 1;
    }
  }
  return 0;
}
