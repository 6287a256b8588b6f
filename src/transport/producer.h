// The producer: sends an OrderSource to the topic, each record as one JSON object (the topic's
// wire format, transport/record_json.h) keyed by its order_id, with the original producer's
// pacing (--batch-size N --interval T) or a --rate limit. It lives beside the wire format it
// writes. Exactly-once across restarts: it asks the writer where this source stopped and skips
// there.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "sources/order_source.h"
#include "transport/open_topic.h"
#include "transport/topic.h"

namespace pizzastream::transport {

struct ProducerOptions {
  int64_t batch_size = 5000;              // records per send
  std::chrono::milliseconds interval{0};  // pause after each send
  // Records/s; 0 = as fast as possible. Held evenly: sends of at most 1/20 s of records each
  // (smaller than batch_size when needed), and a producer held up does not burst to catch up.
  double rate = 0;
  int64_t max_records = -1;  // stop after this many records; -1 = source end
  // Where the records sent are kept for a reader of this process (TransportConfig::
  // sent_records); nullptr: nowhere.
  std::shared_ptr<SentRecords> sent_records;
};

struct ProducerProgress {
  int64_t sent = 0;          // records handed to the topic by this run
  int64_t resumed_from = 0;  // first sequence this run sent
  bool finished = false;     // the source ended (or max_records reached) and all was flushed
  double fraction = -1;      // of a finite source read so far, 0..1 (-1: endless or unknown)
};

// Runs until the source ends, `stop` becomes true, or an error. `on_progress` (optional) is
// called after every flushed batch.
Status RunProducer(sources::OrderSource& source, transport::TopicWriter& writer,
                   const ProducerOptions& options, const std::atomic<bool>& stop,
                   const std::function<void(const ProducerProgress&)>& on_progress,
                   ProducerProgress* progress);

}  // namespace pizzastream::transport
