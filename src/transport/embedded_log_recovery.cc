#include "transport/embedded_log_recovery.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
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

// Cuts the last segment after its last complete, intact batch. Batches before offset `trusted`
// were fsynced, so only their headers are read; later ones are checked against their crc.
Status RepairTail(const std::string& path, int64_t base, int64_t trusted, RecoveredPartition* out) {
  ARROW_ASSIGN_OR_RAISE(FileHandle file, OpenFile(path, O_RDWR));
  SegmentScanner scanner(file.fd(), path, 0, base, size_t{1} << 20);
  for (;;) {
    const bool verify = scanner.next_offset() >= trusted;
    ARROW_ASSIGN_OR_RAISE(SegmentScanner::Step step, scanner.Next(verify));
    if (step == SegmentScanner::Step::kBatch) continue;
    if (step == SegmentScanner::Step::kEnd) break;
    if (!verify) {
      if (step == SegmentScanner::Step::kInvalid) return scanner.InvalidError();
      return Status::IOError("log segment ", path, " ends inside a batch at byte ", scanner.pos(),
                             " although it was synced up to offset ", trusted);
    }
    ARROW_ASSIGN_OR_RAISE(int64_t size, FileSize(file.fd(), path));
    spdlog::warn("embedded log: cutting {} bytes of an unfinished write from {} at byte {}",
                 size - scanner.pos(), path, scanner.pos());
    ARROW_RETURN_NOT_OK(Truncate(file.fd(), scanner.pos(), path));
    ARROW_RETURN_NOT_OK(SyncData(file.fd(), path));
    break;
  }
  out->segment_base = base;
  out->segment_bytes = scanner.pos();
  out->end_offset = scanner.next_offset();
  return Status::OK();
}

// Applies the batches from offset `state->valid_to` up to `end_offset` to `state`. Returns false
// if `valid_to` falls inside a batch (the snapshot does not belong to this log).
Result<bool> ReplayProducers(const std::string& dir, const std::vector<int64_t>& segments,
                             int64_t end_offset, ProducerState* state) {
  auto first = std::upper_bound(segments.begin(), segments.end(), state->valid_to);
  if (first != segments.begin()) --first;
  int64_t expected = *first;
  for (auto it = first; it != segments.end(); ++it) {
    const std::string path = SegmentPath(dir, *it);
    if (*it != expected) {
      return Status::IOError("log segment ", path, " starts at offset ", *it,
                             " but the segment before it ends at ", expected);
    }
    ARROW_ASSIGN_OR_RAISE(FileHandle file, OpenFile(path, O_RDONLY));
    SegmentScanner scanner(file.fd(), path, 0, *it);
    for (;;) {
      ARROW_ASSIGN_OR_RAISE(SegmentScanner::Step step, scanner.Next(/*verify=*/false));
      if (step == SegmentScanner::Step::kEnd) break;
      if (step == SegmentScanner::Step::kInvalid) return scanner.InvalidError();
      if (step == SegmentScanner::Step::kIncomplete) {
        return Status::IOError("log segment ", path, " ends inside a batch at byte ",
                               scanner.pos());
      }
      const BatchHeader& batch = scanner.header();
      if (batch.base_offset >= state->valid_to) {
        state->Apply(batch);
      } else if (batch.end_offset() > state->valid_to) {
        return false;
      }
    }
    expected = scanner.next_offset();
  }
  if (expected != end_offset) {
    return Status::IOError("log partition ", dir, " changed while it was being recovered");
  }
  state->valid_to = end_offset;
  return true;
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

Status SaveProducerSnapshot(const std::string& partition_dir, const ProducerState& state) {
  std::string text(kSnapshotHeader);
  text += "valid_to " + std::to_string(state.valid_to) + "\n";
  for (const auto& [producer, sequence] : state.last_sequence) {
    char line[64];
    std::snprintf(line, sizeof(line), "%016" PRIx64 " %" PRId64 "\n", producer, sequence);
    text += line;
  }
  text += "end\n";
  return ReplaceFile(SnapshotPath(partition_dir), text, /*sync=*/false);
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
  const int64_t last = segments.back();
  const int64_t trusted = snapshot ? std::max(snapshot->valid_to, last) : last;
  ARROW_RETURN_NOT_OK(RepairTail(SegmentPath(partition_dir, last), last, trusted, &out));
  if (snapshot && snapshot->valid_to <= out.end_offset) {
    out.producers = std::move(*snapshot);
    ARROW_ASSIGN_OR_RAISE(bool replayed,
                          ReplayProducers(partition_dir, segments, out.end_offset, &out.producers));
    if (replayed) return out;
  }
  out.producers = ProducerState{segments.front(), {}};
  ARROW_ASSIGN_OR_RAISE(bool replayed,
                        ReplayProducers(partition_dir, segments, out.end_offset, &out.producers));
  if (!replayed) return Status::IOError("log partition ", partition_dir, " is inconsistent");
  return out;
}

}  // namespace pizzastream::transport::embedded_log
