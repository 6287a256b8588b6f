// Pipeline's stop conditions with scripted stages: with exit_when_idle it returns only when a
// stage's step found nothing and its Lag() answered exactly 0; a Lag() that fails is never
// "nothing left" (it is retried and, if it keeps failing, the run fails with it); Stop() ends
// the run after the current steps even with a backlog left; a throwing stage is an error.
#include "orchestration/pipeline.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <deque>
#include <stdexcept>
#include <thread>

namespace pizzastream::orchestration {
namespace {

// Answers Step and Lag from scripts; once a script is used up it repeats its last answer.
// Counts its steps in `steps`, a global that outlives the pipeline owning the stage.
std::atomic<int> steps{0};

class ScriptedStage final : public Stage {
 public:
  ScriptedStage(std::deque<int64_t> rows, std::deque<Result<int64_t>> lags)
      : rows_(std::move(rows)), lags_(std::move(lags)) {
    steps.store(0);
  }
  std::string name() const override { return "scripted"; }
  Result<StepResult> Step() override {
    steps.fetch_add(1);
    StepResult r;
    r.rows_in = r.rows_out = Next(rows_);
    return r;
  }
  Result<int64_t> Lag() override { return Next(lags_); }

 private:
  template <typename T>
  static T Next(std::deque<T>& script) {
    T value = script.front();
    if (script.size() > 1) script.pop_front();
    return value;
  }
  std::deque<int64_t> rows_;
  std::deque<Result<int64_t>> lags_;
};

PipelineOptions Fast(int max_errors) {
  PipelineOptions options;
  options.exit_when_idle = true;
  options.idle_wait = std::chrono::milliseconds(1);
  options.status_interval = std::chrono::milliseconds(5);
  options.max_consecutive_errors = max_errors;
  options.nice_step = 0;
  return options;
}

Status RunOne(std::unique_ptr<Stage> stage, PipelineOptions options) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::move(stage));
  Pipeline pipeline(std::nullopt, std::move(stages), options);
  return pipeline.Run();
}

TEST(PipelineIdle, AnEmptyStepWithRecordsWaitingIsNotIdle) {
  // Nothing arrives for three steps although the lag says 5 (a fetch still in flight), then
  // the records come and the lag drops to 0.
  auto stage = std::make_unique<ScriptedStage>(std::deque<int64_t>{0, 0, 0, 5, 0},
                                               std::deque<Result<int64_t>>{5, 5, 5, 0});
  ASSERT_TRUE(RunOne(std::move(stage), Fast(3)).ok());
  EXPECT_EQ(steps.load(), 5);
}

TEST(PipelineIdle, AFailedLagQueryIsNeverIdle) {
  // The broker cannot be asked twice, then answers: the run goes on and ends only at lag 0
  // (failed lag queries are not step errors: one allowed error in a row would not stop it).
  auto stage = std::make_unique<ScriptedStage>(
      std::deque<int64_t>{0, 0, 7, 0},
      std::deque<Result<int64_t>>{Status::IOError("broker down"), Status::IOError("broker down"),
                                  0});
  ASSERT_TRUE(RunOne(std::move(stage), Fast(1)).ok());
  EXPECT_EQ(steps.load(), 4);
}

TEST(PipelineIdle, ALagQueryThatKeepsFailingFailsTheRun) {
  auto stage = std::make_unique<ScriptedStage>(
      std::deque<int64_t>{0}, std::deque<Result<int64_t>>{Status::IOError("broker down")});
  PipelineOptions options = Fast(2);
  options.max_unknown_lag = std::chrono::milliseconds(300);
  Status st = RunOne(std::move(stage), options);
  ASSERT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_NE(st.message().find("broker down"), std::string::npos);
}

TEST(PipelineStop, StopEndsTheRunAfterTheCurrentStepsWithABacklogLeft) {
  // A stage that always has more (an endless backlog) and is never idle.
  auto stage =
      std::make_unique<ScriptedStage>(std::deque<int64_t>{100}, std::deque<Result<int64_t>>{1000});
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::move(stage));
  PipelineOptions options = Fast(0);
  options.exit_when_idle = false;
  Pipeline pipeline(std::nullopt, std::move(stages), options);
  std::thread stopper([&] {
    while (steps.load() < 10) std::this_thread::yield();
    pipeline.Stop();
  });
  EXPECT_TRUE(pipeline.Run().ok());
  stopper.join();
  EXPECT_GE(steps.load(), 10);
}

class ThrowingStage final : public Stage {
 public:
  std::string name() const override { return "throwing"; }
  Result<StepResult> Step() override { throw std::runtime_error("a library threw"); }
  Result<int64_t> Lag() override { return 0; }
};

TEST(PipelineErrors, AnExceptionFromAStageIsAnErrorNotATerminate) {
  Status st = RunOne(std::make_unique<ThrowingStage>(), Fast(1));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("a library threw"), std::string::npos) << st.ToString();
}

// Two stages in a row. The upstream one commits its rows only once the downstream one has
// looked and found nothing (it is then idle, waiting), and then finishes.
class Upstream final : public Stage {
 public:
  explicit Upstream(std::atomic<bool>* downstream_looked) : downstream_looked_(downstream_looked) {}
  std::string name() const override { return "upstream"; }
  Result<StepResult> Step() override {
    while (!downstream_looked_->load()) std::this_thread::yield();
    StepResult r;
    r.rows_in = r.rows_out = committed_ ? 0 : 5;
    committed_ = true;
    return r;
  }
  Result<int64_t> Lag() override { return 0; }

 private:
  std::atomic<bool>* downstream_looked_;
  bool committed_ = false;
};

class Downstream final : public Stage {
 public:
  explicit Downstream(std::atomic<bool>* looked) : looked_(looked) {}
  std::string name() const override { return "downstream"; }
  Result<StepResult> Step() override {
    StepResult r;
    if (looked_->exchange(true)) r.rows_in = r.rows_out = script_[std::min(step_++, size_t{1})];
    return r;
  }
  Result<int64_t> Lag() override { return 0; }

 private:
  std::atomic<bool>* looked_;
  const std::array<int64_t, 2> script_{5, 0};
  size_t step_ = 0;
};

TEST(PipelineWakeUp, AnIdleStageLooksAgainAsSoonAsUpstreamCommits) {
  // Idle waits of an hour: the downstream stage finds nothing at first and waits; only being
  // woken by the upstream stage's commit (and its end) lets the run end within the test's
  // timeout.
  std::atomic<bool> looked{false};
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<Upstream>(&looked));
  stages.push_back(std::make_unique<Downstream>(&looked));
  PipelineOptions options = Fast(1);
  options.idle_wait = options.idle_wait_min = std::chrono::hours(1);
  Pipeline pipeline(std::nullopt, std::move(stages), options);
  ASSERT_TRUE(pipeline.Run().ok());
  const auto stats = pipeline.Stats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].rows_out, 5);
  EXPECT_EQ(stats[1].rows_in, 5);
}

}  // namespace
}  // namespace pizzastream::orchestration
