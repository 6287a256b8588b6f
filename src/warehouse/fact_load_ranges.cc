#include "warehouse/fact_load_ranges.h"

#include <algorithm>
#include <charconv>

namespace pizzastream::warehouse {

namespace {
int64_t Int(const SqlParam& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  int64_t out = 0;
  if (const auto* s = std::get_if<std::string>(&v))
    std::from_chars(s->data(), s->data() + s->size(), out);
  return out;
}
}  // namespace

std::vector<IdRun> ConsecutiveRuns(std::vector<int64_t> ids) {
  // A load's keys usually come in order already: checking costs a pass, sorting n log n.
  if (!std::is_sorted(ids.begin(), ids.end())) std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<IdRun> runs;
  for (int64_t id : ids) {
    if (!runs.empty() && runs.back().second != INT64_MAX && runs.back().second + 1 == id) {
      runs.back().second = id;
    } else {
      runs.emplace_back(id, id);
    }
  }
  return runs;
}

std::string SqliteFactLoadRangesSql() {
  return R"sql(
CREATE TABLE IF NOT EXISTS pizza_sales.fact_load_ranges (
  range_id INTEGER PRIMARY KEY, first_item_id INTEGER NOT NULL, last_item_id INTEGER NOT NULL);
INSERT INTO pizza_sales.fact_load_ranges (first_item_id, last_item_id)
  SELECT MIN(order_item_id), MAX(order_item_id) FROM pizza_sales.fact_order_item
  WHERE NOT EXISTS (SELECT 1 FROM pizza_sales.fact_load_ranges) HAVING COUNT(*) > 0;
)sql";
}

std::string PostgresFactLoadRangesSql() {
  return R"sql(
CREATE TABLE pizza_sales.fact_load_ranges (
  range_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  first_item_id bigint NOT NULL,
  last_item_id  bigint NOT NULL
);
INSERT INTO pizza_sales.fact_load_ranges (first_item_id, last_item_id)
  SELECT min(order_item_id), max(order_item_id) FROM pizza_sales.fact_order_item HAVING count(*) > 0;
)sql";
}

Result<std::vector<FactLoadRange>> FactLoadRangesAfter(Warehouse& wh, int64_t after) {
  ARROW_ASSIGN_OR_RAISE(
      QueryResult r,
      wh.Query("SELECT range_id, first_item_id, last_item_id FROM pizza_sales.fact_load_ranges "
               "WHERE range_id > $1 ORDER BY range_id",
               {after}));
  std::vector<FactLoadRange> out;
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) out.push_back({Int(row[0]), Int(row[1]), Int(row[2])});
  return out;
}

Result<int64_t> LoadedFactRows(Warehouse& wh) {
  ARROW_ASSIGN_OR_RAISE(
      QueryResult r,
      wh.Query("SELECT CAST(COALESCE(SUM(last_item_id - first_item_id + 1), 0) AS BIGINT) "
               "FROM pizza_sales.fact_load_ranges",
               {}));
  return r.rows.empty() ? 0 : Int(r.rows[0][0]);
}

}  // namespace pizzastream::warehouse
