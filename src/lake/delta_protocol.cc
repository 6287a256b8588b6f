#include "lake/delta_protocol.h"

#include <algorithm>
#include <array>

namespace pizzastream::lake {

namespace {

// Reader features whose data pizzastream reads correctly (none change how files are read).
constexpr std::array<std::string_view, 1> kReaderFeatures = {"timestampNtz"};
// Writer features pizzastream honours when it appends or compacts: appendOnly (it never deletes
// rows), changeDataFeed (appends and dataChange=false rewrites need no CDC files),
// timestampNtz (a type it does not write), and the always-safe bookkeeping features.
constexpr std::array<std::string_view, 5> kWriterFeatures = {
    "appendOnly", "changeDataFeed", "timestampNtz", "checkpointProtection", "domainMetadata"};

bool Contains(const auto& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string ConfigValue(const MetadataAction& m, const std::string& key) {
  auto it = m.configuration.find(key);
  return it == m.configuration.end() ? std::string() : it->second;
}

}  // namespace

ProtocolAction DefaultProtocol() { return ProtocolAction{1, 2, {}, {}}; }

Status CheckReadable(const ProtocolAction& p, const MetadataAction& m, std::string_view table) {
  if (p.min_reader_version > 3) {
    return Status::NotImplemented("Delta table ", table, " needs reader version ",
                                  p.min_reader_version, "; pizzastream reads versions 1 to 3");
  }
  if (p.min_reader_version == 2) {  // column mapping, the only feature of reader version 2
    const std::string mode = ConfigValue(m, "delta.columnMapping.mode");
    if (!mode.empty() && mode != "none") {
      return Status::NotImplemented("Delta table ", table, " uses column mapping (mode '", mode,
                                    "'), which pizzastream does not support");
    }
  }
  if (p.min_reader_version == 3) {
    for (const auto& feature : p.reader_features) {
      if (!Contains(kReaderFeatures, feature)) {
        return Status::NotImplemented("Delta table ", table, " needs reader feature '", feature,
                                      "', which pizzastream does not support");
      }
    }
  }
  if (!m.partition_columns.empty()) {
    return Status::NotImplemented("Delta table ", table,
                                  " is partitioned; pizzastream reads unpartitioned tables only");
  }
  return Status::OK();
}

Status CheckWritable(const ProtocolAction& p, const MetadataAction& m, std::string_view table) {
  ARROW_RETURN_NOT_OK(CheckReadable(p, m, table));
  auto refuse = [&](std::string_view what) {
    return Status::NotImplemented("Delta table ", table, " needs writer feature '", what,
                                  "', which pizzastream does not support: it does not write to it");
  };
  const int32_t w = p.min_writer_version;
  if (w > 7) return refuse("writer version " + std::to_string(w));
  if (w == 7) {
    for (const auto& feature : p.writer_features) {
      if (!Contains(kWriterFeatures, feature) && !Contains(kReaderFeatures, feature)) {
        return refuse(feature);
      }
    }
    return Status::OK();
  }
  // Legacy versions: each one implies its features; accept those pizzastream honours when the
  // table does not actually use them.
  if (w >= 3) {
    for (const auto& [key, value] : m.configuration) {
      if (key.rfind("delta.constraints.", 0) == 0) return refuse("checkConstraints (" + key + ")");
    }
  }
  if (w >= 4 && m.schema_string.find("delta.generationExpression") != std::string::npos) {
    return refuse("generatedColumns");
  }
  if (w >= 5) {
    const std::string mode = ConfigValue(m, "delta.columnMapping.mode");
    if (!mode.empty() && mode != "none") return refuse("columnMapping");
  }
  if (w >= 6 && m.schema_string.find("delta.identity.") != std::string::npos) {
    return refuse("identityColumns");
  }
  if (m.schema_string.find("delta.invariants") != std::string::npos) return refuse("invariants");
  return Status::OK();
}

}  // namespace pizzastream::lake
