#include "orchestration/pipeline.h"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <thread>

#include "core/clock.h"

namespace pizzastream::orchestration {

namespace {
// Lowers the calling thread's priority by `nice` (Linux: nice is per thread). Best effort.
// A stage's Step and Lag with any exception a library let through turned into a Status: a
// thread must never end in std::terminate.
Result<StepResult> GuardedStep(Stage& stage) {
  try {
    return stage.Step();
  } catch (const std::exception& e) {
    return Status::UnknownError(stage.name(), ": unexpected exception: ", e.what());
  }
}
Result<int64_t> GuardedLag(Stage& stage) {
  try {
    return stage.Lag();
  } catch (const std::exception& e) {
    return Status::UnknownError(stage.name(), ": unexpected exception: ", e.what());
  }
}
// Names the calling thread after its stage (top -H, gdb and perf show it). Best effort.
void NameThisThread(const std::string& name) {
  // Linux keeps 15 characters and the terminating zero.
  const std::string shown = name.substr(0, 15);
  ::pthread_setname_np(::pthread_self(), shown.c_str());
}
void NiceThisThread(int nice) {
  if (nice <= 0) return;
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  if (::setpriority(PRIO_PROCESS, tid, ::getpriority(PRIO_PROCESS, tid) + nice) != 0) {
    spdlog::debug("could not lower a stage thread's priority: {}", std::strerror(errno));
  }
}
}  // namespace

Pipeline::Pipeline(std::optional<ProducerTask> producer, std::vector<std::unique_ptr<Stage>> stages,
                   PipelineOptions options)
    : producer_(std::move(producer)),
      stages_(std::move(stages)),
      options_(std::move(options)),
      done_(stages_.size() + 1),
      wakes_(stages_.size() + 1, 0) {
  if (producer_) stats_.emplace_back().name = "produce";
  for (const auto& s : stages_) stats_.emplace_back().name = s->name();
}

Pipeline::~Pipeline() = default;

std::vector<StageStats> Pipeline::Stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void Pipeline::Record(size_t index, const std::function<void(StageStats&)>& update) {
  std::lock_guard lock(mu_);
  update(stats_[index]);
}

void Pipeline::RunProducer() {
  NameThisThread("produce");
  NiceThisThread(options_.nice_step * static_cast<int>(stats_.size() - 1));
  transport::ProducerProgress progress;
  int64_t last = 0;
  Status st;
  try {
    st = transport::RunProducer(
        *producer_->source, *producer_->writer, producer_->options, producer_stop_,
        [&](const transport::ProducerProgress& p) {
          Record(0, [&](StageStats& s) {
            s.rows_in += p.sent - last;
            s.rows_out += p.sent - last;
            s.last_commit_ms = WallClockMillis();
            s.progress = p.fraction;
          });
          last = p.sent;
          WakeDownstream(0);
        },
        &progress);
  } catch (const std::exception& e) {
    st = Status::UnknownError("produce: unexpected exception: ", e.what());
  }
  if (!st.ok()) {
    spdlog::error("produce: {}", st.ToString());
    GiveUp(st);
  }
  Record(0, [&](StageStats& s) { s.finished = true; });
  done_[0].store(true);
  WakeDownstream(0);
}

void Pipeline::PublishStatus() {
  if (!options_.on_status) return;
  // The stage threads are running: an exception leaving here would end in std::terminate.
  try {
    options_.on_status(Stats());
  } catch (const std::exception& e) {
    spdlog::warn("status: {}", e.what());
  }
}

void Pipeline::PauseUnlessStopped(std::chrono::milliseconds pause) const {
  for (auto waited = std::chrono::milliseconds(0); waited < pause && !stop_.load();
       waited += std::chrono::milliseconds(50)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void Pipeline::WakeDownstream(size_t slot) {
  {
    std::lock_guard lock(wake_mu_);
    ++wakes_[slot];
  }
  wake_.notify_all();
}

uint64_t Pipeline::Wakes(size_t slot) const {
  std::lock_guard lock(wake_mu_);
  return wakes_[slot];
}

void Pipeline::WaitForUpstream(size_t slot, uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(wake_mu_);
  if (slot == 0) {
    wake_.wait_for(lock, timeout, [&] { return stop_.load(); });
    return;
  }
  wake_.wait_for(lock, timeout, [&] { return stop_.load() || wakes_[slot - 1] != seen; });
}

void Pipeline::GiveUp(const Status& error) {
  {
    std::lock_guard lock(mu_);
    if (first_error_.ok()) first_error_ = error;
    failed_.store(true);
    stop_.store(true);
    producer_stop_.store(true);
  }
  // Idle stages stop waiting now (Stop(), from a signal handler, cannot notify: they see it at
  // the end of their idle wait).
  { std::lock_guard lock(wake_mu_); }
  wake_.notify_all();
}

void Pipeline::RunStage(size_t index) {
  const size_t slot = index + (producer_ ? 1 : 0);
  NiceThisThread(options_.nice_step * static_cast<int>(stats_.size() - 1 - slot));
  Stage& stage = *stages_[index];
  NameThisThread(stage.name());
  int consecutive_errors = 0;
  auto backoff = std::chrono::milliseconds(100);
  auto lag_measured = std::chrono::steady_clock::time_point{};
  // Since when Lag() has failed without a break (epoch: it answered last time).
  auto lag_unknown_since = std::chrono::steady_clock::time_point{};
  auto lag_backoff = std::chrono::milliseconds(100);
  // Counts a failure; false when the stage must give up (the run then fails with it).
  auto failed = [&](const Status& error, const char* what) {
    ++consecutive_errors;
    spdlog::error("{}: {}{} (retrying in {} ms)", stage.name(), what, error.ToString(),
                  backoff.count());
    Record(slot, [&](StageStats& s) {
      ++s.errors;
      s.last_error = error.ToString();
    });
    if (options_.max_consecutive_errors > 0 &&
        consecutive_errors >= options_.max_consecutive_errors) {
      GiveUp(error);
      return false;
    }
    PauseUnlessStopped(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    return true;
  };
  auto idle_wait = options_.idle_wait_min;
  while (!stop_.load()) {
    // What upstream had done when this step began: a wake-up after it is news for the next.
    const uint64_t upstream_wakes = slot == 0 ? 0 : Wakes(slot - 1);
    // Upstream finished before this step began: an empty step means this stage is done too.
    const bool upstream_done = slot == 0 || done_[slot - 1].load();
    auto step = GuardedStep(stage);
    if (!step.ok()) {
      if (!failed(step.status(), "")) break;
      continue;
    }
    const StepResult r = *step;
    if (r.rows_in > 0 || r.rows_out > 0) {
      consecutive_errors = 0;
      backoff = std::chrono::milliseconds(100);
      const bool measure_lag =
          std::chrono::steady_clock::now() - lag_measured > std::chrono::milliseconds(500);
      int64_t lag = -1;
      if (measure_lag) {
        lag_measured = std::chrono::steady_clock::now();
        auto l = GuardedLag(stage);
        lag = l.ok() ? *l : -1;
      }
      Record(slot, [&](StageStats& s) {
        if (measure_lag) s.lag = lag;
        s.rows_in += r.rows_in;
        s.rows_out += r.rows_out;
        s.rejected += r.rejected;
        s.duplicates += r.duplicates;
        s.last_commit_ms = WallClockMillis();
      });
      if (r.rows_out > 0) WakeDownstream(slot);
      idle_wait = options_.idle_wait_min;
      continue;
    }
    // Lag is measured here, on the stage's own thread: stages are not thread-safe.
    auto lag = GuardedLag(stage);
    Record(slot, [&](StageStats& s) { s.lag = lag.ok() ? *lag : -1; });
    if (!lag.ok()) {
      // Not knowing what is left is not "nothing left": retry with backoff, for a while.
      const auto now = std::chrono::steady_clock::now();
      if (lag_unknown_since == std::chrono::steady_clock::time_point{}) lag_unknown_since = now;
      if (options_.exit_when_idle && now - lag_unknown_since > options_.max_unknown_lag) {
        GiveUp(lag.status().WithMessage(
            stage.name(), ": cannot tell what is left for ",
            std::chrono::duration_cast<std::chrono::seconds>(options_.max_unknown_lag).count(),
            " s: ", lag.status().message()));
        break;
      }
      spdlog::warn("{}: cannot tell what is left: {} (asking again in {} ms)", stage.name(),
                   lag.status().ToString(), lag_backoff.count());
      PauseUnlessStopped(lag_backoff);
      lag_backoff = std::min(lag_backoff * 2, std::chrono::milliseconds(5000));
      continue;
    }
    lag_unknown_since = {};
    lag_backoff = std::chrono::milliseconds(100);
    consecutive_errors = 0;
    backoff = std::chrono::milliseconds(100);
    // Caught up: nothing came in this step and nothing is waiting (a Kafka fetch can take
    // longer than one poll, so an empty step alone does not prove it).
    if (upstream_done && options_.exit_when_idle && *lag == 0) break;
    WaitForUpstream(slot, upstream_wakes, idle_wait);
    idle_wait = std::min(idle_wait * 2, std::max(options_.idle_wait, options_.idle_wait_min));
  }
  Record(slot, [&](StageStats& s) { s.finished = true; });
  done_[slot].store(true);
  WakeDownstream(slot);
}

Status Pipeline::Run() {
  std::vector<std::thread> threads;
  // Slots: the producer (if any) first, then the stages; a stage's upstream is the slot before
  // it. Without a producer, bronze has no upstream: the topic's current content is all there is.
  if (producer_) threads.emplace_back([this] { RunProducer(); });
  for (size_t i = 0; i < stages_.size(); ++i) threads.emplace_back([this, i] { RunStage(i); });

  std::vector<int64_t> last_rows(stats_.size(), 0);
  auto last_time = std::chrono::steady_clock::now();
  const size_t last_slot = stats_.size() - 1;
  while (true) {
    for (auto waited = std::chrono::milliseconds(0);
         waited < options_.status_interval && !done_[last_slot].load() && !stop_.load();
         waited += std::chrono::milliseconds(20)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - last_time).count();
    last_time = now;
    {
      std::lock_guard lock(mu_);
      for (size_t i = 0; i < stats_.size(); ++i) {
        stats_[i].rows_per_second = seconds > 0 ? (stats_[i].rows_in - last_rows[i]) / seconds : 0;
        last_rows[i] = stats_[i].rows_in;
      }
    }
    PublishStatus();
    if (done_[last_slot].load() || stop_.load()) break;
  }
  for (auto& t : threads) t.join();
  PublishStatus();
  std::lock_guard lock(mu_);
  return first_error_;
}

}  // namespace pizzastream::orchestration
