// `pizzastream kpi`: the key figures from the warehouse, and the row counts of the pipeline.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "warehouse/load_stage.h"

namespace pizzastream::cli {

void AddKpiCommand(CLI::App& app, GlobalOptions& global) {
  auto* cmd =
      app.add_subcommand("kpi", "Print the key figures, computed with SQL in the warehouse");
  AddCommonOptions(cmd, &global);
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "One JSON object (money and ratios rounded to 2 decimals)");
  cmd->callback([&global, json] {
    ExitIfError(global.Resolve());
    auto wh = ValueOrExit(warehouse::OpenWarehouse(global.WarehouseTarget()));
    ExitIfError(wh->Init());
    const auto k = ValueOrExit(wh->Kpi());
    auto lake = ValueOrExit(global.OpenLake());
    const auto rows = ValueOrExit(warehouse::CountRows(*lake, k.fact_rows));
    if (*json) {
      std::cout << warehouse::KpiJson(k, rows) << std::endl;
      return;
    }
    const auto d = warehouse::RenderDecimals(k);
    std::cout << fmt::format(
        "total revenue        {}\ntotal orders         {}\npizzas sold          {}\n"
        "avg order value      {}\npizzas per order     {}\norders per day       {}\n"
        "top pizza by revenue {}\n"
        "rows: received {} = rejected {} + duplicates {} + silver {}; fact {}\n",
        d.revenue, k.orders, k.pizzas, d.avg_order_value, d.avg_pizzas_per_order,
        d.avg_orders_per_day, k.top_pizza, rows.received, rows.rejected, rows.duplicates,
        rows.silver, rows.fact);
  });
}

}  // namespace pizzastream::cli
