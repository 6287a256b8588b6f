#include "warehouse/postgres_warehouse.h"
#include "warehouse/sqlite_warehouse.h"
#include "warehouse/warehouse.h"

namespace pizzastream::warehouse {

Result<std::unique_ptr<Warehouse>> OpenWarehouse(const std::string& target) {
  if (target.starts_with("postgresql://") || target.starts_with("postgres://")) {
    return OpenPostgresWarehouse(target);
  }
  std::string path = target;
  if (path.starts_with("sqlite://")) path = path.substr(9);
  if (path.empty()) return Status::Invalid("empty warehouse path");
  return OpenSqliteWarehouse(path);
}

}  // namespace pizzastream::warehouse
