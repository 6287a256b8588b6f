// The embedded warehouse: a SQLite file ATTACHed as schema `pizza_sales`, so SQL names the
// tables pizza_sales.fact_order_item etc. as on PostgreSQL. SQLite has no decimal type: money
// columns hold the 2-decimal value as REAL and every sum is taken in integer cents
// (CAST(ROUND(x * 100) AS INTEGER)), which is exact. WAL mode: readers (the dashboard) never
// block the loader.
#pragma once

#include <memory>
#include <string>

#include "warehouse/warehouse.h"

namespace pizzastream::warehouse {

Result<std::unique_ptr<Warehouse>> OpenSqliteWarehouse(const std::string& path);

}  // namespace pizzastream::warehouse
