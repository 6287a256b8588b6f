// Test support: gold chunks built from plain order lines, with the gold schemas and the
// dimensions derived as the gold stage derives them (gold/dimensions.h), plus the key figures
// those lines must produce, computed here in integers, independently of any warehouse.
#pragma once

#include <arrow/record_batch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "warehouse/warehouse.h"

namespace pizzastream::testing {

struct MenuItem {
  std::string pizza_name_id;  // e.g. "hawaiian_m"
  std::string size;           // "M"
  std::string name;           // "The Hawaiian Pizza"
  std::string category;       // "Classic"
  std::string ingredients;
  int64_t price_cents = 0;
};

struct OrderLine {
  int64_t order_item_id = 0;
  int64_t order_id = 0;
  EpochDay day = 0;
  int32_t time_id = 0;  // HHmm
  size_t menu_index = 0;
  int32_t quantity = 1;
  std::string channel = "web";
};

// A small menu in the public data's style.
std::vector<MenuItem> SampleMenu();
// `count` lines with order_item_id first_item_id.. and about 2.3 lines per order, spread over
// days from 2015-01-01, hours 10..23, every menu item and the four channels. Deterministic.
std::vector<OrderLine> SyntheticLines(int64_t first_item_id, int64_t count, size_t menu_size);

std::shared_ptr<arrow::RecordBatch> DimDateBatch(const std::vector<OrderLine>& lines);
std::shared_ptr<arrow::RecordBatch> DimTimeBatch(const std::vector<OrderLine>& lines);
std::shared_ptr<arrow::RecordBatch> DimPizzaBatch(const std::vector<MenuItem>& menu);
std::shared_ptr<arrow::RecordBatch> FactBatch(const std::vector<OrderLine>& lines,
                                              const std::vector<MenuItem>& menu);

// The four gold tables for `lines` (dimension rows for what they use, the whole menu).
warehouse::GoldChunk ChunkOf(const std::vector<OrderLine>& lines, const std::vector<MenuItem>& menu,
                             warehouse::LoadPositions positions = {});

// `chunk` with its facts moved into a scan (GoldChunk::scans, as the load stage reads them) that
// hands them over `rows` at a time and, when `fail_after` >= 0, fails with an IOError ("disk
// went away") after handing over that many slices.
warehouse::GoldChunk WithScannedFacts(warehouse::GoldChunk chunk, int64_t rows,
                                      int fail_after = -1);

// The key figures of `lines` (top pizza: largest revenue, ties to the smaller name).
warehouse::KpiFigures ExpectedKpi(const std::vector<OrderLine>& lines,
                                  const std::vector<MenuItem>& menu);

}  // namespace pizzastream::testing
