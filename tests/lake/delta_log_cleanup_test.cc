// Delta's log retention (lake/delta_log_cleanup.h) and a start-up that does not grow with
// history: `_last_checkpoint` verified, or a listing when it cannot be used; clean-up deletes
// only what is older than the newest checkpoint old enough, and the table reads the same after.
#include "lake/delta_log_cleanup.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "lake/delta_log.h"
#include "support/delta_fixture.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

using namespace pizzastream::testing;
namespace fs = std::filesystem;

std::string LogDir(const TempDir& dir) { return dir.path() + "/t/_delta_log"; }
std::string LogFile(const TempDir& dir, const std::string& name) {
  return LogDir(dir) + "/" + name;
}

std::set<std::string> LogNames(const TempDir& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(LogDir(dir))) out.insert(e.path().filename());
  return out;
}

std::unique_ptr<DeltaLog> MakeTable(const Lakehouse& lake, int commits) {
  return MakeAppendedTable(lake, "t", commits);
}

// Sets the modification time of commits [first, last] `days` days into the past.
void AgeCommits(const TempDir& dir, int64_t first, int64_t last, int days) {
  const auto when = fs::file_time_type::clock::now() - std::chrono::hours(24 * days);
  for (int64_t v = first; v <= last; ++v) fs::last_write_time(CommitPath(dir.path(), "t", v), when);
}

// Commits a metaData action with `key` = `value` added to the table's properties.
void SetProperty(DeltaLog& log, const std::string& key, const std::string& value) {
  const Snapshot* s = log.Update().ValueOrDie();
  MetadataAction m = s->metadata;
  m.configuration[key] = value;
  const std::string path = log.LogDir() + fmt::format("/{:020d}.json", s->version + 1);
  ASSERT_TRUE(log.store()->PutIfAbsent(path, MetadataLine(m)).ValueOrDie());
}

TEST(DeltaLogCleanup, IntervalsAreParsedAsDeltaWritesThem) {
  EXPECT_EQ(ParseDeltaIntervalMs("interval 30 days").ValueOrDie(), 30LL * 86'400'000);
  EXPECT_EQ(ParseDeltaIntervalMs("interval 1 week").ValueOrDie(), 7LL * 86'400'000);
  EXPECT_EQ(ParseDeltaIntervalMs("INTERVAL 2 hours 30 minutes").ValueOrDie(), 9'000'000);
  EXPECT_EQ(ParseDeltaIntervalMs("1 day").ValueOrDie(), 86'400'000);
  EXPECT_EQ(ParseDeltaIntervalMs("interval 0 seconds").ValueOrDie(), 0);
  for (const char* bad : {"", "interval", "30 days ago", "interval x days", "interval 3 fortnights",
                          "interval -1 days"}) {
    EXPECT_FALSE(ParseDeltaIntervalMs(bad).ok()) << bad;
  }
}

TEST(DeltaLogCleanup, RetentionComesFromTheTableProperties) {
  MetadataAction m;
  auto r = LogRetentionOf(m, "t").ValueOrDie();
  EXPECT_TRUE(r.enabled);
  EXPECT_EQ(r.retention_ms, kDefaultLogRetentionMs);
  m.configuration["delta.logRetentionDuration"] = "interval 2 days";
  m.configuration["delta.enableExpiredLogCleanup"] = "FALSE";
  r = LogRetentionOf(m, "t").ValueOrDie();
  EXPECT_FALSE(r.enabled);
  EXPECT_EQ(r.retention_ms, 2 * 86'400'000);
  m.configuration["delta.logRetentionDuration"] = "two days";
  EXPECT_FALSE(LogRetentionOf(m, "t").ok());
}

TEST(DeltaLogCleanup, DeletesOnlyWhatIsOlderThanTheNewestExpiredCheckpoint) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto writer = MakeTable(*lake, 25);  // checkpoints at 10 and 20
  WriteFile(LogFile(dir, "00000000000000000003.crc"), "{}");
  // Commits 0..14 are 40 days old: the cut-off commit is 14, the cut-off checkpoint 10.
  AgeCommits(dir, 0, 14, 40);
  auto outcome = writer->CleanUpExpiredLogs().ValueOrDie();
  EXPECT_FALSE(outcome.disabled);
  EXPECT_EQ(outcome.cleanup.cutoff_checkpoint, 10);
  EXPECT_EQ(outcome.cleanup.deleted.size(), 10u + 1u);  // commits 0..9 and the .crc
  const auto names = LogNames(dir);
  for (int64_t v = 0; v < 10; ++v) EXPECT_FALSE(fs::exists(CommitPath(dir.path(), "t", v))) << v;
  EXPECT_FALSE(names.count("00000000000000000003.crc"));
  for (int64_t v = 10; v <= 25; ++v) EXPECT_TRUE(fs::exists(CommitPath(dir.path(), "t", v))) << v;
  EXPECT_TRUE(names.count("00000000000000000010.checkpoint.parquet"));
  EXPECT_TRUE(names.count("00000000000000000020.checkpoint.parquet"));

  // Nothing older than the retention but commits: nothing more goes.
  EXPECT_TRUE(writer->CleanUpExpiredLogs().ValueOrDie().cleanup.deleted.empty());

  // A retention of 0: everything before checkpoint 20 goes, the table reads the same.
  outcome = writer->CleanUpExpiredLogs(0).ValueOrDie();
  EXPECT_EQ(outcome.cleanup.cutoff_checkpoint, 20);
  EXPECT_FALSE(LogNames(dir).count("00000000000000000010.checkpoint.parquet"));
  EXPECT_FALSE(fs::exists(CommitPath(dir.path(), "t", 19)));
  EXPECT_TRUE(fs::exists(CommitPath(dir.path(), "t", 20)));
  auto reader = lake->Log("t");
  const Snapshot* s = reader->Update().ValueOrDie();
  EXPECT_EQ(s->version, 25);
  EXPECT_EQ(s->num_records, 50);
  EXPECT_EQ(s->txns.at("app"), 24);
  // Without the hint too (the listing starts from checkpoint 20).
  fs::remove(LogFile(dir, "_last_checkpoint"));
  auto listed = lake->Log("t");
  EXPECT_EQ(listed->Update().ValueOrDie()->num_records, 50);
  EXPECT_GT(listed->log_entries_listed(), 0);
  // And it goes on being written.
  EXPECT_EQ(AppendTestRows(*lake, *reader, "t", 1000, 1), 26);
}

