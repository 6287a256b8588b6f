// Bronze: reads the topic and lands every record in the lake as received.
// A record that is not a JSON object of text fields goes to bronze/quarantine with its raw
// payload and the reason. Output rows and the topic positions they cover are committed in one
// Delta commit per table (txn appId per partition), and reading resumes from the positions in
// the lake, so a crash or a restart neither loses nor repeats a record.
#pragma once

#include <map>
#include <memory>

#include "lake/lakehouse.h"
#include "lake/streamed_file.h"
#include "stage/stage.h"
#include "transport/open_topic.h"

namespace pizzastream::bronze {

struct BronzeOptions {
  transport::TransportConfig transport;
  size_t max_batch = 25000;  // records per poll at most
  // When a step's first poll brings at least `backlog_records`, records arrive faster than steps:
  // the step goes on polling for up to `linger`, up to about `max_step_records`, and lands them
  // all in one file a poll at a time (memory holds one poll's lines). Fewer, larger files: fewer
  // commits, less for compaction to rewrite, and the steps after bronze, which take whole
  // commits, grow alike. A slow stream's step is its one short poll, landed at once.
  // 250k: every stage after bronze reads and writes a step a chunk at a time, so a step's size
  // costs no memory; at 5M lines, 40k-line steps had compaction rewrite ~80% of the lines once
  // (~3 us of CPU a line), 250k-line steps leave ~20-40 files a table and nothing to rewrite.
  int64_t max_step_records = 250000;
  std::chrono::milliseconds linger{250};
  // 4096: a stream of 10,000 lines/s brings a few hundred records between steps (landed at
  // once); a backlog brings thousands. Waiting for a full poll (25k) missed a backlog that bronze
  // keeps up with: 5M generated lines landed in ~85 steps of ~12k, and compaction rewrote
  // 3.4-4.1M bronze rows.
  size_t backlog_records = 4096;
  // While gathering, a poll waits at most this long for more: a backlog that has drained (a
  // file replay sent, the producer stopped) ends the step now, not when `linger` runs out
  // (the real data set's run: 0.69-0.77 s wall waiting it out, against 0.54).
  std::chrono::milliseconds gather_poll_timeout{20};
  std::chrono::milliseconds poll_timeout{200};
};

class BronzeStage final : public Stage {
 public:
  static Result<std::unique_ptr<BronzeStage>> Open(std::shared_ptr<lake::Lakehouse> lake,
                                                   BronzeOptions options);
  ~BronzeStage() override;

  std::string name() const override { return "bronze"; }
  Result<StepResult> Step() override;
  // Records of the topic, over all its partitions, beyond the positions committed in the lake.
  Result<int64_t> Lag() override;

 private:
  class Batch;
  BronzeStage(std::shared_ptr<lake::Lakehouse> lake, BronzeOptions options);
  Result<int64_t> StartOffset(int32_t partition);
  Status Resync();

  // One step, in the order it runs: poll (again while there is a backlog, see BronzeOptions),
  // sort each poll's messages into lines, written to the step's file, and quarantine (only
  // those a table does not hold yet), commit quarantine then order lines with each
  // partition's next offset, and record the consumer offsets.
  // Per partition polled: the offset after the last message, and from which offsets on each
  // table still lacks the records (it holds up to there after a half-done step).
  struct PartitionState {
    int64_t next = 0, lines_from = 0, quarantine_from = 0;
  };
  using Partitions = std::map<int32_t, PartitionState>;
  // Polls, sorts and writes until the step is full or the topic has no backlog; returns the
  // records polled (0: none arrived in time).
  Result<int64_t> PollAndWrite(Partitions* partitions, lake::StreamedFile* lines);
  Status SortMessages(Partitions* partitions, lake::StreamedFile* lines);
  Status CommitBatch(const Partitions& partitions, lake::StreamedFile* lines);
  Status CommitTable(lake::DeltaLog& log, lake::Commit& commit,
                     std::map<std::string, int64_t>& expected, const char* table,
                     const lake::ParquetHints& hints);

  std::shared_ptr<lake::Lakehouse> lake_;
  BronzeOptions options_;
  std::unique_ptr<lake::DeltaLog> lines_log_;
  std::unique_ptr<lake::DeltaLog> quarantine_log_;
  std::unique_ptr<transport::TopicReader> reader_;
  std::unique_ptr<Batch> batch_;
  // txn versions this worker last saw or wrote, per appId (the commit's expectations).
  std::map<std::string, int64_t> lines_expected_;
  std::map<std::string, int64_t> quarantine_expected_;
  std::vector<transport::Message> messages_;
  // A step failed after reading: the reader is past what the lake holds, so the next step
  // first goes back to the lake's positions (else those records would be skipped).
  bool resync_needed_ = false;
};

}  // namespace pizzastream::bronze
