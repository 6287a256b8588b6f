#include "transport/kafka_properties.h"

#include <gtest/gtest.h>

#include "support/process.h"

namespace pizzastream::transport::kafka {
namespace {

TEST(KafkaPropertiesTest, ReadsKeyValueLinesAndSkipsComments) {
  auto settings = ParseProperties(
      "# a comment\n! another\n\nsecurity.protocol = SASL_SSL\r\nsasl.password=a=b c\n");
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  ASSERT_EQ(settings->size(), 2u);
  EXPECT_EQ((*settings)[0], (std::pair<std::string, std::string>{"security.protocol", "SASL_SSL"}));
  EXPECT_EQ((*settings)[1], (std::pair<std::string, std::string>{"sasl.password", "a=b c"}));
}

TEST(KafkaPropertiesTest, AMalformedLineIsNamedByNumberNeverByContent) {
  auto settings = ParseProperties("security.protocol=SASL_SSL\nhunter2-no-equals-sign\n");
  ASSERT_FALSE(settings.ok());
  EXPECT_NE(settings.status().message().find("line 2"), std::string::npos);
  EXPECT_EQ(settings.status().message().find("hunter2"), std::string::npos);
  EXPECT_FALSE(ParseProperty("=value").ok());
}

TEST(KafkaPropertiesTest, TheEnvironmentNamesPropertiesWithAPrefix) {
  const char* environment[] = {"PIZZASTREAM_KAFKA_PROPERTY_SASL_PASSWORD=s3cret",
                               "PIZZASTREAM_KAFKA_PROPERTY_SSL_CA_LOCATION=/tmp/ca.crt",
                               "PIZZASTREAM_KAFKA_BROKERS=127.0.0.1:9092",
                               "HOME=/root",
                               "PIZZASTREAM_KAFKA_PROPERTY_=x",
                               nullptr};
  const Settings settings = PropertiesFromEnvironment(environment);
  ASSERT_EQ(settings.size(), 2u);
  EXPECT_EQ(settings[0], (std::pair<std::string, std::string>{"sasl.password", "s3cret"}));
  EXPECT_EQ(settings[1], (std::pair<std::string, std::string>{"ssl.ca.location", "/tmp/ca.crt"}));
}

TEST(KafkaPropertiesTest, ReadsAFile) {
  testing::TempDir dir;
  testing::WriteFile(dir / "client.properties", "sasl.username=pizza\nsasl.mechanisms=PLAIN\n");
  auto settings = ReadPropertiesFile(dir / "client.properties");
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->size(), 2u);
  EXPECT_FALSE(ReadPropertiesFile(dir / "missing.properties").ok());
}

TEST(KafkaPropertiesTest, PropertiesPizzastreamReliesOnCannotBeChanged) {
  EXPECT_TRUE(CheckUserProperties({{"security.protocol", "SASL_SSL"},
                                   {"sasl.mechanisms", "SCRAM-SHA-256"},
                                   {"ssl.ca.location", "/tmp/ca.crt"},
                                   {"socket.timeout.ms", "30000"}})
                  .ok());
  for (const char* key : {"enable.idempotence", "acks", "group.id", "bootstrap.servers",
                          "enable.auto.commit", "partitioner"}) {
    const Status st = CheckUserProperties({{key, "x"}});
    EXPECT_TRUE(st.IsInvalid()) << key;
    EXPECT_NE(st.message().find(key), std::string::npos) << st.ToString();
  }
}

TEST(KafkaPropertiesTest, SecretValuesNeverAppearInConfigurationErrors) {
  EXPECT_TRUE(IsSecretProperty("sasl.password"));
  EXPECT_TRUE(IsSecretProperty("ssl.key.password"));
  EXPECT_TRUE(IsSecretProperty("ssl.key.pem"));
  EXPECT_TRUE(IsSecretProperty("sasl.jaas.config"));
  EXPECT_TRUE(IsSecretProperty("sasl.oauthbearer.client.secret"));
  EXPECT_FALSE(IsSecretProperty("sasl.username"));
  // librdkafka refuses an unknown value of a known key: the message shows a plain value ...
  auto plain = MakeConf({{"security.protocol", "bogus-protocol"}}, "test");
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.status().message().find("bogus-protocol"), std::string::npos);
  // ... and hides a secret one (an unknown key named like a secret, so librdkafka refuses it).
  auto secret = MakeConf({{"sasl.password.bogus", "hunter2"}}, "test");
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().message().find("hunter2"), std::string::npos)
      << secret.status().ToString();
}

}  // namespace
}  // namespace pizzastream::transport::kafka
