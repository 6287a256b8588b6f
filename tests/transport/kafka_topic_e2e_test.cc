// The Kafka transport against a real broker (scripts/kafka): one broker shared by the tests,
// each on topics and groups of its own; the outage test stops and restarts a broker of its own.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/kafka_broker.h"
#include "transport/kafka_client.h"
#include "transport/kafka_topic.h"

namespace pizzastream::transport {
namespace {

// Stop condition for reading loops: this many empty polls of 1 s in a row mean "no more".
constexpr int kIdlePollsBeforeGivingUp = 30;

class KafkaTopicTest : public testing::KafkaBrokerTest {
 protected:
  using KafkaBrokerTest::KafkaBrokerTest;

  // `topic` and its group, named for this test alone.
  TransportConfig Config(const std::string& topic, int partitions) const {
    TransportConfig config;
    config.topic = Name(topic);
    config.kafka_brokers = broker_->address();
    config.partitions = partitions;
    config.group = Name(topic + "-group");
    return config;
  }

  std::unique_ptr<TopicWriter> Writer(const TransportConfig& config, const std::string& id) {
    auto writer = OpenKafkaWriter(config, id);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    return writer.ok() ? std::move(*writer) : nullptr;
  }

  std::unique_ptr<TopicReader> Reader(const TransportConfig& config, StartOffsetFn start) {
    auto reader = OpenKafkaReader(config, std::move(start));
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    return reader.ok() ? std::move(*reader) : nullptr;
  }

  // Writes `records` as producer "p" and waits until they are on the topic.
  void Produce(const TransportConfig& config, std::span<const OutgoingRecord> records) {
    auto writer = Writer(config, "p");
    ASSERT_NE(writer, nullptr);
    Status status = writer->Append(records);
    if (status.ok()) status = writer->Flush();
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
};

// Records "key-<i>" -> "value-<i>" with sequence i, for i in [first, last).
struct Records {
  std::vector<std::string> keys, values;
  std::vector<OutgoingRecord> records;
  Records(int first, int last) {
    for (int i = first; i < last; ++i) {
      keys.push_back("order-" + std::to_string(i));
      values.push_back(R"({"pizza_id":")" + std::to_string(i) + R"("})");
    }
    for (size_t i = 0; i < keys.size(); ++i) {
      records.push_back({keys[i], values[i], first + static_cast<int64_t>(i)});
    }
  }
};

StartOffsetFn FromBeginning() {
  return [](int32_t) -> Result<int64_t> { return 0; };
}

// Copies of what a reader returns, until `expected` records arrived or the topic went idle;
// then a few more polls, so records beyond `expected` (duplicates) would be seen too.
struct Received {
  std::vector<std::string> keys, values;
  std::vector<int32_t> partitions;
  std::map<int32_t, std::vector<int64_t>> offsets;  // per partition, in arrival order
};

Received ReadUntil(TopicReader* reader, size_t expected) {
  constexpr int kPollsAfterExpected = 3;
  Received received;
  std::vector<Message> batch;
  int idle = 0;
  int after = 0;
  while (idle < kIdlePollsBeforeGivingUp && after < kPollsAfterExpected) {
    Status status = reader->Poll(1000, std::chrono::seconds(1), &batch);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok()) break;
    idle = batch.empty() ? idle + 1 : 0;
    for (const Message& message : batch) {
      received.keys.emplace_back(message.key);
      received.values.emplace_back(message.value);
      received.partitions.push_back(message.partition);
      received.offsets[message.partition].push_back(message.offset);
    }
    if (received.values.size() >= expected) ++after;
  }
  return received;
}

// Reads the whole topic as a new group member: every one of `values` must be there once, and
// nothing else.
void ExpectTopicHoldsEachOnce(const TransportConfig& config,
                              const std::vector<std::string>& values) {
  auto reader = OpenKafkaReader(config, FromBeginning());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Received received = ReadUntil(reader->get(), values.size());
  EXPECT_EQ(received.values.size(), values.size());
  EXPECT_EQ(std::set<std::string>(received.values.begin(), received.values.end()),
            std::set<std::string>(values.begin(), values.end()));
}

TEST_F(KafkaTopicTest, RecordsWrittenArriveOnceInTheirKeysPartitionInOrder) {
  const TransportConfig config = Config("round_trip", 3);
  auto writer = Writer(config, "csv:orders");
  ASSERT_NE(writer, nullptr);
  Records input(0, 3000);
  ASSERT_TRUE(writer->Append(input.records).ok());
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->delivered(), 3000);

