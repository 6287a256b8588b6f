#include "cli/run_display.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "cli/stages.h"

namespace pizzastream::cli {

namespace {

constexpr int kMaxWidth = 100;

// 1234567 -> "1,234,567".
std::string Grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string Duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "-";
  const auto s = static_cast<int64_t>(std::llround(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
}

std::string Fit(std::string line, int width) {
  if (static_cast<int>(line.size()) > width) line.resize(static_cast<size_t>(std::max(0, width)));
  return line;
}

void Write(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace

RunDisplay::RunDisplay(int fd, std::chrono::seconds plain_every)
    : fd_(fd),
      plain_every_(plain_every),
      started_(std::chrono::steady_clock::now()),
      last_plain_(started_) {
  tty_ = terminal_.Open(fd);
}

std::vector<std::string> RunDisplay::Block(const std::vector<StageStats>& stats, double elapsed,
                                           int width) {
  width = std::min(width, kMaxWidth);
  std::vector<std::string> lines;
  const int64_t loaded = stats.empty() ? 0 : stats.back().rows_out;
  lines.push_back(fmt::format("pizzastream  {}  {} rows loaded  {} rows/s end to end",
                              Duration(elapsed), Grouped(loaded),
                              Grouped(elapsed > 0 ? static_cast<int64_t>(loaded / elapsed) : 0)));
  for (const auto& s : stats) {
    if (s.progress < 0) continue;  // a finite source: how far through it the producer is
    constexpr int kBar = 30;
    const double f = std::clamp(s.progress, 0.0, 1.0);
    const int filled = static_cast<int>(f * kBar);
    const double eta = f > 0 && !s.finished ? elapsed * (1 - f) / f : 0;
    lines.push_back(fmt::format("source  [{}{}] {:5.1f}%  {:>9} lines/s  ETA {}",
                                std::string(static_cast<size_t>(filled), '#'),
                                std::string(static_cast<size_t>(kBar - filled), '.'), f * 100,
                                Grouped(static_cast<int64_t>(s.rows_per_second)),
                                s.finished ? "done" : Duration(eta)));
  }
  lines.push_back(fmt::format("{:<8}{:>13}{:>12}{:>12}{:>11}{:>11}{:>8}", "stage", "rows", "rows/s",
                              "lag", "rejected", "duplicate", "errors"));
  for (const auto& s : stats) {
    lines.push_back(fmt::format(
        "{:<8}{:>13}{:>12}{:>12}{:>11}{:>11}{:>8}{}", s.name, Grouped(s.rows_in),
        Grouped(static_cast<int64_t>(s.rows_per_second)), s.lag >= 0 ? Grouped(s.lag) : "-",
        Grouped(s.rejected), Grouped(s.duplicates), Grouped(s.errors), s.finished ? "  done" : ""));
  }
  for (const auto& s : stats) {
    if (s.errors > 0 && !s.last_error.empty()) lines.push_back(s.name + ": " + s.last_error);
  }
  for (auto& line : lines) line = Fit(std::move(line), width);
  return lines;
}

void RunDisplay::Draw(const std::vector<std::string>& lines) {
  std::string out = terminal_.Up(drawn_);
  for (const auto& line : lines) out += line + terminal_.ClearToEnd() + "\n";
  // A block that shrank (an error line gone) leaves no stale lines below it.
  for (int i = static_cast<int>(lines.size()); i < drawn_; ++i)
    out += terminal_.ClearToEnd() + "\n";
  Write(fd_, out);
  drawn_ = std::max(drawn_, static_cast<int>(lines.size()));
}

void RunDisplay::Update(const std::vector<StageStats>& stats) {
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  if (tty_) {
    Draw(Block(stats, elapsed, terminal_.Columns() - 1));
    return;
  }
  if (now - last_plain_ < plain_every_) return;
  last_plain_ = now;
  Write(fd_, StatusLine(stats) + "\n");
}

void RunDisplay::Finish(const std::vector<StageStats>& stats,
                        const std::optional<warehouse::KpiFigures>& figures, Ending ending) {
  const double elapsed =
      std::chrono::duration<double>(ended_.value_or(std::chrono::steady_clock::now()) - started_)
          .count();
  // The rates of the whole run, not of its last interval.
  auto final_stats = stats;
  for (auto& s : final_stats) s.rows_per_second = elapsed > 0 ? s.rows_in / elapsed : 0;
  if (tty_) {
    Draw(Block(final_stats, elapsed, terminal_.Columns() - 1));
  } else {
    Write(fd_, StatusLine(final_stats) + "\n");
  }
  std::string summary;
  const int64_t loaded = stats.empty() ? 0 : stats.back().rows_out;
  summary +=
      fmt::format("{} rows loaded in {:.2f} s ({} rows/s end to end)\n", Grouped(loaded), elapsed,
                  Grouped(elapsed > 0 ? static_cast<int64_t>(loaded / elapsed) : 0));
  if (figures) summary += "warehouse: " + KpiLine(*figures) + "\n";
  if (ending == Ending::kStopped) {
    summary += "stopped; every stage committed its position (the next run resumes there)\n";
  } else if (ending == Ending::kDone) {
    summary += "done: the source is exhausted and every record reached the warehouse\n";
  }
  Write(fd_, summary);
}

}  // namespace pizzastream::cli
