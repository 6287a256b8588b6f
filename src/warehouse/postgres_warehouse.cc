// Placeholder until the PostgreSQL warehouse lands (issue 4).
#include "warehouse/postgres_warehouse.h"

namespace pizzastream::warehouse {

Result<std::unique_ptr<Warehouse>> OpenPostgresWarehouse(const std::string&) {
  return Status::NotImplemented("the PostgreSQL warehouse is not built yet");
}

}  // namespace pizzastream::warehouse
