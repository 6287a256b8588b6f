#include "transport/kafka_sequence_scan.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <thread>

#include "transport/kafka_client.h"

namespace pizzastream::transport::kafka {
namespace {

using Clock = std::chrono::steady_clock;

// The first window covers the last 1,000 records of a partition; each further one is 8x wider.
constexpr int64_t kFirstWindow = 1000;
constexpr int64_t kWindowGrowth = 8;
// Gives up when the cluster answers nothing useful for this long.
constexpr auto kStallDeadline = std::chrono::seconds(60);

// One partition's remaining scan: the range [begin, end) is read next.
struct PartitionScan {
  int64_t low = 0;  // the partition's first offset
  int64_t begin = 0;
  int64_t end = 0;
  int64_t window = kFirstWindow;
  int64_t highest = -1;  // the producer's highest sequence seen, -1 for none
  bool range_done = false;
  bool exhausted = false;  // read down to the partition's start

  bool finished() const { return highest >= 0 || exhausted; }
  void NextWindow() {
    end = begin;
    window *= kWindowGrowth;
    begin = std::max(low, end - window);
    range_done = false;
  }
};

std::string_view Header(rd_kafka_headers_t* headers, const char* name) {
  const void* value = nullptr;
  size_t size = 0;
  if (rd_kafka_header_get_last(headers, name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      value == nullptr) {
    return {};
  }
  return {static_cast<const char*>(value), size};
}

// The sequence of `message` if `producer_id` sent it, else -1.
int64_t SequenceOf(rd_kafka_message_t* message, std::string_view producer_id) {
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) return -1;
  if (Header(headers, kProducerHeader) != producer_id) return -1;
  const std::string_view text = Header(headers, kSequenceHeader);
  int64_t sequence = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), sequence);
  if (ec != std::errc() || end != text.data() + text.size()) return -1;
  return sequence;
}

Result<Handle> MakeScanner(const TransportConfig& config) {
  Settings settings = CommonSettings(config);
  // librdkafka's consumer wants a group even when partitions are assigned by hand; this one
  // never joins (no subscribe) and never commits.
  settings.insert(settings.end(), {{"group.id", "pizzastream-sequence-scan"},
                                   {"enable.auto.commit", "false"},
                                   {"enable.auto.offset.store", "false"},
                                   {"enable.partition.eof", "true"},
                                   {"auto.offset.reset", "earliest"}});
  ARROW_ASSIGN_OR_RAISE(Conf conf, MakeConf(settings, "sequence scan"));
  return MakeClient(RD_KAFKA_CONSUMER, std::move(conf));
}

// Fills low/begin/end of every partition from the broker's watermarks.
Status ReadWatermarks(rd_kafka_t* rk, const std::string& topic, std::vector<PartitionScan>* scans) {
  for (size_t p = 0; p < scans->size(); ++p) {
    const auto deadline = Clock::now() + kStallDeadline;
    int64_t low = 0;
    int64_t high = 0;
    rd_kafka_resp_err_t err;
    while ((err = rd_kafka_query_watermark_offsets(rk, topic.c_str(), static_cast<int32_t>(p), &low,
                                                   &high, 5000)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (Clock::now() > deadline) return ErrorStatus(err, "reading the end of " + topic);
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    PartitionScan& scan = (*scans)[p];
    scan.low = low;
    scan.end = high;
    scan.begin = std::max(low, high - scan.window);
  }
  return Status::OK();
}

// Reads the current range of every unfinished partition.
Status ScanRanges(rd_kafka_t* rk, const std::string& topic, std::string_view producer_id,
                  std::vector<PartitionScan>* scans) {
  PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(scans->size())));
  size_t pending = 0;
  for (size_t p = 0; p < scans->size(); ++p) {
    PartitionScan& scan = (*scans)[p];
    if (scan.finished() || scan.begin >= scan.end) {
      scan.range_done = true;
      continue;
    }
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), static_cast<int32_t>(p))->offset =
        scan.begin;
    ++pending;
  }
  if (pending == 0) return Status::OK();
  ARROW_RETURN_NOT_OK(ErrorStatus(rd_kafka_assign(rk, list.get()), "reading " + topic));

  auto last_progress = Clock::now();
  while (pending > 0) {
    OwnedMessage message(rd_kafka_consumer_poll(rk, 500));
    if (!message) {
      ARROW_RETURN_NOT_OK(FatalStatus(rk));
      if (Clock::now() - last_progress > kStallDeadline) {
        return Status::IOError("reading the end of ", topic, ": no progress in ",
                               std::chrono::seconds(kStallDeadline).count(), " s");
      }
      continue;
    }
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR &&
        message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      continue;  // transient; the error callback has said what and librdkafka retries
    }
    const auto p = static_cast<size_t>(message->partition);
    if (p >= scans->size()) continue;
    PartitionScan& scan = (*scans)[p];
    if (scan.range_done) continue;
    last_progress = Clock::now();
    const bool eof = message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF;
    if (!eof && message->offset < scan.end) {
      scan.highest = std::max(scan.highest, SequenceOf(message.get(), producer_id));
    }
    if (eof || message->offset >= scan.end - 1) {
      scan.range_done = true;
      --pending;
    }
  }
  return ErrorStatus(rd_kafka_assign(rk, nullptr), "reading " + topic);
}

}  // namespace

Result<std::vector<int64_t>> HighestSequences(const TransportConfig& config,
                                              const std::string& topic, int32_t partitions,
                                              std::string_view producer_id) {
  ARROW_ASSIGN_OR_RAISE(Handle rk, MakeScanner(config));
  std::vector<PartitionScan> scans(static_cast<size_t>(partitions));
  ARROW_RETURN_NOT_OK(ReadWatermarks(rk.get(), topic, &scans));
  while (!std::all_of(scans.begin(), scans.end(), [](auto& s) { return s.finished(); })) {
    ARROW_RETURN_NOT_OK(ScanRanges(rk.get(), topic, producer_id, &scans));
    for (PartitionScan& scan : scans) {
      if (scan.finished()) continue;
      if (scan.begin <= scan.low) {
        scan.exhausted = true;
      } else {
        scan.NextWindow();
      }
    }
  }
  rd_kafka_consumer_close(rk.get());
  std::vector<int64_t> highest;
  highest.reserve(scans.size());
  for (const PartitionScan& scan : scans) highest.push_back(scan.highest);
  return highest;
}

}  // namespace pizzastream::transport::kafka
