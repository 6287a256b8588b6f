#include "lake/file_statistics.h"

#include <arrow/scalar.h>
#include <fmt/format.h>
#include <parquet/arrow/reader.h>
#include <parquet/metadata.h>
#include <parquet/statistics.h>

#include <chrono>
#include <nlohmann/json.hpp>

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
    case arrow::Type::DECIMAL32:
    case arrow::Type::DECIMAL64:
    case arrow::Type::DECIMAL128:
      return json::parse(s.ToString(), nullptr, false);  // e.g. 20.75
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

Result<std::string> FileStatisticsJson(const arrow::Schema& schema,
                                       const parquet::FileMetaData& footer,
                                       const std::vector<int64_t>& null_counts) {
  if (null_counts.size() != static_cast<size_t>(schema.num_fields())) {
    return Status::Invalid("statistics: ", null_counts.size(), " null counts for ",
                           schema.num_fields(), " columns");
  }
  const int64_t rows = footer.num_rows();
  const int row_groups = footer.num_row_groups();
  json mins = json::object(), maxs = json::object(), nulls = json::object();
  for (int c = 0; c < schema.num_fields(); ++c) {
    const auto& field = schema.field(c);
    nulls[field->name()] = null_counts[c];
    const int leaf = footer.schema()->ColumnIndex(field->name());
    if (!HasMinMax(*field->type()) || leaf < 0 || null_counts[c] >= rows) continue;
    json lo, hi;
    bool stated = true;
    for (int g = 0; g < row_groups && stated; ++g) {
      const auto group = footer.RowGroup(g);
      const auto chunk = group->ColumnChunk(leaf);
      const auto stats = chunk->statistics();
      if (stats != nullptr && stats->HasNullCount() && stats->null_count() == group->num_rows()) {
        continue;  // only nulls here: no bound from this row group
      }
      std::shared_ptr<arrow::Scalar> min, max;
      if (stats == nullptr || !stats->HasMinMax() ||
          !parquet::arrow::StatisticsAsScalars(*stats, &min, &max).ok()) {
        stated = false;
        break;
      }
      json group_lo = StatValue(*min), group_hi = StatValue(*max);
      if (group_lo.is_null() || group_hi.is_null() || group_lo.is_discarded() ||
          group_hi.is_discarded()) {
        stated = false;
        break;
      }
      if (lo.is_null() || group_lo < lo) lo = std::move(group_lo);
      if (hi.is_null() || hi < group_hi) hi = std::move(group_hi);
    }
    if (!stated || lo.is_null()) continue;
    mins[field->name()] = std::move(lo);
    maxs[field->name()] = std::move(hi);
  }
  return json{{"numRecords", rows}, {"minValues", mins}, {"maxValues", maxs}, {"nullCount", nulls}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace pizzastream::lake
