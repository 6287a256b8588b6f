// The records a producer of this process has just written to the embedded topic, kept as the
// source rows they were encoded from, for the topic's reader in the same process: in `run`,
// bronze takes a record's fields from its row instead of parsing its JSON again (that parse was
// a third of bronze's time). A row is exactly what its JSON decodes to: the producer writes
// each field of a row as a JSON string (transport/record_json.h), and parsing gives the text
// back. The reader still reads, checks and returns every record as the log holds it; a record
// kept here only comes with its row (Message::source).
//
// Kept only where the two cannot differ: rows whose every field is UTF-8 (JSON rejects any
// other text, and bronze quarantines the record), at the offsets the writer reports for them.
// Memory is bounded. What the reader has read past is let go. An offer that would go over the
// budget waits for the reader to read on, up to a limit: records come faster than the reader
// takes them, and a producer far ahead of its reader would only hold memory (as a Kafka
// producer waits for room in its buffer). A reader held up longer (a slow commit, a lake that
// is away) is not waited for again until it reads on; meanwhile offers are not kept, and it
// parses their JSON. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "transport/record_json.h"
#include "transport/topic.h"

namespace pizzastream::transport {

class SentRecords {
 public:
  SentRecords(int64_t budget_bytes, std::chrono::milliseconds max_wait)
      : budget_bytes_(budget_bytes), max_wait_(max_wait) {}
  ~SentRecords();  // logs the figures at debug level

  // Records just written: record i was encoded from row rows[i] of `columns` (-1: from
  // something else, e.g. a line the source could not split) and written at positions[i]. May
  // wait up to max_wait for room (see above), less once `stop` (optional) is set.
  void Offer(const std::shared_ptr<const SourceColumns>& columns, std::span<const int64_t> rows,
             std::span<const RecordPosition> positions, const std::atomic<bool>* stop = nullptr);

  // Points each message of `messages` that was offered at its row (Message::source; messages
  // that have one already keep it), and lets go of what lies before the messages of each
  // partition. `held` gets the columns the
  // messages point into, to keep until the messages are no longer used.
  void Annotate(std::span<Message> messages,
                std::vector<std::shared_ptr<const SourceColumns>>* held);

  // The columns and rows of partition `partition`'s offsets [from, end) when one offer holds
  // a row for each of them (*rows gets them), else nullptr. A reader asks this for a batch of
  // the log (whose records come from one Append) before inflating it: with the rows, it need
  // not.
  std::shared_ptr<const SourceColumns> Rows(int32_t partition, int64_t from, int64_t end,
                                            std::vector<int64_t>* rows);

  struct Figures {
    int64_t kept = 0;     // records offered and kept
    int64_t refused = 0;  // records offered over the budget, or with text that is not UTF-8
    int64_t given = 0;    // messages annotated with their row
    int64_t bytes = 0;    // the rows' bytes kept now
    int64_t gave_up = 0;  // waits for room that ran out
  };
  Figures figures() const;

 private:
  // Records of one partition at consecutive offsets, from one offer.
  struct Run {
    int64_t first_offset = 0;
    std::vector<int64_t> rows;  // per offset; -1: no row
    std::shared_ptr<const SourceColumns> columns;
    int64_t bytes = 0;
    int64_t end_offset() const { return first_offset + static_cast<int64_t>(rows.size()); }
  };
  void Keep(int32_t partition, Run run);  // with mu_ held
  // Lets go of partition `partition`'s runs that end at or before `offset`; returns whether
  // any. With mu_ held.
  bool LetGoBefore(std::deque<Run>& runs, int64_t offset);
  void Freed(std::unique_lock<std::mutex>& lock);  // wakes a producer waiting for room

  const int64_t budget_bytes_;
  const std::chrono::milliseconds max_wait_;
  mutable std::mutex mu_;
  std::condition_variable room_;  // the reader let go of something
  bool wait_for_room_ = true;     // false from a wait that ran out until the reader reads on
  std::map<int32_t, std::deque<Run>> partitions_;  // runs by offset
  Figures figures_;
};

}  // namespace pizzastream::transport