  auto reader = Reader(config, FromBeginning());
  ASSERT_NE(reader, nullptr);
  Received received = ReadUntil(reader.get(), 3000);
  EXPECT_EQ(received.values.size(), 3000u);
  EXPECT_EQ(std::set<std::string>(received.values.begin(), received.values.end()),
            std::set<std::string>(input.values.begin(), input.values.end()));
  EXPECT_EQ(received.offsets.size(), 3u);
  for (const auto& [partition, offsets] : received.offsets) {
    for (size_t i = 0; i < offsets.size(); ++i) EXPECT_EQ(offsets[i], static_cast<int64_t>(i));
  }
  EXPECT_EQ(reader->Assignment(), (std::vector<int32_t>{0, 1, 2}));
  auto lag = reader->Lag();
  ASSERT_TRUE(lag.ok()) << lag.status().ToString();
  EXPECT_EQ(*lag, 0);
}

TEST_F(KafkaTopicTest, EachRecordLandsInTheMurmur2PartitionOfItsKey) {
  const TransportConfig config = Config("murmur2", 6);
  Records input(0, 600);
  ASSERT_NO_FATAL_FAILURE(Produce(config, input.records));
  auto reader = Reader(config, FromBeginning());
  ASSERT_NE(reader, nullptr);
  Received received = ReadUntil(reader.get(), 600);
  ASSERT_EQ(received.values.size(), 600u);
  for (size_t i = 0; i < received.keys.size(); ++i) {
    EXPECT_EQ(received.partitions[i], kafka::Murmur2Partition(received.keys[i], 6))
        << received.keys[i];
  }
}

TEST_F(KafkaTopicTest, ReaderStartsEachPartitionWhereStartOffsetFnSays) {
  const TransportConfig config = Config("start_offsets", 1);
  Records input(0, 100);
  ASSERT_NO_FATAL_FAILURE(Produce(config, input.records));

  std::vector<int32_t> asked;
  auto reader = Reader(config, [&](int32_t partition) -> Result<int64_t> {
    asked.push_back(partition);
    return 60;
  });
  ASSERT_NE(reader, nullptr);
  Received received = ReadUntil(reader.get(), 40);
  EXPECT_EQ(asked, std::vector<int32_t>{0});
  ASSERT_EQ(received.values.size(), 40u);
  EXPECT_EQ(received.offsets[0].front(), 60);
  EXPECT_EQ(received.values.front(), input.values[60]);
}

TEST_F(KafkaTopicTest, StartOffsetFnFailureFailsTheReaderWithItsReason) {
  const TransportConfig config = Config("start_fails", 1);
  auto reader = OpenKafkaReader(
      config, [](int32_t) -> Result<int64_t> { return Status::IOError("lake unreadable"); });
  ASSERT_FALSE(reader.ok());
  EXPECT_TRUE(reader.status().IsIOError()) << reader.status().ToString();
  EXPECT_NE(reader.status().message().find("lake unreadable"), std::string::npos);
}

TEST_F(KafkaTopicTest, SeekRereadsAPartitionAndRefusesOnesNotAssigned) {
  const TransportConfig config = Config("seek", 1);
  Records input(0, 50);
  ASSERT_NO_FATAL_FAILURE(Produce(config, input.records));
  auto reader = Reader(config, FromBeginning());
  ASSERT_NE(reader, nullptr);
  ASSERT_EQ(ReadUntil(reader.get(), 50).values.size(), 50u);

  ASSERT_TRUE(reader->Seek(0, 20).ok());
  Received again = ReadUntil(reader.get(), 30);
  ASSERT_EQ(again.values.size(), 30u);
  EXPECT_EQ(again.offsets[0].front(), 20);
  EXPECT_TRUE(reader->Seek(7, 0).IsInvalid());
}

// Two bronze-like workers: each "commits" what it read to a shared map (the lake), and a
// partition handed over starts where the map says.
TEST_F(KafkaTopicTest, TwoReadersInOneGroupSplitPartitionsAndSeeEveryRecordOnce) {
  const TransportConfig config = Config("two_readers", 6);
  std::map<int32_t, int64_t> lake;
  StartOffsetFn from_lake = [&](int32_t partition) -> Result<int64_t> {
    return lake.contains(partition) ? lake[partition] : 0;
  };
  auto first = Reader(config, from_lake);
  auto second = Reader(config, from_lake);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);

