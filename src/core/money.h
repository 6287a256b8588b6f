// Money, defined once for every stage: amounts are integer cents (int64) inside, and
// decimal(precision, 2) in Parquet and SQL. A price fits `decimal(8,2)` (unit_price, at most
// 999,999.99) and a line total `decimal(10,2)` (total_price, at most 99,999,999.99); a value
// that does not fit is rejected in silver with its own rule, never wrapped. Every operation
// on cents is overflow-checked: it returns false instead of a wrapped value.
// Pure functions, thread-safe.
#pragma once

#include <arrow/type.h>

#include <cstdint>
#include <memory>

namespace pizzastream::money {

inline constexpr int32_t kScale = 2;                 // cents
inline constexpr int32_t kUnitPricePrecision = 8;    // decimal(8,2)
inline constexpr int32_t kTotalPricePrecision = 10;  // decimal(10,2)

// The largest amount in cents a decimal(precision, 2) holds: 10^precision - 1.
constexpr int64_t MaxCents(int32_t precision) {
  int64_t max = 1;
  for (int32_t i = 0; i < precision; ++i) max *= 10;
  return max - 1;
}
inline constexpr int64_t kMaxUnitCents = MaxCents(kUnitPricePrecision);
inline constexpr int64_t kMaxTotalCents = MaxCents(kTotalPricePrecision);

// Arrow types of the money columns (lake tables, warehouse loads).
inline std::shared_ptr<arrow::DataType> UnitPriceType() {
  return arrow::decimal128(kUnitPricePrecision, kScale);
}
inline std::shared_ptr<arrow::DataType> TotalPriceType() {
  return arrow::decimal128(kTotalPricePrecision, kScale);
}

constexpr bool FitsUnitPrice(int64_t cents) { return cents >= 0 && cents <= kMaxUnitCents; }
constexpr bool FitsTotalPrice(int64_t cents) { return cents >= 0 && cents <= kMaxTotalCents; }

// *out = cents * count; false (and *out unspecified) on overflow.
constexpr bool MultiplyCents(int64_t cents, int64_t count, int64_t* out) {
  return !__builtin_mul_overflow(cents, count, out);
}
// *sum += cents; false (and *sum unchanged) on overflow.
constexpr bool AddCents(int64_t cents, int64_t* sum) {
  int64_t result = 0;
  if (__builtin_add_overflow(*sum, cents, &result)) return false;
  *sum = result;
  return true;
}

}  // namespace pizzastream::money
