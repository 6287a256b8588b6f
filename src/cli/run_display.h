// What `run` and `demo` show while they work. On a terminal: one block redrawn in place (at
// most 100 columns) — elapsed time and the end-to-end rate, a progress bar for a finite source
// (percent, lines/s, ETA), one line per stage (rows, rows/s, lag, rejected, duplicates,
// errors). Not a terminal: a plain status line every few seconds. Finish draws the final counts
// and the summary with the warehouse's final figures. Not thread-safe: Update is called from
// the pipeline's status thread, Finish after the pipeline returned.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cli/terminal.h"
#include "stage/stage_stats.h"
#include "warehouse/kpi.h"

namespace pizzastream::cli {

class RunDisplay {
 public:
  // `fd`: where to draw (stderr). A plain line every `plain_every` when `fd` is not a terminal.
  explicit RunDisplay(int fd, std::chrono::seconds plain_every = std::chrono::seconds(5));
  void Update(const std::vector<StageStats>& stats);
  // The pipeline has returned: the run's time and rates end here, whatever the summary's
  // figures then take to read (at 5M facts the warehouse's key figures take seconds).
  void Ended() { ended_ = std::chrono::steady_clock::now(); }
  // How the run ended: an error (the CLI prints it), a stop signal, or everything done
  // (--exit-when-idle: the source is exhausted and every record reached the warehouse).
  enum class Ending { kFailed, kStopped, kDone };
  // The last state of the stages, then the summary (`figures`: the warehouse's key figures,
  // when they could be read).
  void Finish(const std::vector<StageStats>& stats,
              const std::optional<warehouse::KpiFigures>& figures, Ending ending);

  // The block's lines for `stats` after `elapsed` seconds, each at most `width` columns.
  static std::vector<std::string> Block(const std::vector<StageStats>& stats, double elapsed,
                                        int width);

 private:
  void Draw(const std::vector<std::string>& lines);

  int fd_;
  Terminal terminal_;
  bool tty_ = false;
  int drawn_ = 0;  // lines of the block on screen
  std::chrono::seconds plain_every_;
  std::chrono::steady_clock::time_point started_, last_plain_;
  std::optional<std::chrono::steady_clock::time_point> ended_;
};

}  // namespace pizzastream::cli
