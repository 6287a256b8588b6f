#include "silver/rules.h"

#include <utility>

namespace pizzastream::silver {

namespace {

namespace f = sources::field;

std::string_view Text(const RawFields& raw, int col) {
  return raw[col] ? TrimBlanks(*raw[col]) : std::string_view();
}

bool PositiveWhole(const RawFields& raw, int col, int64_t* out) {
  return raw[col] && ParseWholeNumber(*raw[col], out) && *out >= 1;
}

// parse(text, &value), or what it gave for these very bytes before (`cache` may be null).
template <typename T, typename Parse>
bool ParseOnce(lake::TextAddressCache<FieldMemo::Parsed<T>>* cache, std::string_view text,
               Parse parse, T* out) {
  if (cache != nullptr) {
    if (const auto* seen = cache->Find(text)) {
      *out = seen->value;
      return seen->ok;
    }
  }
  FieldMemo::Parsed<T> parsed;
  parsed.ok = parse(text, &parsed.value);
  if (cache != nullptr) cache->Remember(text, parsed);
  *out = parsed.value;
  return parsed.ok;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view RuleName(Rule rule) {
  switch (rule) {
    case Rule::kOk:
      return "ok";
    case Rule::kOrderItemId:
      return "invalid_order_item_id";
    case Rule::kOrderId:
      return "invalid_order_id";
    case Rule::kPizzaNameId:
      return "missing_pizza_name_id";
    case Rule::kQuantity:
      return "invalid_quantity";
    case Rule::kUnitPrice:
      return "invalid_unit_price";
    case Rule::kTotalPrice:
      return "invalid_total_price";
    case Rule::kOrderDate:
      return "invalid_order_date";
    case Rule::kOrderTime:
      return "invalid_order_time";
    case Rule::kPizzaSize:
      return "invalid_pizza_size";
    case Rule::kOrderChannel:
      return "invalid_order_channel";
    case Rule::kTotalMismatch:
      return "total_price_mismatch";
    case Rule::kUnitPriceRange:
      return "unit_price_out_of_range";
    case Rule::kTotalPriceRange:
      return "total_price_out_of_range";
  }
  return "unknown";
}

Rule Validate(const RawFields& raw, DateOrder date_order, CleanLine* out, FieldMemo* memo) {
  if (!PositiveWhole(raw, f::kPizzaId, &out->order_item_id)) return Rule::kOrderItemId;
  if (!PositiveWhole(raw, f::kOrderId, &out->order_id)) return Rule::kOrderId;
  out->pizza_name_id = Text(raw, f::kPizzaNameId);
  if (out->pizza_name_id.empty()) return Rule::kPizzaNameId;
  int64_t quantity = 0;
  if (!raw[f::kQuantity] ||
      !ParseOnce(memo ? &memo->quantities : nullptr, *raw[f::kQuantity], ParseWholeNumber,
                 &quantity) ||
      quantity < 1 || quantity > 1000000) {
    return Rule::kQuantity;
  }
  out->quantity = static_cast<int32_t>(quantity);
  auto* const cents = memo ? &memo->cents : nullptr;
  if (!raw[f::kUnitPrice] || !ParseOnce(cents, *raw[f::kUnitPrice], ParseCents, &out->unit_cents))
    return Rule::kUnitPrice;
  if (!money::FitsUnitPrice(out->unit_cents)) return Rule::kUnitPriceRange;
  if (!raw[f::kTotalPrice] ||
      !ParseOnce(cents, *raw[f::kTotalPrice], ParseCents, &out->total_cents))
    return Rule::kTotalPrice;
  if (!money::FitsTotalPrice(out->total_cents)) return Rule::kTotalPriceRange;
  const auto parse_date = [date_order](std::string_view text, EpochDay* day) {
    return ParseDate(text, date_order, day);
  };
  if (!raw[f::kOrderDate] ||
      !ParseOnce(memo ? &memo->dates : nullptr, *raw[f::kOrderDate], parse_date, &out->order_date))
    return Rule::kOrderDate;
  if (!raw[f::kOrderTime] || !ParseTimeOfDay(*raw[f::kOrderTime], &out->order_seconds))
    return Rule::kOrderTime;

  const std::string_view size = Text(raw, f::kPizzaSize);
  static constexpr std::pair<std::string_view, std::string_view> kSizes[] = {
      {"s", "S"}, {"m", "M"}, {"l", "L"}, {"xl", "XL"}, {"xxl", "XXL"}};
  bool size_ok = false;
  for (auto [lower, upper] : kSizes) {
    if (EqualsIgnoreCase(size, lower)) {
      out->pizza_size = upper;
      size_ok = true;
      break;
    }
  }
  if (!size_ok) return Rule::kPizzaSize;

  const std::string_view channel = Text(raw, f::kOrderChannel);
  static constexpr std::string_view kChannels[] = {"in_store", "phone", "web", "app", "unknown"};
  out->order_channel = {};
  if (channel.empty()) out->order_channel = "unknown";
  for (std::string_view c : kChannels) {
    if (EqualsIgnoreCase(channel, c)) {
      out->order_channel = c;
      break;
    }
  }
  if (out->order_channel.empty()) return Rule::kOrderChannel;

  int64_t expected_total = 0;
  if (!money::MultiplyCents(out->unit_cents, out->quantity, &expected_total) ||
      expected_total != out->total_cents) {
    return Rule::kTotalMismatch;
  }
  out->pizza_category = Text(raw, f::kPizzaCategory);
  out->pizza_ingredients = Text(raw, f::kPizzaIngredients);
  out->pizza_name = Text(raw, f::kPizzaName);
  return Rule::kOk;
}

}  // namespace pizzastream::silver