  std::vector<Message> batch;
  std::map<std::string, int> seen;
  size_t by_first = 0, by_second = 0;
  auto poll = [&](TopicReader* reader, size_t* count) {
    ASSERT_TRUE(reader->Poll(500, std::chrono::milliseconds(200), &batch).ok());
    for (const Message& message : batch) {
      ++seen[std::string(message.value)];
      lake[message.partition] = message.offset + 1;
      ++*count;
    }
  };
  // Both join before anything is written, so neither can read it all alone.
  for (int i = 0; i < 150; ++i) {
    poll(first.get(), &by_first);
    poll(second.get(), &by_second);
    if (!first->Assignment().empty() && !second->Assignment().empty() &&
        first->Assignment().size() + second->Assignment().size() == 6) {
      break;
    }
  }
  EXPECT_EQ(first->Assignment().size(), 3u);
  EXPECT_EQ(second->Assignment().size(), 3u);

  Records input(0, 6000);
  ASSERT_NO_FATAL_FAILURE(Produce(config, input.records));
  for (int idle = 0; seen.size() < 6000 && idle < kIdlePollsBeforeGivingUp * 5;) {
    const size_t before = by_first + by_second;
    poll(first.get(), &by_first);
    poll(second.get(), &by_second);
    idle = by_first + by_second == before ? idle + 1 : 0;
  }
  EXPECT_EQ(seen.size(), 6000u);
  EXPECT_EQ(by_first + by_second, 6000u);
  for (const auto& [value, count] : seen) ASSERT_EQ(count, 1) << value;
  EXPECT_GT(by_first, 0u);
  EXPECT_GT(by_second, 0u);

  // The second leaves; the first takes all partitions over and finds nothing left to read.
  second.reset();
  for (int i = 0; i < 150 && first->Assignment().size() < 6; ++i) poll(first.get(), &by_first);
  EXPECT_EQ(first->Assignment().size(), 6u);
  EXPECT_EQ(by_first + by_second, 6000u);
}

TEST_F(KafkaTopicTest, RestartedWriterSkipsWhatItAlreadyWrote) {
  const TransportConfig config = Config("resume", 3);
  Records input(0, 1000);
  {
    auto writer = Writer(config, "csv:orders");
    ASSERT_NE(writer, nullptr);
    EXPECT_EQ(*writer->ResumeSequence(), 0);
    ASSERT_TRUE(writer->Append(std::span(input.records).first(600)).ok());
    ASSERT_TRUE(writer->Flush().ok());
  }
  auto writer = Writer(config, "csv:orders");
  ASSERT_NE(writer, nullptr);
  auto resume = writer->ResumeSequence();
  ASSERT_TRUE(resume.ok());
  EXPECT_LE(*resume, 600);
  EXPECT_GT(*resume, 500);  // within the last records of the least advanced partition
  // Replaying the whole source writes only the 400 records not yet there.
  ASSERT_TRUE(writer->Append(input.records).ok());
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->delivered(), 400);

  auto other = Writer(config, "csv:other");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(*other->ResumeSequence(), 0);

  ExpectTopicHoldsEachOnce(config, input.values);
}

