// Kafka throughput, in one run on the same topic:
//   1. produce: the generator through transport::RunProducer into KafkaTopicWriter
//      (idempotent, acks=all, lz4), as `pizzastream produce --generate` does;
//   2. a bare librdkafka consume loop (rd_kafka_consumer_poll, payload touched): the ceiling;
//   3. the TopicReader poll loop (KafkaTopicReader::Poll batches);
//   4. bronze: BronzeStage steps from the topic into a fresh Delta lake;
// with 3 and 4 as a fraction of 2.
//
//   kafka_bench [--records N] [--partitions P] [--brokers HOST:PORT]
// Without --brokers it starts a throwaway broker with scripts/kafka and stops it at the end.
#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "bronze/bronze_stage.h"
#include "lake/lakehouse.h"
#include "sources/generator.h"
#include "transport/kafka_client.h"
#include "transport/kafka_reader.h"
#include "transport/kafka_writer.h"
#include "transport/producer.h"

namespace pizzastream {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Args {
  int64_t records = 1'000'000;
  int partitions = 6;
  std::string brokers;
};

const fs::path kRepo = fs::path(__FILE__).parent_path().parent_path();

// A throwaway broker from scripts/kafka in its own state directory.
class ThrowawayBroker {
 public:
  ThrowawayBroker()
      : state_(fs::temp_directory_path() / ("kafka-bench-" + std::to_string(getpid()))) {}
  ~ThrowawayBroker() { (void)Run("stop"); }
  Result<std::string> Start() { return Run("start"); }

 private:
  Result<std::string> Run(const char* command) {
    const std::string line = "KAFKA_STATE_DIR='" + state_.string() +
                             "' KAFKA_OWNER_PID=" + std::to_string(getpid()) + " '" +
                             (kRepo / "scripts/kafka").string() + "' " + command + " 2>/dev/null";
    FILE* pipe = popen(line.c_str(), "r");
    if (pipe == nullptr) return Status::IOError("cannot run scripts/kafka");
    std::string out, last;
    char buffer[512];
    while (fgets(buffer, sizeof buffer, pipe) != nullptr) out = buffer;
    if (pclose(pipe) != 0) return Status::IOError("scripts/kafka ", command, " failed");
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }
  fs::path state_;
};

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

void Report(const char* what, int64_t records, double seconds, double ceiling = 0) {
  const double rate = static_cast<double>(records) / seconds;
  std::printf("%-44s %9lld records in %6.2f s = %10.0f records/s", what,
              static_cast<long long>(records), seconds, rate);
  if (ceiling > 0) std::printf("  (%.2f of the bare loop)", rate / ceiling);
  std::printf("\n");
  std::fflush(stdout);
}

Result<double> Produce(const transport::TransportConfig& config, int64_t records) {
  sources::GeneratorOptions generator_options;
  generator_options.limit = records;
  generator_options.orders_per_day = 2000;
  ARROW_ASSIGN_OR_RAISE(auto generator, sources::OrderGenerator::Make(generator_options));
  ARROW_ASSIGN_OR_RAISE(auto writer, transport::KafkaTopicWriter::Open(config, generator->id()));
  transport::ProducerOptions options;  // 5,000 records per send, as fast as possible
  std::atomic<bool> stop{false};
  transport::ProducerProgress progress;
  const auto started = Clock::now();
  ARROW_RETURN_NOT_OK(
      transport::RunProducer(*generator, *writer, options, stop, nullptr, &progress));
  const double seconds = Seconds(started);
  if (writer->delivered() != records) {
    return Status::IOError("delivered ", writer->delivered(), " of ", records);
  }
  Report("produce (generator -> KafkaTopicWriter)", records, seconds);
  return static_cast<double>(records) / seconds;
}

// KafkaTopicWriter alone, on records encoded beforehand (another topic).
Status WriterAlone(transport::TransportConfig config, int64_t records) {
  config.topic += "_writer";
  std::vector<std::string> keys, values;
  std::vector<transport::OutgoingRecord> batch;
  const std::string padding(300, 'x');  // about the size of a generated JSON line
  for (int64_t i = 0; i < 5000; ++i) {
    keys.push_back(std::to_string(i * 7919 % 100003));
    values.push_back(R"({"pizza_id":")" + std::to_string(i) + R"(","pad":")" + padding + "\"}");
  }
  ARROW_ASSIGN_OR_RAISE(auto writer, transport::KafkaTopicWriter::Open(config, "bench"));
  const auto started = Clock::now();
  for (int64_t sent = 0; sent < records; sent += 5000) {
    batch.clear();
    for (int64_t i = 0; i < 5000 && sent + i < records; ++i) {
      batch.push_back({keys[i], values[i], sent + i});
    }
    ARROW_RETURN_NOT_OK(writer->Append(batch));
  }
  ARROW_RETURN_NOT_OK(writer->Flush());
  Report("KafkaTopicWriter alone (pre-encoded records)", writer->delivered(), Seconds(started));
  return Status::OK();
}

