#include "silver/cleaned_layout_upgrade.h"

#include <arrow/array/concatenate.h>
#include <arrow/builder.h>
#include <arrow/compute/api.h>
#include <arrow/table.h>
#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "silver/field_parsers.h"
#include "silver/silver_schema.h"

namespace pizzastream::silver {

namespace {

constexpr const char* kOrderTimeName = "order_time";
constexpr const char* kOrderDateName = "order_date";

bool IsText(const arrow::DataType& type) {
  return type.id() == arrow::Type::STRING || type.id() == arrow::Type::LARGE_STRING ||
         type.id() == arrow::Type::STRING_VIEW;
}

Result<std::shared_ptr<arrow::Array>> AsOne(const std::shared_ptr<arrow::ChunkedArray>& column,
                                            const std::shared_ptr<arrow::DataType>& type) {
  ARROW_ASSIGN_OR_RAISE(auto cast, arrow::compute::Cast(column, type));
  return arrow::Concatenate(cast.chunked_array()->chunks());
}

// order_date + "HH:MM:SS" -> the order's timestamp (µs, UTC), as silver writes it now.
Result<std::shared_ptr<arrow::Array>> OrderTimestamps(const arrow::Date32Array& dates,
                                                      const arrow::StringArray& times) {
  arrow::TimestampBuilder out(CleanedSchema()->field(kOrderTime)->type(),
                              arrow::default_memory_pool());
  ARROW_RETURN_NOT_OK(out.Reserve(times.length()));
  for (int64_t i = 0; i < times.length(); ++i) {
    if (dates.IsNull(i) || times.IsNull(i)) {
      out.UnsafeAppendNull();  // conformance reports the null in a required column
      continue;
    }
    int32_t seconds = 0;
    if (!ParseTimeOfDay(times.GetView(i), &seconds)) {
      return Status::Invalid("order_time '", times.GetView(i), "' (old text layout) is not a ",
                             "time of day");
    }
    out.UnsafeAppend(TimestampMicros(dates.Value(i), seconds));
  }
  return out.Finish();
}

}  // namespace

lake::FileUpgrade CleanedFileUpgrade() {
  return [](const std::shared_ptr<arrow::Table>& file) -> Result<std::shared_ptr<arrow::Table>> {
    const int time_index = file->schema()->GetFieldIndex(kOrderTimeName);
    if (time_index < 0 || !IsText(*file->schema()->field(time_index)->type())) return file;
    const int date_index = file->schema()->GetFieldIndex(kOrderDateName);
    if (date_index < 0) {
      return Status::Invalid("old layout (order_time as text) without order_date");
    }
    ARROW_ASSIGN_OR_RAISE(auto dates, AsOne(file->column(date_index), arrow::date32()));
    ARROW_ASSIGN_OR_RAISE(auto times, AsOne(file->column(time_index), arrow::utf8()));
    ARROW_ASSIGN_OR_RAISE(auto stamps,
                          OrderTimestamps(static_cast<const arrow::Date32Array&>(*dates),
                                          static_cast<const arrow::StringArray&>(*times)));
    return file->SetColumn(time_index, CleanedSchema()->field(kOrderTime),
                           std::make_shared<arrow::ChunkedArray>(stamps));
  };
}

Status UpgradeCleanedTable(const lake::Lakehouse& lake, lake::DeltaLog& cleaned) {
  constexpr int kAttempts = 3;  // a compaction may swap files meanwhile: read again
  for (int attempt = 1;; ++attempt) {
    ARROW_ASSIGN_OR_RAISE(auto snapshot, cleaned.Update());
    if (snapshot->version < 0) return Status::OK();
    const auto field = snapshot->schema->GetFieldByName(kOrderTimeName);
    if (!field || !IsText(*field->type())) return Status::OK();
    lake::Commit commit;
    commit.operation = "CHANGE COLUMN";
    commit.parameters = {{"column", kOrderTimeName}, {"from", "string"}, {"to", "timestamp"}};
    commit.new_schema = CleanedSchema();
    const int64_t now = WallClockMillis();
    for (const auto& [path, file] : snapshot->files) {
      ARROW_ASSIGN_OR_RAISE(auto table, lake.ReadParquet(lake::tables::kSilverCleaned, file,
                                                         CleanedSchema(), CleanedFileUpgrade()));
      ARROW_ASSIGN_OR_RAISE(auto batch, table->CombineChunksToBatch());
      ARROW_ASSIGN_OR_RAISE(
          auto add, lake.WriteParquet(lake::tables::kSilverCleaned, CleanedSchema(), {batch},
                                      OrderLineParquetHints()));
      add.data_change = false;
      commit.adds.push_back(std::move(add));
      commit.removes.push_back({path, now, /*data_change=*/false, file.size});
    }
    auto committed = cleaned.CommitAppend(commit, {});
    if (committed.ok()) {
      spdlog::info("{}: upgraded to order_time as a timestamp ({} files rewritten, version {})",
                   lake::tables::kSilverCleaned, commit.adds.size(), *committed);
      return Status::OK();
    }
    if (!committed.status().IsCancelled() || attempt == kAttempts) return committed.status();
  }
}

}  // namespace pizzastream::silver
