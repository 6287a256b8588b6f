// Gold: shapes silver_cleaned into the star schema: dim_date, dim_time, dim_pizza (a row per
// key the first time it is seen) and fact_order_item (a row per accepted order line).
// Dimensions are committed before the fact table, so a reader that sees a fact row also finds
// its dimension rows; every table records the silver version it covers (exactly-once).
#pragma once

#include <memory>
#include <string>
#include <unordered_set>

#include "core/id_ranges.h"
#include "gold/dimensions.h"
#include "lake/incremental_input.h"
#include "stage/stage.h"

namespace pizzastream::gold {

struct GoldBuilders;  // one step's output rows (gold_stage.cc)

struct GoldOptions {
  int64_t max_records = 250000;  // silver rows per step at most (whole commits)
};

class GoldStage final : public Stage {
 public:
  static Result<std::unique_ptr<GoldStage>> Open(std::shared_ptr<lake::Lakehouse> lake,
                                                 GoldOptions options);
  std::string name() const override { return "gold"; }
  Result<StepResult> Step() override;
  Result<int64_t> Lag() override;

 private:
  GoldStage(std::shared_ptr<lake::Lakehouse> lake, GoldOptions options);
  Status LoadKeys();
  // One step, in the order it runs: choose the silver range, shape each batch into fact rows
  // and the dimension rows of keys seen first, commit the dimensions then the facts.
  Result<StepResult> DoStep();
  Result<lake::InputRange> NextInput();
  Status ShapeBatch(const arrow::RecordBatch& batch, GoldBuilders* builders);
  Status CommitRows(const lake::InputRange& range, GoldBuilders& builders);

  std::shared_ptr<lake::Lakehouse> lake_;
  GoldOptions options_;
  std::unique_ptr<lake::DeltaLog> silver_, dim_date_, dim_time_, dim_pizza_, fact_;
  // Dimension keys already written. Dates as ranges of date_id (yyyymmdd): a stream's days come
  // in order, so this stays a few ranges a year where a hash set grew by a node a day (~15 MB
  // over 50M generated lines: 360,000 days of one shop). Times of day are at most 1,440.
  IdRanges date_keys_;
  std::unordered_set<int32_t> time_keys_;
  PizzaKeys pizza_keys_;
  bool keys_valid_ = false;
};

inline constexpr const char* kGoldAppId = "pizzastream.gold.silver_cleaned";

}  // namespace pizzastream::gold
