// Runs the stages continuously, each on its own thread: the producer (when the run has a
// source), bronze, silver, gold and load. A stage that finds nothing new waits until the stage
// upstream of it in this process commits (or ends), or a little at most (upstream may be
// another process: a Kafka producer, a separate `bronze`); a stage whose step fails logs the
// error and retries with backoff (a broker or a database may come back). Stop() (Ctrl-C,
// SIGTERM) lets every stage finish the step it is in and commit, then returns: nothing is
// lost, and the next run resumes where this one stopped. It does not wait for the backlog
// upstream to drain (that could take minutes).
//
// With exit_when_idle, Run returns once the producer has ended and every stage is caught up:
// its step found nothing new and its Lag() answered exactly 0. A Lag() that fails is never
// taken for 0 (e.g. a broker that cannot be asked where the topic ends): the stage keeps
// trying, and an answer that stays away for max_unknown_lag ends the run in an error rather
// than in a partial result.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "stage/stage.h"
#include "stage/stage_stats.h"
#include "transport/producer.h"

namespace pizzastream::orchestration {

struct ProducerTask {
  std::unique_ptr<sources::OrderSource> source;
  std::unique_ptr<transport::TopicWriter> writer;
  transport::ProducerOptions options;
};

struct PipelineOptions {
  bool exit_when_idle = false;  // return once the producer ended and all is loaded
  // A stage with nothing new waits before it looks again: idle_wait_min right after a step that
  // brought rows (the stream is flowing: the next rows come soon), doubling on each empty look
  // up to idle_wait (a quiet stream costs a look every idle_wait). A commit upstream in this
  // process ends the wait at once: a record does not wait out each stage's idle wait.
  std::chrono::milliseconds idle_wait{100};
  std::chrono::milliseconds idle_wait_min{5};
  std::chrono::milliseconds status_interval{1000};
  int max_consecutive_errors = 0;  // give up after this many failures in a row (0: never)
  // With exit_when_idle: give up when a caught-up stage could not tell what is left (its Lag()
  // failing, e.g. a broker away) for this long. A broker restart takes seconds; the Kafka
  // producer waits this long for delivery too.
  std::chrono::milliseconds max_unknown_lag = std::chrono::minutes(5);
  // Scheduling: each stage's thread runs this much nicer than the one downstream of it, so
  // with every core busy the stages nearest the warehouse (the slowest) get the CPU and
  // upstream backlog waits instead. 0: all equal.
  int nice_step = 5;
  // Called every status_interval with every stage's figures (the status line, the dashboard).
  std::function<void(const std::vector<StageStats>&)> on_status;
};

class Pipeline {
 public:
  Pipeline(std::optional<ProducerTask> producer, std::vector<std::unique_ptr<Stage>> stages,
           PipelineOptions options);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Runs until Stop() or, with exit_when_idle, until everything produced is loaded.
  // Returns the first error a stage gave up on.
  Status Run();
  // Graceful stop (Ctrl-C): the producer stops after the batch it is sending, every stage after
  // the step it is in; the rest is left for the next run (every stage resumes from its
  // committed position). Async-signal-safe (atomic stores only).
  void Stop() {
    producer_stop_.store(true);
    stop_.store(true);
  }
  std::vector<StageStats> Stats() const;

 private:
  void RunStage(size_t index);
  void RunProducer();
  void Record(size_t index, const std::function<void(StageStats&)>& update);
  // Calls options_.on_status, if any, with the current figures.
  void PublishStatus();
  // Waits `pause`, in slices, returning early once the run is stopping.
  void PauseUnlessStopped(std::chrono::milliseconds pause) const;
  // The stage in `slot` committed rows or finished: the one downstream of it looks now rather
  // than at the end of its idle wait.
  void WakeDownstream(size_t slot);
  // How many times the stage in `slot` has woken the one downstream of it.
  uint64_t Wakes(size_t slot) const;
  // An idle stage's wait: up to `timeout`, or until the slot upstream of it has woken it since
  // `seen` (Wakes(slot - 1)). A stage without an upstream in this process (bronze reading a
  // topic others write) waits the whole timeout; Stop() is seen at its end.
  void WaitForUpstream(size_t slot, uint64_t seen, std::chrono::milliseconds timeout);
  // Ends the run with `error` (the first one given wins).
  void GiveUp(const Status& error);

  std::optional<ProducerTask> producer_;
  std::vector<std::unique_ptr<Stage>> stages_;
  PipelineOptions options_;
  std::atomic<bool> stop_{false};           // leave after the current step
  std::atomic<bool> producer_stop_{false};  // the producer stops sending
  std::atomic<bool> failed_{false};
  mutable std::mutex mu_;
  std::vector<StageStats> stats_;  // producer first (if any), then stages
  std::vector<std::atomic<bool>> done_;
  Status first_error_;
  mutable std::mutex wake_mu_;
  std::condition_variable wake_;
  std::vector<uint64_t> wakes_;  // per slot, guarded by wake_mu_
};

}  // namespace pizzastream::orchestration
