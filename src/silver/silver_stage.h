// Silver: turns bronze order lines into typed, validated, de-duplicated rows.
// A record breaking a rule (silver/rules.h) goes to silver/quarantine with its raw fields and
// the rule's name; a record whose order-line id was already accepted, in this or any earlier
// run, goes to silver/duplicates (first wins). All outputs of a step are committed with the
// bronze version they cover (lake/incremental_input.h), so re-runs and crashes are exactly-once.
#pragma once

#include <memory>
#include <string_view>
#include <unordered_set>

#include "core/id_ranges.h"
#include "lake/incremental_input.h"
#include "lake/streamed_file.h"
#include "silver/field_parsers.h"
#include "stage/stage.h"

namespace pizzastream::silver {

struct SilverBuilders;  // one step's output columns (silver_stage.cc)

struct SilverOptions {
  DateOrder date_order = DateOrder::kDayFirst;
  int64_t max_records = 250000;  // bronze records per step at most (whole commits)
};

class SilverStage final : public Stage {
 public:
  static Result<std::unique_ptr<SilverStage>> Open(std::shared_ptr<lake::Lakehouse> lake,
                                                   SilverOptions options);
  std::string name() const override { return "silver"; }
  Result<StepResult> Step() override;
  Result<int64_t> Lag() override;

 private:
  SilverStage(std::shared_ptr<lake::Lakehouse> lake, SilverOptions options);
  // Rebuilds the accepted-id set (the saved ids + the silver_cleaned data added after them,
  // silver/accepted_ids_state.h) and the catalog set from the committed silver tables.
  Status LoadState();
  // After this stage's step committed `committed_version` of silver_cleaned (-1: none): the
  // ids cover the table's version now (data other writers appended is read); saved every
  // kSaveIdsEvery versions.
  Status AfterCommit(int64_t committed_version);
  // Adds the order-line ids of `files`, except those of `skip_version`.
  Status AddIds(const std::vector<lake::AddFile>& files, int64_t skip_version);
  static constexpr int64_t kSaveIdsEvery = 10;

  // One step, in the order it runs: choose the bronze range, sort each of its lines into
  // accepted / quarantined / duplicate (and new catalog entries), writing the accepted ones to
  // the three order-line files a chunk at a time, finish the other tables, and commit the six
  // with the range (the primary, silver_cleaned, last).
  Result<StepResult> DoStep();
  Result<lake::InputRange> NextInput();
  Status ClassifyBatch(const arrow::RecordBatch& batch, SilverBuilders* builders);
  // The order-line tables of one chunk of accepted lines, and the step's other tables.
  struct LineTables {
    std::shared_ptr<arrow::RecordBatch> cleaned, items, timestamps;
  };
  struct OtherTables {
    std::shared_ptr<arrow::RecordBatch> catalog, quarantined, duplicates;
  };
  // The step's order-line files, written a chunk at a time, and silver_cleaned's chunks kept
  // for gold in this process (lake/written_batches.h).
  struct LineFiles {
    lake::StreamedFile cleaned, items, timestamps;
    bool write_cleaned = true, write_items = true, write_timestamps = true;
    lake::HandOffBatches handed;
    int64_t accepted = 0;
  };
  Result<LineTables> FinishLines(SilverBuilders& builders);
  Result<OtherTables> FinishOthers(SilverBuilders& builders);
  // Finishes the accepted lines the builders hold and appends them to `files`.
  Status WriteLines(SilverBuilders& builders, LineFiles* files);
  Result<int64_t> CommitTables(const lake::InputRange& range, LineFiles& lines,
                               OtherTables& others);

  std::shared_ptr<lake::Lakehouse> lake_;
  SilverOptions options_;
  std::unique_ptr<lake::DeltaLog> bronze_, cleaned_, order_items_, catalog_, timestamp_,
      quarantine_, duplicates_;
  IdRanges accepted_ids_;  // every order-line id ever accepted
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, TextHash, std::equal_to<>> catalog_ids_;
  bool state_valid_ = false;
  // The silver position the sets stand for: another silver process that committed since left
  // ids in the lake that are not in them, so they are read again.
  int64_t state_position_ = -1;
  int64_t ids_version_ = -1;    // silver_cleaned version accepted_ids_ covers
  int64_t saved_version_ = -1;  // version of the saved ids
};

// The txn appId silver uses for its position in bronze/order_lines.
inline constexpr const char* kSilverAppId = "pizzastream.silver.bronze_order_lines";

}  // namespace pizzastream::silver
