// The silver rules: what makes a received order line a valid, typed order line.
// Validate() applies them in a fixed order and names the first one a record breaks; that
// name is what the quarantine shows next to the raw record.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/money.h"
#include "lake/text_address_cache.h"
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

// What Validate parsed from the texts of one input batch, found again by the address of a
// text's bytes (lake/text_address_cache.h): the rows a reader took from one dictionary entry
// (a day's date, a menu price, a quantity) are parsed once per batch, not once per row. Only
// those fields: ids and times hardly repeat. A memo lives no longer than the batch whose texts
// it remembers (a freed buffer's address can come back holding other text), and serves one
// date order.
struct FieldMemo {
  template <typename T>
  struct Parsed {
    bool ok = false;
    T value{};
  };
  lake::TextAddressCache<Parsed<int64_t>> quantities, cents;  // cents: unit and total prices
  lake::TextAddressCache<Parsed<EpochDay>> dates;
};

// Applies the rules to `raw`; kOk fills `out`. With `memo`, texts met before in the batch are
// not parsed again (the same rule is broken, the same values come out).
Rule Validate(const RawFields& raw, DateOrder date_order, CleanLine* out,
              FieldMemo* memo = nullptr);

}  // namespace pizzastream::silver
