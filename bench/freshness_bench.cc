// Freshness: how long after a producer sends an order line its row is visible in the warehouse
// and in the dashboard's /api/kpi. Starts `pizzastream run --serve` (no source: it follows the
// topic) on a fresh data dir, then sends generated lines (generator defaults, no dirty or
// duplicate lines) into the embedded log from this process at a steady rate, noting when each
// send happened, while two threads poll every few milliseconds: the warehouse's fact row count
// (fact_load_ranges) and /api/kpi's fact_rows. Lines become visible in send order (one
// partition), so the row count tells which lines are visible. Prints p50/p99/max per rate.
//
//   freshness_bench [--rates 1000,10000] [--seconds S (default 20)] [--dir DIR]
#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sources/generator.h"
#include "transport/open_topic.h"
#include "transport/producer.h"
#include "warehouse/fact_load_ranges.h"
#include "warehouse/warehouse.h"

namespace {
using namespace pizzastream;

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "freshness_bench: " << what << "\n";
  std::exit(1);
}

// When each line was sent: batches (count sent so far, time).
struct SendLog {
  std::mutex mu;
  std::vector<std::pair<int64_t, Clock::time_point>> batches;
};

// When the first `n` lines became visible, as a poller saw them.
struct Visibility {
  std::mutex mu;
  std::vector<std::pair<int64_t, Clock::time_point>> seen;  // count, time (counts increase)
  void Saw(int64_t n) {
    std::lock_guard lock(mu);
    if (seen.empty() || n > seen.back().first) seen.emplace_back(n, Clock::now());
  }
};

// Latency in ms of every line sent: time its count was first seen minus its batch's send time.
std::vector<double> Latencies(const SendLog& sent, const Visibility& seen, int64_t total) {
  std::vector<double> out;
  size_t b = 0, v = 0;
  for (int64_t line = 0; line < total; ++line) {
    while (b < sent.batches.size() && sent.batches[b].first <= line) ++b;
    while (v < seen.seen.size() && seen.seen[v].first <= line) ++v;
    if (b >= sent.batches.size() || v >= seen.seen.size()) break;
    out.push_back(
        std::chrono::duration<double, std::milli>(seen.seen[v].second - sent.batches[b].second)
            .count());
  }
  return out;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

pid_t StartRun(const std::string& data_dir, int port) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string bin = PIZZASTREAM_BIN;
    const std::string port_text = std::to_string(port);
    execl(bin.c_str(), bin.c_str(), "run", "--data-dir", data_dir.c_str(), "--serve", "--port",
          port_text.c_str(), "--quiet", "--log-level", "warn", static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

void Measure(double rate, int seconds, const fs::path& dir, int port) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  const pid_t run = StartRun(dir.string(), port);
  httplib::Client http("127.0.0.1", port);
  http.set_connection_timeout(1);
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (true) {
    auto res = http.Get("/healthz");
    if (res && res->status == 200) break;
    if (Clock::now() > deadline) Die("the dashboard of `run --serve` did not come up");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  const int64_t total = static_cast<int64_t>(rate * seconds);
  sources::GeneratorOptions g;
  g.seed = 11;
  g.limit = total;
  auto source = sources::OrderGenerator::Make(g);
  if (!source.ok()) Die(source.status().ToString());
  transport::TransportConfig transport;
  transport.log_dir = (dir / "log").string();
  auto writer = transport::OpenTopicWriter(transport, "freshness-bench");
  if (!writer.ok()) Die(writer.status().ToString());

  SendLog sent;
  Visibility in_warehouse, in_api;
  std::atomic<bool> done{false};
  std::thread warehouse_poller([&] {
    auto wh = warehouse::OpenWarehouse((dir / "warehouse.db").string());
    if (!wh.ok()) Die(wh.status().ToString());
    while (!done.load()) {
      if (auto n = warehouse::LoadedFactRows(**wh); n.ok()) in_warehouse.Saw(*n);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::thread api_poller([&] {
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    while (!done.load()) {
      if (auto res = client.Get("/api/kpi"); res && res->status == 200) {
        const auto body = nlohmann::json::parse(res->body, nullptr, false);
        if (body.is_object() && body.contains("fact_rows"))
          in_api.Saw(body["fact_rows"].get<int64_t>());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });

  transport::ProducerOptions options;
  options.rate = rate;
  transport::ProducerProgress progress;
  std::atomic<bool> stop{false};
  const Status st = transport::RunProducer(
      **source, **writer, options, stop,
      [&](const transport::ProducerProgress& p) {
        std::lock_guard lock(sent.mu);
        sent.batches.emplace_back(p.sent, Clock::now());
      },
      &progress);
  if (!st.ok()) Die(st.ToString());
  const auto send_end = Clock::now();
  // Wait until everything is visible in both (or give up after 60 s).
  while (Clock::now() - send_end < std::chrono::seconds(60)) {
    bool all = true;
    for (Visibility* v : {&in_warehouse, &in_api}) {
      std::lock_guard lock(v->mu);
      all &= !v->seen.empty() && v->seen.back().first >= total;
    }
    if (all) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  done.store(true);
  warehouse_poller.join();
  api_poller.join();
  kill(run, SIGINT);
  int status = 0;
  waitpid(run, &status, 0);

  const double sent_seconds =
      std::chrono::duration<double>(send_end - sent.batches.front().second).count();
  fmt::print("rate {:>6.0f} lines/s for {} s ({} lines, sent at {:.0f} lines/s)\n", rate, seconds,
             total, static_cast<double>(total) / sent_seconds);
  for (const auto& [name, v] :
       {std::pair{"warehouse", &in_warehouse}, std::pair{"/api/kpi", &in_api}}) {
    const auto ms = Latencies(sent, *v, total);
    fmt::print(
        "  visible in {:<10} {:>7} lines  p50 {:>7.1f} ms  p99 {:>7.1f} ms  max {:>7.1f} ms\n",
        name, ms.size(), Percentile(ms, 0.5), Percentile(ms, 0.99),
        ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<double> rates = {1000, 10000};
  int seconds = 20;
  std::string dir = fmt::format("/tmp/freshness_bench_{}", getpid());
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--rates") {
      rates.clear();
      std::stringstream list(value());
      for (std::string r; std::getline(list, r, ',');) rates.push_back(std::stod(r));
    } else if (a == "--seconds") {
      seconds = std::stoi(value());
    } else if (a == "--dir") {
      dir = value();
    } else {
      std::cerr << "usage: freshness_bench [--rates 1000,10000] [--seconds S] [--dir DIR]\n";
      return 2;
    }
  }
  const int port = 20000 + getpid() % 20000;
  for (double rate : rates)
    Measure(rate, seconds, fs::path(dir) / fmt::format("r{:.0f}", rate), port);
  fs::remove_all(dir);
  return 0;
}
