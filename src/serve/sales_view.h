// The dashboard's columnar in-memory copy of the warehouse's fact lines. Each line keeps only
// what the figures need (order, day, channel, hour, pizza, cents, quantity), dictionary-coded
// in 32 bytes, and the lines are kept sorted by (order_id, day, channel, hour): the lines of one
// order at one moment are adjacent, so a single pass counts distinct orders per group exactly
// (serve/sales_queries.h). Answering from memory, the dashboard needs no aggregate tables, and
// the warehouse load only inserts facts, whatever the distribution of orders over days.
//
// It follows the warehouse incrementally: Refresh reads the fact rows of the load ranges it has
// not seen yet (warehouse/fact_load_ranges.h: facts are insert-only, each range is new rows), and
// dim_pizza whenever the load positions moved (a corrected pizza moves its lines to its new
// category, size or name at once, as the attributes are looked up at query time).
//
// Thread-safe: any number of readers (Read) and one refresh at a time; a refresh blocks readers
// only while it merges what it read, then rebuilds the per-day rollups (serve/sales_rollup.h)
// from the merged lines and installs them.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "warehouse/warehouse.h"

namespace pizzastream::serve {

struct SalesLine {
  int64_t order_id = 0;
  int64_t cents = 0;     // total_price in cents
  int32_t quantity = 0;  // pizzas
  uint32_t day = 0;      // index into SalesData::date_ids
  uint16_t pizza = 0;    // index into SalesData::pizzas
  uint16_t channel = 0;  // index into SalesData::channels
  uint8_t hour = 0;

  // The view's order; lines equal in (order_id, day, channel) are adjacent.
  bool operator<(const SalesLine& o) const {
    if (order_id != o.order_id) return order_id < o.order_id;
    if (day != o.day) return day < o.day;
    if (channel != o.channel) return channel < o.channel;
    return hour < o.hour;
  }
};

// A pizza's attributes as dim_pizza says now ('' for NULL or a pizza without a dim_pizza row).
struct PizzaAttributes {
  std::string category, size, name;
};

struct SalesRollups;  // serve/sales_rollup.h

struct SalesData {
  std::vector<SalesLine> lines;         // sorted
  std::vector<int32_t> date_ids;        // yyyymmdd of each day index
  std::vector<std::string> channels;    // order_channel of each channel index
  std::vector<PizzaAttributes> pizzas;  // of each pizza index
  // Per-day figures of exactly these lines and pizzas; null while a refresh rebuilds them
  // (queries then scan the lines).
  std::shared_ptr<const SalesRollups> rollups;
};

class SalesView {
 public:
  SalesView() = default;
  SalesView(const SalesView&) = delete;
  SalesView& operator=(const SalesView&) = delete;

  // Brings the view up to date with `wh` and returns its data version: it changes whenever the
  // view's content may have (new fact rows, moved load positions).
  // Cancelled once Cancel() was called (checked between pages of rows).
  Result<std::string> Refresh(warehouse::Warehouse& wh);
  // Makes a refresh under way, and every later one until Cancel(false), stop with
  // Status::Cancelled (at shutdown: a first read of millions of rows takes seconds). Any thread.
  void Cancel(bool cancelled = true) { cancelled_ = cancelled; }
  // Runs `read` on the current data, under a shared lock.
  void Read(const std::function<void(const SalesData&)>& read) const;
  int64_t lines() const;

 private:
  // Reads the facts of order_item_ids [first, last] into added (dictionaries grow here).
  Status ReadRange(warehouse::Warehouse& wh, int64_t first, int64_t last,
                   std::vector<SalesLine>* added);
  Status ReadPizzas(warehouse::Warehouse& wh);

  std::atomic<bool> cancelled_ = false;
  std::mutex refresh_mu_;  // one refresh at a time; guards everything below but data_
  int64_t last_range_ = 0;
  std::string positions_;  // as last seen, "" before the first refresh
  std::string version_;
  // The dictionaries as the refresher grows them; copied into data_ when merged.
  std::unordered_map<int32_t, uint32_t> day_index_;
  std::unordered_map<std::string, uint16_t> channel_index_;
  std::unordered_map<int64_t, uint16_t> pizza_index_;  // pizza_sk -> index
  std::vector<int32_t> date_ids_;
  std::vector<std::string> channels_;
  std::vector<int64_t> pizza_sks_;
  std::unordered_map<int64_t, PizzaAttributes> dim_pizza_;

  mutable std::shared_mutex data_mu_;
  SalesData data_;
};

}  // namespace pizzastream::serve
