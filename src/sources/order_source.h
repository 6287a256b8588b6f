// Where order lines come from: a CSV replay (sources/csv_source.h) or the synthetic generator
// (sources/generator.h). Both yield batches of records in the source layout of
// docs/data-model.md, every field as text, exactly as a point-of-sale export has it.
#pragma once

#include <arrow/record_batch.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace pizzastream::sources {

// The source columns, in file order. order_channel is optional in files.
inline constexpr std::array<const char*, 13> kSourceColumns = {
    "pizza_id",          "order_id",   "pizza_name_id", "quantity",   "order_date",
    "order_time",        "unit_price", "total_price",   "pizza_size", "pizza_category",
    "pizza_ingredients", "pizza_name", "order_channel"};
inline constexpr int kRequiredColumns = 12;

// Positions in kSourceColumns (and in SourceSchema()).
namespace field {
enum SourceField : int {
  kPizzaId,
  kOrderId,
  kPizzaNameId,
  kQuantity,
  kOrderDate,
  kOrderTime,
  kUnitPrice,
  kTotalPrice,
  kPizzaSize,
  kPizzaCategory,
  kPizzaIngredients,
  kPizzaName,
  kOrderChannel
};
}  // namespace field

// A record the source could not split into fields (e.g. a CSV line with the wrong number of
// fields). It still travels to bronze, which quarantines it with `reason`.
struct MalformedRecord {
  int64_t sequence = 0;
  std::string raw;
  std::string reason;
};

// One batch from a source. `records` has the 13 kSourceColumns as nullable text (null: the field
// was absent): utf8, or a dictionary of utf8 with int32 indices for a field a source draws from a
// short list (the generator's menu names, sizes, categories, quantities and channels), so that
// nothing downstream hashes that text again. Read a field with lake/text_column.h. Record i has
// sequence first_sequence + i unless `sequences` is non-empty, which then gives each record's
// sequence. Sequences are unique, increase through the source, and are the same every time the same
// source is read: the transport uses them for exactly-once replay.
struct SourceBatch {
  std::shared_ptr<arrow::RecordBatch> records;
  int64_t first_sequence = 0;
  std::vector<int64_t> sequences;
  std::vector<MalformedRecord> malformed;  // sorted by sequence
};

class OrderSource {
 public:
  virtual ~OrderSource() = default;
  // Stable id of this source for exactly-once replay (e.g. "csv:/abs/path", "gen:seed=7").
  virtual std::string id() const = 0;
  // Fills `out` with the next batch; returns false at the end of a finite source.
  virtual Result<bool> Next(SourceBatch* out) = 0;
  // Skips records with sequence < `sequence` cheaply where the source can (resume after restart).
  virtual Status SkipTo(int64_t sequence) = 0;
  // How much of a finite source has been read, 0..1 (progress display); -1 for an endless
  // source or when unknown. Called on the thread that calls Next.
  virtual double Fraction() const { return -1; }
};

// The Arrow schema of SourceBatch::records with every field utf8 (a source may send some as
// dictionaries, see SourceBatch).
std::shared_ptr<arrow::Schema> SourceSchema();

}  // namespace pizzastream::sources
