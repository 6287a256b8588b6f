#include "transport/embedded_log_recovery.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>
#include <vector>

#include "transport/embedded_log_files.h"
#include "transport/embedded_log_scan.h"
#include "transport/embedded_log_topic.h"

namespace pizzastream::transport::embedded_log {
namespace {

constexpr std::string_view kSnapshotHeader = "pizzastream-producers 1\n";

std::string SnapshotPath(const std::string& partition_dir) {
  return partition_dir + "/producers.snapshot";
}

// A snapshot that does not parse completely (e.g. cut short by a power loss) is ignored.
Result<std::optional<ProducerState>> LoadProducerSnapshot(const std::string& partition_dir) {
  ARROW_ASSIGN_OR_RAISE(std::optional<std::string> text,
                        ReadWholeFile(SnapshotPath(partition_dir)));
  if (!text || text->compare(0, kSnapshotHeader.size(), kSnapshotHeader) != 0) {
    return std::optional<ProducerState>();
  }
  std::istringstream in(text->substr(kSnapshotHeader.size()));
  ProducerState state;
  std::string word;
  if (!(in >> word >> state.valid_to) || word != "valid_to" || state.valid_to < 0) {
    return std::optional<ProducerState>();
  }
  while (in >> word) {
    if (word == "end") return std::optional<ProducerState>(std::move(state));
    uint64_t producer = 0;
    int64_t sequence = 0;
    if (std::sscanf(word.c_str(), "%" SCNx64, &producer) != 1 || !(in >> sequence)) break;
    state.last_sequence[producer] = sequence;
  }
  return std::optional<ProducerState>();
}

// Deletes the segments after the one the log now ends in: they follow a hole left by a crash.
Status DeleteSegmentsAfter(const std::string& dir, const std::vector<int64_t>& segments,
                           size_t last) {
  for (size_t i = last + 1; i < segments.size(); ++i) {
    const std::string path = SegmentPath(dir, segments[i]);
    spdlog::warn("embedded log: deleting {}, written after the end of the intact log", path);
    std::error_code error;
    std::filesystem::remove(path, error);
    if (error) return Status::IOError("cannot delete ", path, ": ", error.message());
  }
  return SyncDir(dir);
}

// Damaged bytes at scanner.pos() of segment `i`, after the recovery point: an unfinished write
// (a torn tail: nothing intact after it, or only a hole of zeros before data a power loss kept)
// is OK to cut; damage followed by intact batches is corruption in the middle of the log, an
// error naming the file and byte (cutting there would throw away good records). A batch that
// runs past the end of its segment (`incomplete`, e.g. a damaged length) is judged by what
// follows in the same segment only: a power loss may cut a segment short before later ones.
Status CheckTornTail(const std::string& dir, const std::vector<int64_t>& segments, size_t i, int fd,
                     const SegmentScanner& scanner, bool incomplete) {
  const std::string path = SegmentPath(dir, segments[i]);
  ARROW_ASSIGN_OR_RAISE(IntactBatchSearch after, FindIntactBatch(fd, path, scanner.pos() + 1));
  std::string intact_at;
  if (after.found_at >= 0) {
    intact_at = "byte " + std::to_string(after.found_at);
  } else if (!incomplete && i + 1 < segments.size()) {
    // A later segment that begins with an intact batch was written after this damage.
    const std::string next = SegmentPath(dir, segments[i + 1]);
    ARROW_ASSIGN_OR_RAISE(FileHandle next_file, OpenFile(next, O_RDONLY));
    SegmentScanner next_scanner(next_file.fd(), next, 0, segments[i + 1]);
    ARROW_ASSIGN_OR_RAISE(SegmentScanner::Step first, next_scanner.Next(/*verify=*/true));
    if (first == SegmentScanner::Step::kBatch) intact_at = "the start of " + next;
  }
  if (intact_at.empty() || after.zeros_before) return Status::OK();
  const std::string problem = incomplete ? "the batch there runs past the end of the file"
                                         : scanner.InvalidError().message();
  return Status::IOError(
      incomplete ? "corrupt log segment " + path + " at byte " + std::to_string(scanner.pos()) +
                       ": " + problem
                 : problem,
      "; intact batches follow at ", intact_at,
      ", so this is damage inside the log, not an unfinished write: restore the partition from a "
      "copy, or move the segment away to drop the records from byte ",
      scanner.pos(), " on");
}

// Walks the log from the segment holding `state->valid_to` (the recovery point) to its end:
// trusts the batches before the recovery point, checks the crc of the later ones, cuts the log at
// the first bad one and applies the later batches to `state`. Returns false if the recovery point
// does not fit this log (not at a batch boundary, or past the intact end).
Result<bool> Recover(const std::string& dir, const std::vector<int64_t>& segments,
                     ProducerState* state, RecoveredPartition* out) {
  const int64_t recovery_point = state->valid_to;
  if (recovery_point < segments.front()) return false;
  size_t i =
      std::upper_bound(segments.begin(), segments.end(), recovery_point) - segments.begin() - 1;
  int64_t end_offset = segments[i];
  for (;; ++i) {
    const std::string path = SegmentPath(dir, segments[i]);
    ARROW_ASSIGN_OR_RAISE(FileHandle file, OpenFile(path, O_RDWR));
    SegmentScanner scanner(file.fd(), path, 0, segments[i]);
    bool cut = false;
    for (;;) {
      const bool verify = scanner.next_offset() >= recovery_point;
      ARROW_ASSIGN_OR_RAISE(SegmentScanner::Step step, scanner.Next(verify));
      if (step == SegmentScanner::Step::kEnd) break;
      if (step == SegmentScanner::Step::kBatch) {
        const BatchHeader& batch = scanner.header();
        if (batch.base_offset >= recovery_point) {
          state->Apply(batch);
        } else if (batch.end_offset() > recovery_point) {
          return false;
        }
        continue;
      }
      if (!verify) {
        if (step == SegmentScanner::Step::kInvalid) return scanner.InvalidError();
        return Status::IOError("log segment ", path, " ends inside a batch at byte ", scanner.pos(),
                               " although it was synced up to offset ", recovery_point);
      }
      ARROW_RETURN_NOT_OK(CheckTornTail(dir, segments, i, file.fd(), scanner,
                                        step == SegmentScanner::Step::kIncomplete));
      ARROW_ASSIGN_OR_RAISE(int64_t size, FileSize(file.fd(), path));
      spdlog::warn("embedded log: cutting {} bytes of an unfinished write from {} at byte {}",
                   size - scanner.pos(), path, scanner.pos());
      ARROW_RETURN_NOT_OK(Truncate(file.fd(), scanner.pos(), path));
      ARROW_RETURN_NOT_OK(SyncData(file.fd(), path));
      cut = true;
      break;
    }
    // What a crashed writer left in the page cache is made durable before appending after it.
    if (scanner.next_offset() > recovery_point) ARROW_RETURN_NOT_OK(SyncData(file.fd(), path));
    end_offset = scanner.next_offset();
    // A next segment that does not start where this one ends follows lost writes too.
    const bool last = i + 1 == segments.size();
    if (last || cut || segments[i + 1] != end_offset) {
      if (end_offset < recovery_point) return false;
      if (!last) ARROW_RETURN_NOT_OK(DeleteSegmentsAfter(dir, segments, i));
      out->segment_base = segments[i];
      out->segment_bytes = scanner.pos();
      out->end_offset = end_offset;
      state->valid_to = end_offset;
      return true;
    }
  }
}

}  // namespace

void ProducerState::Apply(const BatchHeader& batch) {
  int64_t& last = last_sequence.try_emplace(batch.producer, -1).first->second;
  last = std::max(last, batch.last_sequence);
}

int64_t ProducerState::LastSequence(uint64_t producer) const {
  const auto it = last_sequence.find(producer);
  return it == last_sequence.end() ? -1 : it->second;
}

Status SaveProducerSnapshot(const std::string& partition_dir, const ProducerState& state,
                            LogEnv* env) {
  std::string text(kSnapshotHeader);
  text += "valid_to " + std::to_string(state.valid_to) + "\n";
  for (const auto& [producer, sequence] : state.last_sequence) {
    char line[64];
    std::snprintf(line, sizeof(line), "%016" PRIx64 " %" PRId64 "\n", producer, sequence);
    text += line;
  }
  text += "end\n";
  return ReplaceFile(SnapshotPath(partition_dir), text, /*sync=*/false, env);
}

Result<RecoveredPartition> RecoverPartition(const std::string& partition_dir) {
  RecoveredPartition out;
  ARROW_ASSIGN_OR_RAISE(std::vector<int64_t> segments, ListSegments(partition_dir));
  if (segments.empty()) {
    const std::string path = SegmentPath(partition_dir, 0);
    ARROW_RETURN_NOT_OK(OpenFile(path, O_WRONLY | O_CREAT).status());
    ARROW_RETURN_NOT_OK(SyncDir(partition_dir));
    return out;
  }
  ARROW_ASSIGN_OR_RAISE(std::optional<ProducerState> snapshot, LoadProducerSnapshot(partition_dir));
  if (snapshot) {
    out.producers = std::move(*snapshot);
    ARROW_ASSIGN_OR_RAISE(bool recovered, Recover(partition_dir, segments, &out.producers, &out));
    if (recovered) return out;
    spdlog::warn("embedded log: ignoring the producer snapshot of {}", partition_dir);
  }
  // Without a recovery point every batch is checked.
  out.producers = ProducerState{segments.front(), {}};
  ARROW_ASSIGN_OR_RAISE(bool recovered, Recover(partition_dir, segments, &out.producers, &out));
  if (!recovered) return Status::IOError("log partition ", partition_dir, " is inconsistent");
  return out;
}

}  // namespace pizzastream::transport::embedded_log
