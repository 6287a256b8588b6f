#include "warehouse/postgres_copy_cells.h"

#include <arrow/array.h>
#include <arrow/util/decimal.h>

#include <charconv>
#include <chrono>
#include <cstring>

namespace pizzastream::warehouse {

namespace {

void AppendInt(std::string& out, int64_t value, int min_digits = 1) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  (void)ec;  // 24 chars always hold an int64
  for (int pad = min_digits - static_cast<int>(end - digits); pad > 0; --pad) out += '0';
  out.append(digits, end);
}

// days since 1970-01-01 -> YYYY-MM-DD (proleptic Gregorian, as PostgreSQL's date).
void AppendDate(std::string& out, int32_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  AppendInt(out, static_cast<int>(ymd.year()), 4);
  out += '-';
  AppendInt(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  AppendInt(out, static_cast<unsigned>(ymd.day()), 2);
}

// An exact decimal with `scale` fraction digits; the int64 fast path covers money columns.
void AppendDecimal(std::string& out, const arrow::Decimal128& value, int32_t scale) {
  const auto as_int = value.ToInteger<int64_t>();
  if (!as_int.ok() || scale <= 0 || scale > 18) {
    out += value.ToString(scale);
    return;
  }
  const int64_t v = *as_int;
  int64_t unit = 1;
  for (int32_t i = 0; i < scale; ++i) unit *= 10;
  if (v < 0) out += '-';
  const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  AppendInt(out, static_cast<int64_t>(magnitude / unit));
  out += '.';
  AppendInt(out, static_cast<int64_t>(magnitude % unit), scale);
}

// PostgreSQL text cannot hold NUL; refuse it rather than cut the value short.
Status CheckNoNul(const arrow::StringArray& array, const std::string& name) {
  for (int64_t row = 0; row < array.length(); ++row) {
    if (array.IsNull(row)) continue;
    const std::string_view value = array.GetView(row);
    if (std::memchr(value.data(), '\0', value.size()) != nullptr) {
      return Status::Invalid("column ", name, " row ", row,
                             " holds a NUL character, which PostgreSQL text cannot store");
    }
  }
  return Status::OK();
}

}  // namespace

Result<CopyCells> CopyCells::Make(std::shared_ptr<arrow::RecordBatch> batch) {
  CopyCells cells(batch);
  for (int i = 0; i < batch->num_columns(); ++i) {
    const auto& type = *batch->column(i)->type();
    Column column{batch->column(i).get(), type.id(), 0, {}};
    switch (type.id()) {
      case arrow::Type::INT32:
      case arrow::Type::INT64:
      case arrow::Type::DATE32:
        break;
      case arrow::Type::STRING:
        ARROW_RETURN_NOT_OK(CheckNoNul(static_cast<const arrow::StringArray&>(*column.array),
                                       batch->schema()->field(i)->name()));
        break;
      case arrow::Type::DECIMAL128:
        column.scale = static_cast<const arrow::Decimal128Type&>(type).scale();
        break;
      default:
        return Status::TypeError("column ", batch->schema()->field(i)->name(), " has type ",
                                 type.ToString(), ", which the warehouse load does not take");
    }
    cells.columns_.push_back(std::move(column));
  }
  return cells;
}

void CopyCells::Row(int64_t row, const char** out) {
  for (size_t c = 0; c < columns_.size(); ++c) {
    Column& column = columns_[c];
    if (column.array->IsNull(row)) {
      out[c] = nullptr;
      continue;
    }
    column.text.clear();
    switch (column.type) {
      case arrow::Type::INT32:
        AppendInt(column.text, static_cast<const arrow::Int32Array*>(column.array)->Value(row));
        break;
      case arrow::Type::INT64:
        AppendInt(column.text, static_cast<const arrow::Int64Array*>(column.array)->Value(row));
        break;
      case arrow::Type::DATE32:
        AppendDate(column.text, static_cast<const arrow::Date32Array*>(column.array)->Value(row));
        break;
      case arrow::Type::DECIMAL128:
        AppendDecimal(column.text,
                      arrow::Decimal128(
                          static_cast<const arrow::Decimal128Array*>(column.array)->GetValue(row)),
                      column.scale);
        break;
      default:  // STRING
        column.text.append(static_cast<const arrow::StringArray*>(column.array)->GetView(row));
        break;
    }
    out[c] = column.text.c_str();
  }
}

}  // namespace pizzastream::warehouse
