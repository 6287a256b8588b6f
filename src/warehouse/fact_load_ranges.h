// Which fact rows each load added: table pizza_sales.fact_load_ranges holds, per load, the runs
// of consecutive order_item_ids that the load inserted into fact_order_item, written in the
// load's own transaction. Facts are insert-only (an order line never changes), every id is
// inserted once, and range_id grows in commit order (loads take turns), so
//   - the ranges are disjoint and together cover every fact row exactly once;
//   - a reader that has seen the ranges up to range_id R gets exactly the rows added since by
//     reading the ranges after R.
// That is how the dashboard's in-memory view (serve/sales_view.h) follows the warehouse without
// anything else being maintained in the load. A warehouse that had facts before this table
// existed gets one range covering all of them when it is created.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "warehouse/warehouse.h"

namespace pizzastream::warehouse {

// [first, last] order_item_ids.
using IdRun = std::pair<int64_t, int64_t>;

// The runs of consecutive values in `ids` (sorted and de-duplicated here).
std::vector<IdRun> ConsecutiveRuns(std::vector<int64_t> ids);

// SQLite: creates the table and, when it is new but facts exist, the range covering them.
std::string SqliteFactLoadRangesSql();
// PostgreSQL: the same (a schema migration).
std::string PostgresFactLoadRangesSql();

// A range as read back: rows with order_item_id in [first, last] were added by load range `id`.
struct FactLoadRange {
  int64_t id = 0;
  int64_t first = 0;
  int64_t last = 0;
};

// The ranges with range_id > `after`, in range_id order.
Result<std::vector<FactLoadRange>> FactLoadRangesAfter(Warehouse& wh, int64_t after);
// Fact rows in the warehouse, from the ranges (no fact-table scan).
Result<int64_t> LoadedFactRows(Warehouse& wh);

}  // namespace pizzastream::warehouse
