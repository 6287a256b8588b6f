#include "serve/sales_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "serve/sales_rollup.h"
#include "warehouse/fact_load_ranges.h"

namespace pizzastream::serve {

namespace {

using warehouse::QueryResult;
using warehouse::SqlParam;

constexpr int64_t kPageRows = 65536;  // fact rows per query

constexpr const char* kLineColumns =
    "f.order_item_id, f.order_id, f.date_id, f.order_channel, f.time_id / 100, f.pizza_sk, "
    "CAST(ROUND(f.total_price * 100) AS BIGINT), f.quantity";

int64_t Int(const SqlParam& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

const std::string& Text(const SqlParam& v) {
  static const std::string kEmpty;
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : kEmpty;
}

}  // namespace

Status SalesView::ReadRange(warehouse::Warehouse& wh, int64_t first, int64_t last,
                            std::vector<SalesLine>* added) {
  // first..last, a page at a time by order_item_id, each row as the warehouse hands it over
  // (no result set of millions of values in between).
  const std::string sql = fmt::format(
      "SELECT {} FROM pizza_sales.fact_order_item f WHERE f.order_item_id "
      "BETWEEN $1 AND $2 ORDER BY f.order_item_id LIMIT {}",
      kLineColumns, kPageRows);
  auto add = [&](const std::vector<SqlParam>& row) -> Status {
    const int64_t hour = Int(row[4]);
    if (hour < 0 || hour > 255) return Status::Invalid("fact row with time_id ", hour * 100);
    const auto date_id = static_cast<int32_t>(Int(row[2]));
    auto [day, new_day] = day_index_.try_emplace(date_id, static_cast<uint32_t>(date_ids_.size()));
    if (new_day) date_ids_.push_back(date_id);
    auto channel = channel_index_.find(Text(row[3]));
    if (channel == channel_index_.end()) {
      if (channels_.size() >= UINT16_MAX) return Status::Invalid("too many order channels");
      channel = channel_index_.emplace(Text(row[3]), static_cast<uint16_t>(channels_.size())).first;
      channels_.push_back(Text(row[3]));
    }
    const int64_t sk = Int(row[5]);
    auto pizza = pizza_index_.find(sk);
    if (pizza == pizza_index_.end()) {
      if (pizza_sks_.size() >= UINT16_MAX) return Status::Invalid("too many pizzas");
      pizza = pizza_index_.emplace(sk, static_cast<uint16_t>(pizza_sks_.size())).first;
      pizza_sks_.push_back(sk);
    }
    added->push_back({Int(row[1]), Int(row[6]), static_cast<int32_t>(Int(row[7])), day->second,
                      pizza->second, channel->second, static_cast<uint8_t>(hour)});
    return Status::OK();
  };
  for (int64_t from = first; from <= last;) {
    if (cancelled_) return Status::Cancelled("the dashboard is stopping");
    int64_t rows = 0, last_id = from;
    ARROW_RETURN_NOT_OK(wh.QueryEach(sql, {from, last}, [&](const std::vector<SqlParam>& row) {
      ++rows;
      last_id = Int(row[0]);
      return add(row);
    }));
    if (rows < kPageRows) break;
    from = last_id + 1;
  }
  return Status::OK();
}

Status SalesView::ReadPizzas(warehouse::Warehouse& wh) {
  ARROW_ASSIGN_OR_RAISE(
      QueryResult rows,
      wh.Query("SELECT pizza_sk, COALESCE(pizza_category, ''), COALESCE(pizza_size, ''), "
               "COALESCE(pizza_name, '') FROM pizza_sales.dim_pizza",
               {}));
  dim_pizza_.clear();
  for (const auto& row : rows.rows) {
    dim_pizza_[Int(row[0])] = {Text(row[1]), Text(row[2]), Text(row[3])};
  }
  return Status::OK();
}

Result<std::string> SalesView::Refresh(warehouse::Warehouse& wh) {
  std::lock_guard refresh(refresh_mu_);
  if (cancelled_) return Status::Cancelled("the dashboard is stopping");
  ARROW_ASSIGN_OR_RAISE(auto positions, wh.Positions());
  std::string positions_text;
  for (const auto& [table, position] : positions) positions_text += fmt::format("{}.", position);
  ARROW_ASSIGN_OR_RAISE(auto ranges, warehouse::FactLoadRangesAfter(wh, last_range_));
  const bool moved = positions_text != positions_ || version_.empty();
  if (!moved && ranges.empty()) return version_;

  std::vector<SalesLine> added;
  const size_t known_pizzas = pizza_sks_.size();
  for (const auto& range : ranges) {
    ARROW_RETURN_NOT_OK(ReadRange(wh, range.first, range.last, &added));
  }
  // After the facts: their dimension rows were committed with them or before.
  if (moved || pizza_sks_.size() > known_pizzas) ARROW_RETURN_NOT_OK(ReadPizzas(wh));
  std::vector<PizzaAttributes> pizzas;
  pizzas.reserve(pizza_sks_.size());
  for (int64_t sk : pizza_sks_) {
    auto it = dim_pizza_.find(sk);
    pizzas.push_back(it == dim_pizza_.end() ? PizzaAttributes{} : it->second);
  }
  std::sort(added.begin(), added.end());

  std::unique_lock lock(data_mu_);
  auto& lines = data_.lines;
  const auto old_end = static_cast<std::ptrdiff_t>(lines.size());
  const bool in_order = lines.empty() || added.empty() || !(added.front() < lines.back());
  lines.insert(lines.end(), added.begin(), added.end());
  if (!in_order) std::inplace_merge(lines.begin(), lines.begin() + old_end, lines.end());
  data_.date_ids = date_ids_;
  data_.channels = channels_;
  data_.pizzas = std::move(pizzas);
  data_.rollups = nullptr;
  lock.unlock();
  // Only this thread writes data_ (refresh_mu_): reading it unlocked while readers share it is
  // safe.
  auto rollups = BuildRollups(data_);
  lock.lock();
  data_.rollups = std::move(rollups);
  lock.unlock();

  if (!ranges.empty()) last_range_ = ranges.back().id;
  positions_ = std::move(positions_text);
  version_ = fmt::format("{}r{}", positions_, last_range_);
  return version_;
}

void SalesView::Read(const std::function<void(const SalesData&)>& read) const {
  std::shared_lock lock(data_mu_);
  read(data_);
}

int64_t SalesView::lines() const {
  std::shared_lock lock(data_mu_);
  return static_cast<int64_t>(data_.lines.size());
}

}  // namespace pizzastream::serve
