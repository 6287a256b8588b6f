// The input fingerprint: what a producer remembers of a CSV file it replays, so that a file
// changed under the same path is never mistaken for the one already sent.
//
// A producer resumes a CSV by row number (exactly-once replay), which is only right while the
// rows already sent are still the file's first rows. Before a replay, AdmitInput compares the
// file with the fingerprint recorded the last time this producer id sent it: the file must
// still begin with exactly the bytes it had then (appending lines is fine: they are sent). If
// it does not, the replay is refused with a message that says what to do (pass a new
// --producer-id to send it as a new source). Otherwise the file's current fingerprint is
// recorded (atomically) before anything is sent.
//
// The fingerprint is XXH3-128 of the bytes and their count, kept in
// `<ledger_dir>/<xxh3-64 of the producer id>.json`. Thread-compatible: one producer per id.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace pizzastream::sources {

struct FileFingerprint {
  int64_t bytes = 0;
  std::string xxh3_128;  // 32 hex digits
  bool operator==(const FileFingerprint&) const = default;
};

// Fingerprints of the whole file at `path` and of its first `prefix_bytes` bytes (one pass).
// *prefix is left empty when the file is shorter than `prefix_bytes`.
Status FingerprintFile(const std::string& path, int64_t prefix_bytes, FileFingerprint* whole,
                       FileFingerprint* prefix);

// Checks `input_path` against what producer `producer_id` sent before (see above) and records
// its fingerprint. Fails (Invalid) when the file changed, naming the file, the producer and
// the way out.
Status AdmitInput(const std::string& ledger_dir, const std::string& producer_id,
                  const std::string& input_path);

}  // namespace pizzastream::sources
