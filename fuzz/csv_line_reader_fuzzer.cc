// libFuzzer target: the CSV replay (src/sources/csv_source.h) on arbitrary file contents,
// read in small blocks so lines straddle block borders. Every data row must come out once,
// either as a record or as a malformed line, with strictly increasing sequences; an error is
// allowed (a clear Status), a crash, a hang or UB is not.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "fuzz_scratch.h"
#include "sources/csv_source.h"

using namespace pizzastream;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::ScratchDir() + "/input.csv";
  fuzz::WriteBytes(path, std::string_view(reinterpret_cast<const char*>(data), size));
  sources::CsvSourceOptions options;
  options.path = path;
  options.block_size = 256;
  auto source = sources::OpenCsvSource(options);
  if (!source.ok()) return 0;
  sources::SourceBatch batch;
  int64_t last = -1;
  for (int round = 0; round < 100000; ++round) {
    auto more = (*source)->Next(&batch);
    if (!more.ok() || !*more) return 0;
    std::vector<int64_t> sequences;
    const int64_t rows = batch.records->num_rows();
    for (int64_t i = 0; i < rows; ++i) {
      sequences.push_back(batch.sequences.empty() ? batch.first_sequence + i : batch.sequences[i]);
    }
    for (const auto& bad : batch.malformed) sequences.push_back(bad.sequence);
    std::sort(sequences.begin(), sequences.end());
    for (int64_t s : sequences) {
      if (s <= last) std::abort();  // a row twice, or out of order across batches
      last = s;
    }
    if (batch.records->num_columns() != static_cast<int>(sources::kSourceColumns.size())) {
      std::abort();
    }
  }
  std::abort();  // a source that never ends on a finite file
}
