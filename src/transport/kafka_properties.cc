#include "transport/kafka_properties.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace pizzastream::transport::kafka {
namespace {

constexpr std::string_view kEnvPrefix = "PIZZASTREAM_KAFKA_PROPERTY_";

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

Result<std::pair<std::string, std::string>> ParseProperty(std::string_view text) {
  const size_t eq = text.find('=');
  const std::string_view key = Trimmed(text.substr(0, eq));
  if (eq == std::string_view::npos || key.empty()) {
    return Status::Invalid("a Kafka property must be KEY=VALUE");
  }
  return std::pair{std::string(key), std::string(Trimmed(text.substr(eq + 1)))};
}

Result<Settings> ParseProperties(std::string_view text) {
  Settings settings;
  int number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = Trimmed(text.substr(0, newline));
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++number;
    if (line.empty() || line.starts_with('#') || line.starts_with('!')) continue;
    auto property = ParseProperty(line);
    if (!property.ok()) {
      return Status::Invalid("line ", number, ": ", property.status().message());
    }
    settings.push_back(std::move(*property));
  }
  return settings;
}

Result<Settings> ReadPropertiesFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read the Kafka properties file ", path);
  std::stringstream text;
  text << in.rdbuf();
  auto settings = ParseProperties(text.str());
  if (!settings.ok()) {
    return Status::Invalid("Kafka properties file ", path, ": ", settings.status().message());
  }
  struct stat st {};
  const bool secret = std::any_of(settings->begin(), settings->end(),
                                  [](const auto& kv) { return IsSecretProperty(kv.first); });
  if (secret && stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    spdlog::warn(
        "the Kafka properties file {} holds a secret and other users may read it "
        "(chmod 600 it)",
        path);
  }
  return settings;
}

Settings PropertiesFromEnvironment(const char* const* environment) {
  Settings settings;
  for (; environment != nullptr && *environment != nullptr; ++environment) {
    const std::string_view entry(*environment);
    if (!entry.starts_with(kEnvPrefix)) continue;
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos || eq == kEnvPrefix.size()) continue;
    std::string key(entry.substr(kEnvPrefix.size(), eq - kEnvPrefix.size()));
    std::transform(key.begin(), key.end(), key.begin(), [](char c) {
      return c == '_' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    settings.emplace_back(std::move(key), std::string(entry.substr(eq + 1)));
  }
  return settings;
}

}  // namespace pizzastream::transport::kafka
