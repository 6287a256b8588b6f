// How fast the synthetic generator makes order lines (records/s) on one core: building Arrow
// batches of the 13 text columns, clean or with dirt and duplicates, and skipping (resume).
#include <arrow/array.h>
#include <arrow/util/byte_size.h>
#include <benchmark/benchmark.h>

#include "sources/generator.h"

namespace pizzastream::sources {
namespace {

void Generate(benchmark::State& state, GeneratorOptions options) {
  options.batch_size = static_cast<int32_t>(state.range(0));
  auto gen = OrderGenerator::Make(options).ValueOrDie();
  SourceBatch batch;
  int64_t records = 0, bytes = 0;
  for (auto _ : state) {
    if (!gen->Next(&batch).ValueOrDie()) state.SkipWithError("stream ended");
    records += batch.records->num_rows();
    for (const auto& column : batch.records->columns()) {
      bytes += arrow::util::TotalBufferSize(*column->data());  // a dictionary's values too
    }
  }
  state.SetItemsProcessed(records);
  state.SetBytesProcessed(bytes);
  state.counters["sim_days"] = static_cast<double>(gen->totals().order_dates);
}

void BM_GenerateClean(benchmark::State& state) { Generate(state, GeneratorOptions{}); }

void BM_GenerateDirty(benchmark::State& state) {
  GeneratorOptions options;
  options.dirty_rate = 0.05;
  options.duplicate_rate = 0.03;
  Generate(state, options);
}

// Resume after a restart: draw the stream without building batches.
void BM_SkipTo(benchmark::State& state) {
  auto gen = OrderGenerator::Make(GeneratorOptions{}).ValueOrDie();
  int64_t target = 0;
  for (auto _ : state) {
    target += state.range(0);
    if (!gen->SkipTo(target).ok()) state.SkipWithError("SkipTo failed");
  }
  state.SetItemsProcessed(target);
}

BENCHMARK(BM_GenerateClean)->Arg(1024)->Arg(4096)->Arg(65536);
BENCHMARK(BM_GenerateDirty)->Arg(4096);
BENCHMARK(BM_SkipTo)->Arg(4096);

}  // namespace
}  // namespace pizzastream::sources

BENCHMARK_MAIN();
