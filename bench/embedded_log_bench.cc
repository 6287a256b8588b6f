// How fast the embedded log appends and reads order lines: ~350-byte JSON values with 8-byte
// keys in batches of 5000 (records/s and bytes/s of values), with and without an fsync per batch.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "transport/embedded_log.h"

namespace pizzastream::transport {
namespace {

constexpr size_t kBatch = 5000;

// A log directory removed when the benchmark ends.
struct ScratchLog {
  explicit ScratchLog(int partitions) {
    std::string pattern = "/tmp/embedded_log_bench_XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    dir = pattern;
    config.log_dir = dir;
    config.partitions = partitions;
  }
  ~ScratchLog() { std::filesystem::remove_all(dir); }
  std::string dir;
  TransportConfig config;
};

// `count` order lines as the producer sends them: key = order id, value = the JSON record.
struct OrderLines {
  explicit OrderLines(size_t count) {
    for (size_t i = 0; i < count; ++i) {
      char key[16], value[512];
      std::snprintf(key, sizeof(key), "%08zu", i / 2 + 10000000);
      const int n = std::snprintf(
          value, sizeof(value),
          "{\"pizza_id\":\"%zu\",\"order_id\":\"%zu\",\"pizza_name_id\":\"thai_ckn_l\","
          "\"quantity\":\"1\",\"order_date\":\"1/1/2015\",\"order_time\":\"11:38:36\","
          "\"unit_price\":\"20.75\",\"total_price\":\"20.75\",\"pizza_size\":\"L\","
          "\"pizza_category\":\"Chicken\",\"pizza_ingredients\":\"Chicken, Pineapple, "
          "Tomatoes, Red Peppers, Thai Sweet Chilli Sauce\",\"pizza_name\":\"The Thai Chicken "
          "Pizza\",\"order_channel\":\"web\"}",
          i + 1, i / 2 + 1);
      keys.emplace_back(key);
      values.emplace_back(value, static_cast<size_t>(n));
    }
    for (size_t i = 0; i < count; ++i) records.push_back({keys[i], values[i], 0});
  }
  // Sets increasing sequences for the next Append.
  std::span<const OutgoingRecord> Next(int64_t* sequence) {
    for (OutgoingRecord& r : records) r.sequence = (*sequence)++;
    return records;
  }
  size_t value_bytes() const {
    size_t bytes = 0;
    for (const std::string& v : values) bytes += v.size() + 8;
    return bytes;
  }
  std::vector<std::string> keys, values;
  std::vector<OutgoingRecord> records;
};

void Append(benchmark::State& state, bool flush) {
  ScratchLog log(static_cast<int>(state.range(0)));
  OrderLines lines(kBatch);
  auto writer = OpenEmbeddedWriter(log.config, "bench").ValueOrDie();
  int64_t sequence = 0;
  for (auto _ : state) {
    if (!writer->Append(lines.Next(&sequence)).ok()) state.SkipWithError("Append failed");
    if (flush && !writer->Flush().ok()) state.SkipWithError("Flush failed");
  }
  state.SetItemsProcessed(writer->delivered());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(lines.value_bytes()));
  state.counters["value_bytes"] = static_cast<double>(lines.values[0].size());
}

void BM_Append(benchmark::State& state) { Append(state, /*flush=*/false); }
void BM_AppendAndFsync(benchmark::State& state) { Append(state, /*flush=*/true); }

// Polls batches of 5000 from a log of 1,000,000 records, starting over at the end.
void BM_Read(benchmark::State& state) {
  ScratchLog log(static_cast<int>(state.range(0)));
  OrderLines lines(kBatch);
  {
    auto writer = OpenEmbeddedWriter(log.config, "bench").ValueOrDie();
    int64_t sequence = 0;
    for (int i = 0; i < 200; ++i) (void)writer->Append(lines.Next(&sequence));
  }
  auto reader = OpenEmbeddedReader(log.config, [](int32_t) { return 0; }).ValueOrDie();
  std::vector<Message> batch;
  int64_t records = 0, bytes = 0;
  for (auto _ : state) {
    if (!reader->Poll(kBatch, std::chrono::milliseconds(0), &batch).ok()) {
      state.SkipWithError("Poll failed");
    }
    if (batch.empty()) {
      state.PauseTiming();
      for (int32_t p : reader->Assignment()) (void)reader->Seek(p, 0);
      state.ResumeTiming();
    }
    for (const Message& m : batch) bytes += static_cast<int64_t>(m.key.size() + m.value.size());
    records += static_cast<int64_t>(batch.size());
  }
  state.SetItemsProcessed(records);
  state.SetBytesProcessed(bytes);
}

BENCHMARK(BM_Append)->Arg(1)->Arg(4)->Iterations(400)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AppendAndFsync)
    ->Arg(1)
    ->Arg(4)
    ->Iterations(100)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Read)->Arg(1)->Arg(4)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pizzastream::transport

BENCHMARK_MAIN();
