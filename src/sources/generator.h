// The synthetic order stream: realistic point-of-sale order lines on the real menu (menu.h),
// with orders arriving by a Poisson process over a simulated clock that follows the shop's hourly
// and weekday profile. The stream is a pure function of GeneratorOptions (batch_size and limit
// aside): the same seed gives the same records, in the same sequence, every time.
//
// On request it breaks some records on purpose: a dirty record breaks exactly one silver rule
// (issue 2) and carries a fresh order-line id; a duplicate is an exact re-send of a clean line
// emitted earlier. GeneratorTotals then gives the exact figures the pipeline must end with.
//
// Not thread-safe: one thread drives a generator. It does not sleep; pacing is the producer's.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "sources/menu.h"
#include "sources/order_source.h"

namespace pizzastream::sources {

// Weights of the order_channel values; they need not sum to 1. The default guesses a 2015
// pizzeria: most orders over the counter, then web, phone and a young app.
struct ChannelMix {
  double in_store = 0.45;
  double web = 0.25;
  double phone = 0.20;
  double app = 0.10;
};

// Weights of the order_date spellings, chosen per order. `pos_export` copies the real file's
// habit (d/M/yyyy when the day is <= 12, else dd-MM-yyyy); the others always use one spelling:
// d/M/yyyy, dd-MM-yyyy, d.M.yyyy, yyyy-MM-dd. All are day-first.
struct DateFormatMix {
  double pos_export = 0.90;
  double slash = 0;
  double dash = 0;
  double dot = 0.05;
  double iso = 0.05;
};

struct GeneratorOptions {
  uint64_t seed = 1;
  // The simulated clock starts at midnight of this day.
  std::chrono::year_month_day start_date{std::chrono::year{2015}, std::chrono::January,
                                         std::chrono::day{1}};
  // Simulated seconds per wall-clock second, for a producer that wants to pace by the simulated
  // clock (see OrderGenerator::due_wall_seconds); unset: no relation to wall time.
  std::optional<double> speed;
  // Total records (clean + dirty + duplicates) before the stream ends; unset: endless.
  std::optional<int64_t> limit;
  int32_t batch_size = 4096;
  // Mean orders per day; the real shop took 59.64. Raise it to cover fewer simulated days.
  double orders_per_day = 59.64;
  ChannelMix channels;
  DateFormatMix date_formats;
  // Fractions of records deliberately broken (one silver rule each) and re-sent. Sum <= 1.
  double dirty_rate = 0;
  double duplicate_rate = 0;
};

// How a dirty record breaks its one silver rule (silver/rules.h, in the same order). Each kind
// has a few spellings (variants). When a broken field makes another check impossible (an
// unreadable quantity, say, and total = unit x quantity), only the broken field's rule applies.
enum class DirtyKind : uint8_t {
  kBadLineId,         // pizza_id null, "", "0" or negative
  kBadOrderId,        // order_id null, "", "0" or negative
  kBlankPizzaNameId,  // pizza_name_id ""
  kBadQuantity,       // quantity "0" (with total 0.00), "abc", "" or null
  kBadUnitPrice,      // unit_price with 3 decimals, "n/a" or negative
  kBadTotalPrice,     // total_price with 3 decimals, "n/a" or negative
  kBadDate,           // Feb 30/31 or Apr 31 in any spelling, or "not a date"
  kBadTime,           // hour 25, minute 75, or "noon"
  kUnknownSize,       // pizza_size "XXXL", "XS" or "Q"
  kUnknownChannel,    // order_channel "fax" or "kiosk"
  kTotalMismatch,     // total_price = unit x quantity + 1.00, - 0.01 or x 10
};
inline constexpr int kDirtyKindCount = 11;
std::string_view DirtyKindName(DirtyKind kind);

// Exact figures of what the generator emitted so far (every record with sequence <
// next_sequence(), skipped ones included). The business figures count clean lines only: the
// lines silver keeps, each a first sighting of its order-line id.
struct GeneratorTotals {
  int64_t records = 0;  // = clean_lines + dirty + duplicates
  int64_t clean_lines = 0;
  int64_t dirty = 0;
  int64_t duplicates = 0;
  std::array<int64_t, kDirtyKindCount> dirty_by_kind{};
  int64_t revenue_cents = 0;                                     // sum of unit price x quantity
  int64_t orders = 0;                                            // distinct order_id
  int64_t pizzas = 0;                                            // sum of quantity
  int64_t order_dates = 0;                                       // distinct order dates
  std::array<int64_t, kPizzaTypeCount> revenue_cents_by_type{};  // indexed like PizzaTypes()

  // The pizza_name with the largest revenue (the earlier in PizzaTypes() on a tie), "" if none.
  std::string_view TopPizzaByRevenue() const;
};

class OrderGenerator final : public OrderSource {
 public:
  // Fails with Invalid on options out of range (negative weights, rates outside [0,1], ...).
  static Result<std::unique_ptr<OrderGenerator>> Make(const GeneratorOptions& options);
  ~OrderGenerator() override;
  OrderGenerator(const OrderGenerator&) = delete;
  OrderGenerator& operator=(const OrderGenerator&) = delete;

  // "gen:" + every option that shapes the stream, e.g. "gen:seed=7;start=2015-01-01;...".
  std::string id() const override;
  // Up to batch_size records, sequences first_sequence.. consecutive from 0; false once `limit`
  // records were emitted. Fails if the simulated clock passes the year 9999.
  Result<bool> Next(SourceBatch* out) override;
  // Generates without building batches up to `sequence` (backwards: restarts from the seed).
  // Totals include the skipped records.
  Status SkipTo(int64_t sequence) override;
  // next_sequence() / limit; -1 without a limit.
  double Fraction() const override;

  const GeneratorTotals& totals() const;
  int64_t next_sequence() const;
  // Simulated date and time of the latest order drawn: the last record of the last batch (a
  // duplicate aside, which repeats an older time). Before any record: the start of the clock.
  std::chrono::sys_seconds simulated_time() const;
  // With options.speed: wall-clock seconds after the start at which simulated_time() is due.
  std::optional<double> due_wall_seconds() const;

 private:
  struct State;
  explicit OrderGenerator(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pizzastream::sources
