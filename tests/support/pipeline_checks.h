// Test support for end-to-end pipeline tests: generated input with known totals, and the check
// that `kpi --json` reports exactly those totals.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace pizzastream::testing {

// Runs `pizzastream generate` for `count` records (some dirty, some duplicated) into `csv` and
// returns the generator's exact totals (written to `totals_path`).
nlohmann::json GenerateOrders(const std::string& csv, const std::string& totals_path, int64_t count,
                              double dirty_rate, double duplicate_rate, int seed);

// The `kpi --json` object, with its text kept: money must be printed with 2 decimals, which a
// JSON parser would not preserve.
struct KpiOutput {
  nlohmann::json figures;
  std::string text;
  const nlohmann::json& operator[](const char* key) const { return figures[key]; }
  bool operator==(const KpiOutput& other) const { return text == other.text; }
  // True if the text holds "key":value exactly.
  bool Has(const std::string& key, const std::string& value) const;
};
KpiOutput ParseKpi(const std::string& text);
// `pizzastream kpi --data-dir DATA --json`, expected to succeed.
KpiOutput RunKpi(const std::string& data_dir);

// "123.45" for 12345 cents.
std::string Money(int64_t cents);

// The figures the pipeline must report for what the generator says it emitted, and
// conservation: received = rejected + duplicates + silver, fact = silver.
void ExpectExactKpi(const KpiOutput& kpi, const nlohmann::json& totals);

}  // namespace pizzastream::testing