TEST_F(KafkaTopicTest, MalformedPayloadsPassThroughAsRawBytes) {
  const TransportConfig config = Config("malformed", 1);
  const std::vector<std::string> values = {"not json", "", std::string("\xff\x00{\"", 4),
                                           R"({"quantity": [1]})"};
  std::vector<OutgoingRecord> records;
  for (size_t i = 0; i < values.size(); ++i) {
    records.push_back({i == 1 ? std::string_view() : "k", values[i], static_cast<int64_t>(i)});
  }
  ASSERT_NO_FATAL_FAILURE(Produce(config, records));
  auto reader = Reader(config, FromBeginning());
  ASSERT_NE(reader, nullptr);
  Received received = ReadUntil(reader.get(), values.size());
  EXPECT_EQ(received.values, values);
}

// Stops and restarts the broker: a broker of its own.
class KafkaTopicOutageTest : public KafkaTopicTest {
 protected:
  KafkaTopicOutageTest() : KafkaTopicTest(kOwnBroker) {}
};

TEST_F(KafkaTopicOutageTest, BrokerStoppedWhileProducingLosesNothing) {
  const TransportConfig config = Config("outage", 3);
  auto writer = Writer(config, "csv:orders");
  ASSERT_NE(writer, nullptr);
  Records input(0, 4000);
  std::span all(input.records);
  ASSERT_TRUE(writer->Append(all.first(2000)).ok());
  ASSERT_TRUE(writer->Flush().ok());

  ASSERT_TRUE(broker_->Stop().ok());
  ASSERT_TRUE(writer->Append(all.subspan(2000)).ok());  // queued while the broker is down
  std::thread restart([&] {
    std::this_thread::sleep_for(std::chrono::seconds(3));  // let the writer retry meanwhile
    Status status = broker_->Restart();
    EXPECT_TRUE(status.ok()) << status.ToString();
  });
  Status flushed = writer->Flush();
  restart.join();
  ASSERT_TRUE(flushed.ok()) << flushed.ToString();
  EXPECT_EQ(writer->delivered(), 4000);

  ExpectTopicHoldsEachOnce(config, input.values);
}

TEST_F(KafkaTopicTest, CommittedOffsetsAreVisibleToLagTools) {
  const TransportConfig config = Config("commits", 2);
  Records input(0, 200);
  ASSERT_NO_FATAL_FAILURE(Produce(config, input.records));
  auto reader = Reader(config, FromBeginning());
  ASSERT_NE(reader, nullptr);
  Received received = ReadUntil(reader.get(), 200);
  std::vector<PartitionOffset> offsets;
  for (const auto& [partition, list] : received.offsets) {
    offsets.push_back({partition, list.back() + 1});
  }
  ASSERT_TRUE(reader->CommitOffsets(offsets).ok());

  // What `kafka-consumer-groups --describe` reads: the group's committed offsets.
  kafka::Settings settings = kafka::CommonSettings(config.kafka_brokers);
  settings.push_back({"group.id", config.group});
  auto conf = kafka::MakeConf(settings, "test");
  ASSERT_TRUE(conf.ok());
  auto client = kafka::MakeClient(RD_KAFKA_CONSUMER, std::move(*conf));
  ASSERT_TRUE(client.ok());
  kafka::PartitionList list(rd_kafka_topic_partition_list_new(2));
  rd_kafka_topic_partition_list_add(list.get(), config.topic.c_str(), 0);
  rd_kafka_topic_partition_list_add(list.get(), config.topic.c_str(), 1);
  ASSERT_EQ(rd_kafka_committed(client->get(), list.get(), 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
  int64_t committed = 0;
  for (int i = 0; i < list->cnt; ++i) committed += list->elems[i].offset;
  EXPECT_EQ(committed, 200);
}

}  // namespace
}  // namespace pizzastream::transport
