// `pizzastream warehouse init`: creates or upgrades schema pizza_sales in the warehouse.
#include <iostream>

#include "cli/commands.h"

namespace pizzastream::cli {

void AddWarehouseCommand(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("warehouse", "Manage the SQL warehouse");
  cmd->require_subcommand(1);
  auto* init = cmd->add_subcommand("init", "Create or upgrade schema pizza_sales (idempotent)");
  AddCommonOptions(init, &global);
  init->callback([&global] {
    ExitIfError(global.Resolve());
    auto wh = ValueOrExit(warehouse::OpenWarehouse(global.WarehouseTarget()));
    ExitIfError(wh->Init());
    std::cerr << "warehouse: schema pizza_sales is ready (" << wh->dialect() << ")\n";
  });
}

}  // namespace pizzastream::cli
