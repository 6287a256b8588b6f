// The PostgreSQL warehouse (libpqxx): schema pizza_sales on a real server.
#pragma once

#include <memory>
#include <string>

#include "warehouse/warehouse.h"

namespace pizzastream::warehouse {

// `url`: postgresql://USER@HOST:PORT/DB; the password comes from the URL, PGPASSWORD or a
// passfile, never from a default.
Result<std::unique_ptr<Warehouse>> OpenPostgresWarehouse(const std::string& url);

}  // namespace pizzastream::warehouse
