// Load: copies what is new in the gold tables into the warehouse. Each step reads the gold
// commits after the positions the warehouse recorded and hands them to Warehouse::Load, which
// applies rows and positions in one transaction: re-runs and crashes load nothing twice.
#pragma once

#include <memory>

#include "lake/lakehouse.h"
#include "stage/stage.h"
#include "warehouse/warehouse.h"

namespace pizzastream::warehouse {

struct LoadOptions {
  int64_t max_records = 250000;  // fact rows per step at most (whole commits)
};

class LoadStage final : public Stage {
 public:
  static Result<std::unique_ptr<LoadStage>> Open(std::shared_ptr<lake::Lakehouse> lake,
                                                 std::unique_ptr<Warehouse> warehouse,
                                                 LoadOptions options);
  std::string name() const override { return "load"; }
  Result<StepResult> Step() override;
  Result<int64_t> Lag() override;
  Warehouse& warehouse() { return *warehouse_; }

 private:
  LoadStage(std::shared_ptr<lake::Lakehouse> lake, std::unique_ptr<Warehouse> warehouse,
            LoadOptions options);
  std::shared_ptr<lake::Lakehouse> lake_;
  std::unique_ptr<Warehouse> warehouse_;
  LoadOptions options_;
  std::map<std::string, std::unique_ptr<lake::DeltaLog>> logs_;
};

// Pipeline row counts from the lake's Delta logs (conservation: received = rejected +
// duplicates + silver) plus fact rows from the warehouse.
Result<RowCounts> CountRows(const lake::Lakehouse& lake, int64_t warehouse_fact_rows);

}  // namespace pizzastream::warehouse
