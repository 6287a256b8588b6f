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
  EXPECT_EQ(PartitionForKey("1", 6), 3);
  EXPECT_EQ(PartitionForKey("21", 6), 0);
  EXPECT_EQ(PartitionForKey("order-7", 6), 1);
  EXPECT_EQ(PartitionForKey("18845", 6), 4);
  EXPECT_EQ(PartitionForKey("kafka", 6), 4);
  EXPECT_EQ(PartitionForKey("order-7", 3), 1);
  EXPECT_EQ(PartitionForKey("18845", 3), 1);
}

TEST(KafkaPartitionTest, EveryKeyGoesToPartitionZeroOfAOnePartitionTopic) {
  EXPECT_EQ(PartitionForKey("", 1), 0);
  EXPECT_EQ(PartitionForKey("anything", 1), 0);
}

}  // namespace
}  // namespace pizzastream::transport::kafka
