// The lake on a real S3 server (versitygw on loopback, started by each test through
// scripts/s3): the whole pipeline with exact figures, SIGKILLs, many writers racing for the
// same commit versions (also on a local lake), a store that ignores If-None-Match, the server
// going away mid-run, and the one-line errors a user meets first.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "support/if_none_match_dropping_proxy.h"
#include "support/pipeline_checks.h"
#include "support/process.h"
#include "support/s3_server.h"

namespace pizzastream::testing {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

// The commit files of `table` under the lake directory `lake_dir` (local, or the bucket's
// files on the server's disk), checked to be contiguous from version 0 and each intact
// (every line a JSON action, exactly one commitInfo). Returns how many there are.
int64_t CheckCommits(const std::string& lake_dir, const std::string& table) {
  const fs::path log = fs::path(lake_dir) / table / "_delta_log";
  if (!fs::is_directory(log)) {
    ADD_FAILURE() << "no commits at " << log;
    return 0;
  }
  std::set<int64_t> versions;
  for (const auto& entry : fs::directory_iterator(log)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 25 || !name.ends_with(".json")) continue;  // NNNNNNNNNNNNNNNNNNNN.json
    versions.insert(std::stoll(name.substr(0, 20)));
    std::ifstream in(entry.path());
    int commit_infos = 0;
    for (std::string line; std::getline(in, line);) {
      const json action = json::parse(line, nullptr, /*allow_exceptions=*/false);
      EXPECT_FALSE(action.is_discarded()) << entry.path() << ": " << line;
      if (action.contains("commitInfo")) ++commit_infos;
    }
    EXPECT_EQ(commit_infos, 1) << entry.path();
  }
  EXPECT_FALSE(versions.empty()) << log;
  if (!versions.empty()) {
    EXPECT_EQ(*versions.begin(), 0) << log;
    EXPECT_EQ(*versions.rbegin(), static_cast<int64_t>(versions.size()) - 1)
        << log << ": a version is missing";
  }
  return static_cast<int64_t>(versions.size());
}

class S3LakeE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = S3Server::Start();
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    s3_ = std::move(*server);
    env_ = s3_->ClientEnv();
  }

  CommandResult Run(const std::vector<std::string>& args) {
    return RunPizzastreamWithEnv(env_, args);
  }

  KpiOutput Kpi(const std::string& data_dir, const std::string& lake) {
    auto r = Run({"kpi", "--data-dir", data_dir, "--lake", lake, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // S3 was started and stopped cleanly: no warning from Arrow at exit.
    EXPECT_EQ(r.err.find("FinalizeS3"), std::string::npos) << r.err;
    return ParseKpi(r.out);
  }

  // `run` in the background, output to `log`.
  // `rate` > 0 paces the producer, so that an outage a second or two in still finds it busy.
  pid_t StartRun(const std::string& input, const std::string& data_dir, const std::string& lake,
                 const std::string& log, int rate = 0) {
    std::vector<std::string> args = {"run",
                                     "--input",
                                     input,
                                     "--data-dir",
                                     data_dir,
                                     "--lake",
                                     lake,
                                     "--exit-when-idle",
                                     "--quiet",
                                     "--rate",
                                     std::to_string(rate)};
    return StartPizzastreamWithEnv(env_, args, log);
  }

  CommandResult RunPipeline(const std::string& input, const std::string& data_dir,
                            const std::string& lake) {
    return Run({"run", "--input", input, "--data-dir", data_dir, "--lake", lake, "--exit-when-idle",
                "--quiet"});
  }

  std::unique_ptr<S3Server> s3_;
  std::vector<std::string> env_;
};

// Splits `csv` into `parts` files of contiguous lines, each with the header.
std::vector<std::string> SplitCsv(const std::string& csv, int parts, const TempDir& dir) {
  std::ifstream in(csv);
  std::string header;
  std::getline(in, header);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<std::string> paths;
  const size_t per = (lines.size() + parts - 1) / parts;
  for (int p = 0; p < parts; ++p) {
    paths.push_back(dir / ("part" + std::to_string(p) + ".csv"));
    std::ofstream out(paths.back());
    out << header << "\n";
    for (size_t i = p * per; i < std::min(lines.size(), (p + 1) * per); ++i)
      out << lines[i] << "\n";
  }
  return paths;
}

// Polls `done` every 50 ms until it holds or `timeout` passes; returns whether it held.
template <typename Condition>
bool WaitUntil(Condition done, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

TEST_F(S3LakeE2E, PipelineOnS3GivesExactKpiAndTheSameFiguresAsALocalLake) {
  TempDir dir;
  const json totals =
      GenerateOrders(dir / "orders.csv", dir / "totals.json", 20000, 0.03, 0.02, 11);
  ASSERT_GT(totals["dirty"].get<int64_t>(), 0);
  ASSERT_GT(totals["duplicates"].get<int64_t>(), 0);
  const std::string lake = "s3://lakehouse/pipeline";
  auto r = RunPipeline(dir / "orders.csv", dir / "s3data", lake);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const KpiOutput kpi = Kpi(dir / "s3data", lake);
  ExpectExactKpi(kpi, totals);
  // The tables are in the bucket (as on disk: <prefix>/<layer>/<table>), not in the data dir.
  EXPECT_FALSE(fs::exists(dir / "s3data/lakehouse"));
  const std::string bucket_lake = s3_->BucketDir() + "/pipeline";
  for (const char* table :
       {"bronze/order_lines", "silver/silver_cleaned", "gold/fact_order_item"}) {
    CheckCommits(bucket_lake, table);
  }
  // Re-running the same input changes nothing.
  r = RunPipeline(dir / "orders.csv", dir / "s3data", lake);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Kpi(dir / "s3data", lake), kpi);
  // The same input on a local lake gives the very same figures.
  const std::string local = "file://" + (dir / "local/lakehouse");
  r = RunPipeline(dir / "orders.csv", dir / "local", local);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Kpi(dir / "local", local), kpi);
}