TEST(DeltaLogCleanup, NothingIsDeletedWithoutACheckpointOldEnoughOrWhenTurnedOff) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto writer = MakeTable(*lake, 8);  // no checkpoint yet
  EXPECT_EQ(writer->CleanUpExpiredLogs(0).ValueOrDie().cleanup.cutoff_checkpoint, -1);
  EXPECT_TRUE(fs::exists(CommitPath(dir.path(), "t", 0)));

  SetProperty(*writer, "delta.enableExpiredLogCleanup", "false");  // version 9
  ASSERT_TRUE(writer->Checkpoint().ok());
  for (int64_t v = 10; v < 14; ++v) AppendTestRows(*lake, *writer, "t", v * 10, 1);
  const auto outcome = writer->CleanUpExpiredLogs(0).ValueOrDie();
  EXPECT_TRUE(outcome.disabled);
  EXPECT_TRUE(outcome.cleanup.deleted.empty());
  EXPECT_TRUE(fs::exists(CommitPath(dir.path(), "t", 0)));
}

TEST(DeltaLogCleanup, AStaleOrBrokenHintFallsBackToTheListing) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto writer = MakeTable(*lake, 25);
  ASSERT_TRUE(writer->CleanUpExpiredLogs(0).ok());         // checkpoint 10 and commits < 20 gone
  for (const char* hint : {R"({"version":10,"size":3})",   // its checkpoint was cleaned up
                           R"({"version":20,"si)",         // half-written
                           R"({"version":20,"parts":2})",  // parts that do not exist
                           R"({"version":20,"v2Checkpoint":{}})"}) {
    WriteFile(LogFile(dir, "_last_checkpoint"), hint);
    auto reader = lake->Log("t");
    const auto s = reader->Update();
    ASSERT_TRUE(s.ok()) << hint << ": " << s.status().ToString();
    EXPECT_EQ((*s)->version, 25) << hint;
    EXPECT_EQ((*s)->num_records, 50) << hint;
    EXPECT_GT(reader->log_entries_listed(), 0) << hint;
  }
  // A hint past a hole in the log: the listing reports the corruption.
  WriteFile(LogFile(dir, "_last_checkpoint"), R"({"version":20,"size":3})");
  fs::rename(CommitPath(dir.path(), "t", 22), LogFile(dir, "moved-away"));
  EXPECT_FALSE(lake->Log("t")->Update().ok());
}

TEST(DeltaLogCleanup, ThousandsOfCommitsStartUpListingNothingAndReadingAFewFiles) {
  TempDir dir;
  auto lake = Lakehouse::Open(dir.path()).ValueOrDie();
  auto writer = lake->Log("t");
  ASSERT_TRUE(writer->CreateIfMissing(DeltaTestSchema()).ok());
  constexpr int kCommits = 2000;
  for (int i = 0; i < kCommits; ++i) {  // txn-only commits: cheap, and the log is what is measured
    Commit c;
    c.txns["app"] = i;
    ASSERT_TRUE(writer->CommitAppend(c, {{"app", i - 1}}).ok());
  }
  const int64_t before = static_cast<int64_t>(LogNames(dir).size());
  EXPECT_GT(before, kCommits);
  // Start-up from _last_checkpoint: no listing, the checkpoint and the commits after it.
  auto reader = lake->Log("t");
  const Snapshot* s = reader->Update().ValueOrDie();
  EXPECT_EQ(s->version, kCommits);
  EXPECT_EQ(s->txns.at("app"), kCommits - 1);
  EXPECT_EQ(reader->log_entries_listed(), 0);
  EXPECT_LE(reader->log_files_read(), 1 + 10);
  // After a clean-up with a short retention the log itself is small, so even a start without
  // the hint lists a bounded number of entries.
  const auto outcome = writer->CleanUpExpiredLogs(0).ValueOrDie();
  EXPECT_EQ(outcome.cleanup.cutoff_checkpoint, kCommits);
  EXPECT_GE(static_cast<int64_t>(outcome.cleanup.deleted.size()), kCommits);
  fs::remove(LogFile(dir, "_last_checkpoint"));
  auto listed = lake->Log("t");
  EXPECT_EQ(listed->Update().ValueOrDie()->txns.at("app"), kCommits - 1);
  EXPECT_LE(listed->log_entries_listed(), 2);  // checkpoint + its commit
  EXPECT_LE(listed->log_files_read(), 1 + 10);
}

TEST(LogStore, AtomicReplaceSwapsTheWholeFileAndLeavesNoTemporary) {
  TempDir dir;
  auto store = LocalLogStore();
  const std::string path = dir.path() + "/state/sub/value.json";
  ASSERT_TRUE(store->AtomicReplace(path, "first\n").ok());  // creates the directories
  ASSERT_TRUE(store->AtomicReplace(path, "second\n").ok());
  EXPECT_EQ(ReadText(path), "second\n");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir.path() + "/state/sub")) {
    ++entries;
    (void)e;
  }
  EXPECT_EQ(entries, 1);
}

}  // namespace
}  // namespace pizzastream::lake