// The transport's ceiling: librdkafka alone, every partition from the start.
Result<double> BareConsumeLoop(const transport::TransportConfig& config, int32_t partitions,
                               int64_t records) {
  using namespace transport::kafka;
  Settings settings = CommonSettings(config.kafka_brokers);
  settings.insert(settings.end(), {{"group.id", "kafka-bench-bare"},
                                   {"enable.auto.commit", "false"},
                                   {"fetch.wait.max.ms", "100"}});
  ARROW_ASSIGN_OR_RAISE(Conf conf, MakeConf(settings, "bench"));
  ARROW_ASSIGN_OR_RAISE(Handle rk, MakeClient(RD_KAFKA_CONSUMER, std::move(conf)));
  PartitionList list(rd_kafka_topic_partition_list_new(partitions));
  for (int32_t p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(list.get(), config.topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  ARROW_RETURN_NOT_OK(ErrorStatus(rd_kafka_assign(rk.get(), list.get()), "assign"));
  Clock::time_point started;
  int64_t seen = 0;
  size_t bytes = 0;
  while (seen < records) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk.get(), 1000);
    if (message == nullptr) continue;
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (seen == 0) started = Clock::now();  // timed from the first record, like the others
      ++seen;
      bytes += message->len;
    }
    rd_kafka_message_destroy(message);
  }
  const double seconds = Seconds(started);
  rd_kafka_consumer_close(rk.get());
  Report("bare librdkafka consume loop", seen - 1, seconds);
  std::printf("  (%.1f MB of JSON payload)\n", static_cast<double>(bytes) / 1e6);
  return static_cast<double>(seen) / seconds;
}

Status ReaderLoop(transport::TransportConfig config, int64_t records, double ceiling) {
  config.group = "kafka-bench-reader";
  ARROW_ASSIGN_OR_RAISE(auto reader, transport::KafkaTopicReader::Open(
                                         config, [](int32_t) -> Result<int64_t> { return 0; }));
  std::vector<transport::Message> batch;
  // The group join and the first batch are not timed: the rate is of the steady state.
  int64_t first = 0;
  while (first == 0) {
    ARROW_RETURN_NOT_OK(reader->Poll(50000, std::chrono::milliseconds(200), &batch));
    first = static_cast<int64_t>(batch.size());
  }
  int64_t seen = 0;
  const auto started = Clock::now();
  while (first + seen < records) {
    ARROW_RETURN_NOT_OK(reader->Poll(50000, std::chrono::milliseconds(200), &batch));
    seen += static_cast<int64_t>(batch.size());
  }
  Report("TopicReader poll loop (KafkaTopicReader)", seen, Seconds(started), ceiling);
  return Status::OK();
}

Status Bronze(transport::TransportConfig config, int64_t records, double ceiling) {
  const fs::path lake_dir =
      fs::temp_directory_path() / ("kafka-bench-lake-" + std::to_string(getpid()));
  fs::remove_all(lake_dir);
  config.group = "kafka-bench-bronze";
  ARROW_ASSIGN_OR_RAISE(auto lake, lake::Lakehouse::Open("file://" + lake_dir.string()));
  bronze::BronzeOptions options;
  options.transport = config;
  ARROW_ASSIGN_OR_RAISE(auto bronze, bronze::BronzeStage::Open(lake, options));
  // The group join and the first step are not timed: the rate is of the steady state.
  int64_t first = 0;
  while (first == 0) {
    ARROW_ASSIGN_OR_RAISE(auto step, bronze->Step());
    first = step.rows_in;
  }
  int64_t landed = 0;
  int64_t commits = 0;
  const auto started = Clock::now();
  while (first + landed < records) {
    ARROW_ASSIGN_OR_RAISE(auto step, bronze->Step());
    landed += step.rows_in;
    commits += step.rows_in > 0 ? 1 : 0;
  }
  Report("bronze (Kafka -> Delta lake, commit per batch)", landed, Seconds(started), ceiling);
  std::printf("  (%lld lake commits of %lld records on average)\n", static_cast<long long>(commits),
              static_cast<long long>(commits > 0 ? landed / commits : 0));
  bronze.reset();
  fs::remove_all(lake_dir);
  return Status::OK();
}

Status Main(const Args& args) {
  ThrowawayBroker throwaway;
  transport::TransportConfig config;
  config.kafka_brokers = args.brokers;
  if (config.kafka_brokers.empty()) {
    std::fprintf(stderr, "kafka_bench: starting a throwaway broker (scripts/kafka)\n");
    ARROW_ASSIGN_OR_RAISE(config.kafka_brokers, throwaway.Start());
  }
  config.topic = "kafka_bench_" + std::to_string(getpid());
  config.partitions = args.partitions;
  std::printf("kafka_bench: %lld records, topic %s with %d partitions, broker %s\n",
              static_cast<long long>(args.records), config.topic.c_str(), args.partitions,
              config.kafka_brokers.c_str());
  ARROW_RETURN_NOT_OK(Produce(config, args.records).status());
  // After Produce, so the broker is warmed up for it too.
  ARROW_RETURN_NOT_OK(WriterAlone(config, args.records));
  // Twice: the first pass also warms the broker's page cache and JIT for the readers after it;
  // the faster pass is the ceiling.
  ARROW_ASSIGN_OR_RAISE(double cold, BareConsumeLoop(config, args.partitions, args.records));
  ARROW_ASSIGN_OR_RAISE(double warm, BareConsumeLoop(config, args.partitions, args.records));
  const double ceiling = std::max(cold, warm);
  ARROW_RETURN_NOT_OK(ReaderLoop(config, args.records, ceiling));
  return Bronze(config, args.records, ceiling);
}

}  // namespace
}  // namespace pizzastream

int main(int argc, char** argv) {
  pizzastream::Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--records") {
      args.records = std::atoll(argv[i + 1]);
    } else if (flag == "--partitions") {
      args.partitions = std::atoi(argv[i + 1]);
    } else if (flag == "--brokers") {
      args.brokers = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: kafka_bench [--records N] [--partitions P] [--brokers H:P]\n");
      return 2;
    }
  }
  const pizzastream::Status status = pizzastream::Main(args);
  if (!status.ok()) {
    std::fprintf(stderr, "kafka_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