TEST_F(S3LakeE2E, SigkillDuringRunOnS3ThenACleanFinishKeepsTotalsExact) {
  TempDir dir;
  const json totals =
      GenerateOrders(dir / "orders.csv", dir / "totals.json", 1000000, 0.01, 0.01, 5);
  const std::string lake = "s3://lakehouse/killed";
  const std::string data = dir / "data";
  for (int round = 0; round < 3; ++round) {
    // At most 200,000 lines/s: the three rounds (3.9 s in all) end mid-run however fast the
    // machine is.
    const pid_t pid = StartRun(dir / "orders.csv", data, lake, dir / "run.log", 200000);
    std::this_thread::sleep_for(std::chrono::milliseconds(800 + 500 * round));
    kill(pid, SIGKILL);
    EXPECT_EQ(WaitFor(pid), -SIGKILL) << "round " << round << " ended before the kill";
    if (round == 0) {  // the kill really cut the run short
      EXPECT_LT(Kpi(data, lake)["rows"]["fact"].get<int64_t>(),
                totals["clean_lines"].get<int64_t>());
    }
  }
  auto r = RunPipeline(dir / "orders.csv", data, lake);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectExactKpi(Kpi(data, lake), totals);
}

// Three bronze workers (each its own input and topic) and two silver processes commit to one
// lake at once, many small commits each: every version is written once, no row is lost or
// doubled, every commit file is intact.
void RaceManyWriters(const std::string& lake, const std::string& lake_dir,
                     const std::vector<std::string>& env) {
  TempDir dir;
  const json totals = GenerateOrders(dir / "orders.csv", dir / "totals.json", 18000, 0.02, 0.02, 3);
  const auto parts = SplitCsv(dir / "orders.csv", 3, dir);
  std::vector<pid_t> producers, bronzes, silvers;
  for (int w = 0; w < 3; ++w) {
    bronzes.push_back(StartPizzastreamWithEnv(
        env,
        {"bronze", "--follow", "--data-dir", dir / ("w" + std::to_string(w)), "--topic",
         "orders_" + std::to_string(w), "--lake", lake},
        dir / ("bronze" + std::to_string(w) + ".log")));
  }
  // The workers are up once the table exists; then the inputs trickle in, so every worker
  // commits many small steps while the others do.
  ASSERT_TRUE(WaitUntil(
      [&] {
        return fs::exists(lake_dir + "/bronze/order_lines/_delta_log/00000000000000000000.json");
      },
      std::chrono::seconds(60)));
  for (int w = 0; w < 3; ++w) {
    producers.push_back(StartPizzastreamWithEnv(
        env,
        {"produce", "--input", parts[w], "--data-dir", dir / ("w" + std::to_string(w)), "--topic",
         "orders_" + std::to_string(w), "--batch-size", "50", "--rate", "1000"},
        dir / ("produce" + std::to_string(w) + ".log")));
  }
  for (int s = 0; s < 2; ++s) {
    silvers.push_back(StartPizzastreamWithEnv(
        env, {"silver", "--follow", "--data-dir", dir / ("s" + std::to_string(s)), "--lake", lake},
        dir / ("silver" + std::to_string(s) + ".log")));
  }
  for (pid_t p : producers) EXPECT_EQ(WaitFor(p), 0);
  // Ctrl-C: each worker takes what is already in its topic, commits and leaves.
  for (pid_t b : bronzes) kill(b, SIGTERM);
  for (size_t w = 0; w < bronzes.size(); ++w) {
    EXPECT_EQ(WaitFor(bronzes[w]), 128 + SIGTERM)
        << ReadText(dir / ("bronze" + std::to_string(w) + ".log"));
  }
  for (pid_t s : silvers) kill(s, SIGTERM);
  for (pid_t s : silvers) EXPECT_EQ(WaitFor(s), 128 + SIGTERM);
  // Whatever the followers left (none expected) is taken now; then gold and the warehouse.
  for (int w = 0; w < 3; ++w) {
    auto r = RunPizzastreamWithEnv(env, {"bronze", "--data-dir", dir / ("w" + std::to_string(w)),
                                         "--topic", "orders_" + std::to_string(w), "--lake", lake});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const std::string data = dir / "w0";
  for (const char* stage : {"silver", "gold", "load"}) {
    auto r = RunPizzastreamWithEnv(env, {stage, "--data-dir", data, "--lake", lake});
    ASSERT_EQ(r.exit_code, 0) << stage << ": " << r.err;
  }
  auto k = RunPizzastreamWithEnv(env, {"kpi", "--data-dir", data, "--lake", lake, "--json"});
  ASSERT_EQ(k.exit_code, 0) << k.err;
  ExpectExactKpi(ParseKpi(k.out), totals);
  const int64_t bronze_commits = CheckCommits(lake_dir, "bronze/order_lines");
  EXPECT_GE(bronze_commits, 12) << "the workers made too few commits to race";
  CheckCommits(lake_dir, "silver/silver_cleaned");
  CheckCommits(lake_dir, "silver/quarantine");
}

TEST_F(S3LakeE2E, ManyWritersOnOneS3LakeNeverWriteAVersionTwice) {
  RaceManyWriters("s3://lakehouse/race", s3_->BucketDir() + "/race", env_);
}

TEST_F(S3LakeE2E, ManyWritersOnOneLocalLakeNeverWriteAVersionTwice) {
  TempDir lake;
  RaceManyWriters("file://" + lake.path(), lake.path(), env_);
}

TEST_F(S3LakeE2E, AStoreIgnoringIfNoneMatchIsRefused) {
  IfNoneMatchDroppingProxy proxy(s3_->endpoint(), s3_->EnvValue("AWS_ACCESS_KEY_ID"),
                                 s3_->EnvValue("AWS_SECRET_ACCESS_KEY"),
                                 s3_->EnvValue("AWS_REGION"));
  ASSERT_TRUE(proxy.Start().ok());
  std::vector<std::string> env = env_;
  env.push_back("AWS_ENDPOINT_URL=" + proxy.endpoint());
  TempDir dir;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"lake", "init", "--lake", "s3://lakehouse/unsafe"},
        std::vector<std::string>{"bronze", "--data-dir", dir / "data", "--lake",
                                 "s3://lakehouse/unsafe"}}) {
    auto r = RunPizzastreamWithEnv(env, args);
    EXPECT_NE(r.exit_code, 0) << args[0];
    EXPECT_NE(r.err.find("does not honour If-None-Match"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_GE(proxy.dropped(), 4);  // two probe PUTs per command went through it
  // Nothing was committed through it.
  EXPECT_FALSE(fs::exists(s3_->BucketDir() + "/unsafe/bronze"));
  // The same server without the proxy is fine.
  auto r = Run({"lake", "init", "--lake", "s3://lakehouse/unsafe"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(S3LakeE2E, ServerStoppedAndStartedAgainMidRunTheRunRecoversWithExactFigures) {
  TempDir dir;
  const json totals =
      GenerateOrders(dir / "orders.csv", dir / "totals.json", 150000, 0.01, 0.01, 9);
  const std::string lake = "s3://lakehouse/outage";
  const std::string log = dir / "run.log";
  const pid_t pid = StartRun(dir / "orders.csv", dir / "data", lake, log, 25000);
  // Once bronze has committed a few times, the server goes away...
  const fs::path bronze_log = s3_->BucketDir() + "/outage/bronze/order_lines/_delta_log";
  ASSERT_TRUE(WaitUntil([&] { return fs::exists(bronze_log / "00000000000000000002.json"); },
                        std::chrono::seconds(60)))
      << ReadText(log);
  ASSERT_TRUE(s3_->Stop().ok());
  // ...until a stage has failed on it and is retrying with backoff...
  EXPECT_TRUE(WaitUntil([&] { return ReadText(log).find("retrying in") != std::string::npos; },
                        std::chrono::seconds(30)))
      << ReadText(log);
  // ...and then it is back: the run finishes by itself, exact.
  ASSERT_TRUE(s3_->Restart().ok());
  EXPECT_EQ(WaitFor(pid), 0) << ReadText(log);
  ExpectExactKpi(Kpi(dir / "data", lake), totals);
}

TEST_F(S3LakeE2E, WrongCredentialsMissingBucketAndUnreachableEndpointGiveOneClearLine) {
  TempDir dir;
  const std::string secret = s3_->EnvValue("AWS_SECRET_ACCESS_KEY");
  ASSERT_FALSE(secret.empty());
  auto one_line = [&](const CommandResult& r) {
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.err.starts_with("pizzastream: ")) << r.err;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << "the secret was printed";
  };
  // Wrong secret.
  std::vector<std::string> wrong = env_;
  wrong.push_back("AWS_SECRET_ACCESS_KEY=not-" + secret);
  auto r = RunPizzastreamWithEnv(
      wrong, {"bronze", "--data-dir", dir / "d", "--lake", "s3://lakehouse/creds"});
  one_line(r);
  EXPECT_NE(r.err.find("refused the credentials"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not-" + secret), std::string::npos) << "the wrong secret was printed";
  // Missing bucket: the message names the command that creates it, and that command does.
  r = Run({"bronze", "--data-dir", dir / "d", "--lake", "s3://missing-bucket/lake"});
  one_line(r);
  EXPECT_NE(r.err.find("bucket 'missing-bucket' does not exist"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pizzastream lake init --lake s3://missing-bucket/lake"), std::string::npos)
      << r.err;
  r = Run({"lake", "init", "--lake", "s3://missing-bucket/lake"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_directory(s3_->BucketDir("missing-bucket")));
  r = Run({"bronze", "--data-dir", dir / "d", "--lake", "s3://missing-bucket/lake"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Unreachable endpoint (nothing listens on the port).
  std::vector<std::string> nowhere = env_;
  nowhere.push_back("AWS_ENDPOINT_URL=http://127.0.0.1:9");
  r = RunPizzastreamWithEnv(nowhere, {"lake", "init", "--lake", "s3://lakehouse/x"});
  one_line(r);
  EXPECT_NE(r.err.find("cannot reach the S3 endpoint http://127.0.0.1:9"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace pizzastream::testing
