// The silver rules: what makes a received order line a valid, typed order line.
// Validate() applies them in a fixed order and names the first one a record breaks; that
// name is what the quarantine shows next to the raw record.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/money.h"
#include "silver/field_parsers.h"
#include "sources/order_source.h"

namespace pizzastream::silver {

enum class Rule {
  kOk = 0,
  kOrderItemId,      // order-line id (pizza_id) missing or not a positive integer
  kOrderId,          // order_id missing or not a positive integer
  kPizzaNameId,      // pizza_name_id blank
  kQuantity,         // quantity not an integer >= 1
  kUnitPrice,        // not a decimal >= 0 with at most 2 decimals
  kTotalPrice,       // not a decimal >= 0 with at most 2 decimals
  kOrderDate,        // not parseable or not a real calendar day
  kOrderTime,        // not parseable or not a real time of day
  kPizzaSize,        // not one of S, M, L, XL, XXL
  kOrderChannel,     // present but not one of in_store, phone, web, app
  kTotalMismatch,    // total_price != unit_price x quantity (exact, overflow-checked)
  kUnitPriceRange,   // a decimal, but more than decimal(8,2) holds (money::kMaxUnitCents)
  kTotalPriceRange,  // a decimal, but more than decimal(10,2) holds (money::kMaxTotalCents)
};

// The rule's name as stored in the quarantine ("invalid_quantity", ...).
std::string_view RuleName(Rule rule);

// The raw text fields of one record, in sources::kSourceColumns order; nullopt = absent.
using RawFields = std::array<std::optional<std::string_view>, sources::kSourceColumns.size()>;

// A valid line. Text views point into the raw fields (trimmed); size is upper case.
struct CleanLine {
  int64_t order_item_id = 0;
  int64_t order_id = 0;
  int32_t quantity = 0;
  int64_t unit_cents = 0;
  int64_t total_cents = 0;
  EpochDay order_date = 0;
  int32_t order_seconds = 0;  // seconds since midnight
  std::string_view pizza_name_id, pizza_size, pizza_category, pizza_ingredients, pizza_name;
  std::string_view order_channel;  // in_store, phone, web, app or unknown
};

Rule Validate(const RawFields& raw, DateOrder date_order, CleanLine* out);

}  // namespace pizzastream::silver
