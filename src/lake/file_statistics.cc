#include "lake/file_statistics.h"

#include <arrow/chunked_array.h>
#include <arrow/compute/api.h>
#include <arrow/compute/initialize.h>
#include <arrow/scalar.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

namespace pizzastream::lake {

using json = nlohmann::json;

namespace {

constexpr size_t kMaxStringStat = 32;

json TimestampStatMs(int64_t ms, bool utc) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(ms)};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  if (!ymd.ok() || static_cast<int>(ymd.year()) < 0 || static_cast<int>(ymd.year()) > 9999) {
    return json();
  }
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}{}",
                     static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count(), hms.subseconds().count(), utc ? "Z" : "");
}

bool HasMinMax(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::DATE32:
    case arrow::Type::DECIMAL128:
    case arrow::Type::STRING:
    case arrow::Type::TIMESTAMP:
      return true;
    default:
      return false;
  }
}

// A timestamp as Delta's statistics write it: ISO 8601 truncated down to milliseconds (the
// protocol's rule; readers allow for the truncation of the max), "Z" for UTC-adjusted columns.
json TimestampStat(const arrow::TimestampScalar& s) {
  const auto& type = static_cast<const arrow::TimestampType&>(*s.type);
  int64_t per_ms = 1;
  switch (type.unit()) {
    case arrow::TimeUnit::SECOND:
      return TimestampStatMs(s.value * 1000, !type.timezone().empty());
    case arrow::TimeUnit::MILLI:
      break;
    case arrow::TimeUnit::MICRO:
      per_ms = 1000;
      break;
    case arrow::TimeUnit::NANO:
      per_ms = 1000000;
      break;
  }
  // Floor division: a time before 1970 truncates towards the past too.
  int64_t ms = s.value / per_ms;
  if (s.value % per_ms < 0) --ms;
  return TimestampStatMs(ms, !type.timezone().empty());
}

// The JSON of a min or max; null when it cannot be stated exactly.
json StatValue(const arrow::Scalar& s) {
  if (!s.is_valid) return json();
  switch (s.type->id()) {
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64: {
      auto as_int = s.CastTo(arrow::int64());
      if (!as_int.ok()) return json();
      return static_cast<const arrow::Int64Scalar&>(**as_int).value;
    }
    case arrow::Type::DATE32:
      return s.ToString();  // yyyy-mm-dd
    case arrow::Type::DECIMAL128: {
      const auto& d = static_cast<const arrow::Decimal128Scalar&>(s);
      const auto& type = static_cast<const arrow::Decimal128Type&>(*s.type);
      return json::parse(d.value.ToString(type.scale()), nullptr, false);
    }
    case arrow::Type::STRING: {
      const auto view = static_cast<const arrow::StringScalar&>(s).view();
      if (view.size() > kMaxStringStat) return json();
      return std::string(view);
    }
    case arrow::Type::TIMESTAMP:
      return TimestampStat(static_cast<const arrow::TimestampScalar&>(s));
    default:
      return json();
  }
}

}  // namespace

Result<std::string> FileStatisticsJson(
    const arrow::Schema& schema, const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches,
    const std::vector<std::string>& no_min_max) {
  static const Status init = arrow::compute::Initialize();
  ARROW_RETURN_NOT_OK(init);
  int64_t rows = 0;
  for (const auto& b : batches) rows += b->num_rows();
  json mins = json::object(), maxs = json::object(), nulls = json::object();
  for (int c = 0; c < schema.num_fields(); ++c) {
    const auto& field = schema.field(c);
    arrow::ArrayVector chunks;
    for (const auto& b : batches) {
      if (b->num_rows() > 0) chunks.push_back(b->column(c));
    }
    if (chunks.empty()) continue;
    auto column = std::make_shared<arrow::ChunkedArray>(chunks, field->type());
    nulls[field->name()] = column->null_count();
    if (!HasMinMax(*field->type()) || column->null_count() == column->length() ||
        std::find(no_min_max.begin(), no_min_max.end(), field->name()) != no_min_max.end()) {
      continue;
    }
    ARROW_ASSIGN_OR_RAISE(auto datum, arrow::compute::CallFunction("min_max", {column}));
    const auto& pair = static_cast<const arrow::StructScalar&>(*datum.scalar());
    json lo = StatValue(*pair.value[0]), hi = StatValue(*pair.value[1]);
    if (lo.is_null() || hi.is_null() || lo.is_discarded() || hi.is_discarded()) continue;
    mins[field->name()] = std::move(lo);
    maxs[field->name()] = std::move(hi);
  }
  return json{{"numRecords", rows}, {"minValues", mins}, {"maxValues", maxs}, {"nullCount", nulls}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string MergeStatisticsJson(const std::vector<std::string_view>& stats, int64_t rows) {
  json mins = json::object(), maxs = json::object(), nulls;
  std::set<std::string> no_min_max;  // a file lacks them although it has values there
  for (const std::string_view one : stats) {
    const json s = json::parse(one, nullptr, false);
    if (!s.is_object() || !s.contains("numRecords") || !s.contains("nullCount") ||
        !s["nullCount"].is_object()) {
      return json{{"numRecords", rows}}.dump();
    }
    const json empty = json::object();
    const json& file_nulls = s["nullCount"];
    const json& file_mins = s.contains("minValues") ? s["minValues"] : empty;
    const json& file_maxs = s.contains("maxValues") ? s["maxValues"] : empty;
    if (nulls.is_null()) {
      nulls = json::object();
      for (const auto& [column, count] : file_nulls.items()) nulls[column] = 0;
    }
    for (auto it = nulls.begin(); it != nulls.end();) {  // a column some file does not count
      const auto count = file_nulls.find(it.key());
      if (count == file_nulls.end() || !count->is_number_integer()) {
        no_min_max.insert(it.key());
        it = nulls.erase(it);
      } else {
        it.value() = it.value().get<int64_t>() + count->get<int64_t>();
        ++it;
      }
    }
    for (const auto& [column, count] : file_nulls.items()) {
      if (count == s["numRecords"]) continue;  // only nulls: no bound from this file
      if (!file_mins.contains(column) || !file_maxs.contains(column)) {
        no_min_max.insert(column);
        continue;
      }
      if (!mins.contains(column) || file_mins[column] < mins[column]) {
        mins[column] = file_mins[column];
      }
      if (!maxs.contains(column) || maxs[column] < file_maxs[column]) {
        maxs[column] = file_maxs[column];
      }
    }
  }
  for (const std::string& column : no_min_max) {
    mins.erase(column);
    maxs.erase(column);
  }
  return json{{"numRecords", rows}, {"minValues", mins}, {"maxValues", maxs}, {"nullCount", nulls}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace pizzastream::lake
