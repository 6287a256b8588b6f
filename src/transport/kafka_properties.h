// Where the user's librdkafka properties come from (TransportConfig::kafka_properties), in
// this order, a later one winning: a properties file (KEY=VALUE lines, as Kafka's own
// client.properties; the place for secrets, mode 0600), environment variables
// PIZZASTREAM_KAFKA_PROPERTY_<KEY> (the key upper-cased, '.' as '_':
// PIZZASTREAM_KAFKA_PROPERTY_SASL_PASSWORD is sasl.password), and KEY=VALUE arguments.
// Messages name keys and line numbers, never values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "transport/kafka_client.h"

namespace pizzastream::transport::kafka {

// One "KEY=VALUE" (spaces around the key and value trimmed).
Result<std::pair<std::string, std::string>> ParseProperty(std::string_view text);

// The KEY=VALUE lines of a properties file's text; blank lines and lines starting with '#'
// or '!' are skipped.
Result<Settings> ParseProperties(std::string_view text);

// ParseProperties of the file at `path`; warns when it holds a secret and others may read it.
Result<Settings> ReadPropertiesFile(const std::string& path);

// The PIZZASTREAM_KAFKA_PROPERTY_* entries of `environment` (a NULL-terminated environ).
Settings PropertiesFromEnvironment(const char* const* environment);

}  // namespace pizzastream::transport::kafka
