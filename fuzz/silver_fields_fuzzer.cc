// libFuzzer target: silver's field parsers and rules (src/silver/field_parsers.h, rules.h).
// The input is split at '\x1f' into up to 13 raw fields (a missing one is absent); every parser
// runs on every field and Validate on the whole record, in both date orders. Checks beyond
// "no crash, no UB": a valid line's money is non-negative cents, total = unit x quantity, the
// parsers agree with Validate, and Validate with a FieldMemo gives what it gives without one.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "silver/field_parsers.h"
#include "silver/rules.h"

using namespace pizzastream;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  silver::RawFields raw{};
  size_t field = 0;
  while (field < raw.size()) {
    const size_t end = input.find('\x1f');
    raw[field++] = input.substr(0, end);
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
  for (const auto& text : raw) {
    if (!text) continue;
    int64_t number = 0;
    if (silver::ParseWholeNumber(*text, &number) && number < 0) std::abort();
    if (silver::ParseCents(*text, &number) && number < 0) std::abort();
    EpochDay day = 0;
    (void)silver::ParseDate(*text, DateOrder::kDayFirst, &day);
    (void)silver::ParseDate(*text, DateOrder::kMonthFirst, &day);
    int32_t seconds = 0;
    if (silver::ParseTimeOfDay(*text, &seconds) && (seconds < 0 || seconds >= 86400)) std::abort();
    (void)silver::TrimBlanks(*text);
  }
  for (auto order : {DateOrder::kDayFirst, DateOrder::kMonthFirst}) {
    silver::CleanLine line;
    const silver::Rule rule = silver::Validate(raw, order, &line);
    if (silver::RuleName(rule).empty()) std::abort();
    if (rule != silver::Rule::kOk) continue;
    if (line.quantity < 1 || line.unit_cents < 0 || line.total_cents < 0) std::abort();
    if (line.total_cents != line.unit_cents * line.quantity) std::abort();
  }
  // A memo changes nothing: filled by the first call, found again by the second.
  for (auto order : {DateOrder::kDayFirst, DateOrder::kMonthFirst}) {
    silver::CleanLine plain, filled, found;
    silver::FieldMemo memo;
    const silver::Rule rule = silver::Validate(raw, order, &plain);
    if (silver::Validate(raw, order, &filled, &memo) != rule) std::abort();
    if (silver::Validate(raw, order, &found, &memo) != rule) std::abort();
    if (rule != silver::Rule::kOk) continue;
    for (const silver::CleanLine* line : {&filled, &found}) {
      if (line->quantity != plain.quantity || line->unit_cents != plain.unit_cents ||
          line->total_cents != plain.total_cents || line->order_date != plain.order_date) {
        std::abort();
      }
    }
  }
  return 0;
}
