// The Kafka writer partitions keys itself (to de-duplicate replays per partition); it must pick
// the partition every Kafka client picks by default, so records of one order stay together
// whoever produces them.
#include <gtest/gtest.h>

#include "transport/kafka_client.h"

namespace pizzastream::transport::kafka {
namespace {

// Expected values computed with the Java client's
// Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % n (kafka-clients 3.9.1).
TEST(KafkaPartitionTest, KeyGoesToTheJavaClientsMurmur2Partition) {
  EXPECT_EQ(Murmur2Partition("1", 6), 3);
  EXPECT_EQ(Murmur2Partition("21", 6), 0);
  EXPECT_EQ(Murmur2Partition("order-7", 6), 1);
  EXPECT_EQ(Murmur2Partition("18845", 6), 4);
  EXPECT_EQ(Murmur2Partition("kafka", 6), 4);
  EXPECT_EQ(Murmur2Partition("order-7", 3), 1);
  EXPECT_EQ(Murmur2Partition("18845", 3), 1);
}

TEST(KafkaPartitionTest, EveryKeyGoesToPartitionZeroOfAOnePartitionTopic) {
  EXPECT_EQ(Murmur2Partition("", 1), 0);
  EXPECT_EQ(Murmur2Partition("anything", 1), 0);
}

}  // namespace
}  // namespace pizzastream::transport::kafka
