#include "sources/generator.h"

#include <arrow/array.h>
#include <arrow/builder.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <vector>

#include "core/calendar.h"
#include "sources/order_line_text.h"
#include "sources/seeded_random.h"

namespace pizzastream::sources {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr int kColumns = static_cast<int>(kSourceColumns.size());
namespace f = field;

static_assert(std::string_view(kSourceColumns[f::kTotalPrice]) == "total_price" &&
              std::string_view(kSourceColumns[f::kOrderChannel]) == "order_channel");

constexpr std::array<std::string_view, 4> kChannelNames = {"in_store", "web", "phone", "app"};
// The spellings of a dirty record's size, channel and quantity (DirtyKind).
constexpr std::array<std::string_view, 3> kBadSizes = {"XXXL", "XS", "Q"};
constexpr std::array<std::string_view, 2> kBadChannels = {"fax", "kiosk"};
constexpr std::array<std::string_view, 3> kBadQuantities = {"0", "abc", ""};
constexpr int kMaxQuantity = 4;  // the largest PizzaPlaceSalesProfile().lines_by_quantity has
static_assert(std::tuple_size_v<decltype(SalesProfile::lines_by_quantity)> == kMaxQuantity + 1);
// Clean lines kept for re-sending as duplicates: the most recent ones.
constexpr size_t kRecentLines = 4096;
constexpr int kMaxLinesPerOrder = 21;
// The fields sent as utf8 (ids, a date, a time, and their dirty spellings) are short.
constexpr int64_t kPlainFieldBytesAtMost = 24;

template <typename Counts>
std::vector<double> ToWeights(const Counts& counts) {
  return std::vector<double>(std::begin(counts), std::end(counts));
}

// One order line as drawn, before it is spelled out as text.
struct Line {
  int64_t pizza_id;
  int64_t order_id;
  int32_t day;  // days since 1970-01-01
  int32_t second_of_day;
  uint8_t item;  // index into MenuItems()
  uint8_t quantity;
  DateStyle style;
  uint8_t channel;  // index into kChannelNames
};

enum class RecordClass : uint8_t { kClean, kDirty, kDuplicate };

struct Record {
  Line line{};
  RecordClass record_class = RecordClass::kClean;
  DirtyKind kind = DirtyKind::kBadOrderId;
  uint32_t variant = 0;  // picks one spelling of the dirty kind
};

// The fields the generator draws from short lists travel as dictionaries of utf8
// (order_source.h): no one downstream hashes their text again (the lake's Parquet writer takes
// a dictionary as it is). Each dictionary holds every text a clean or dirty record can have in
// its field, once: a clean line's codes come from the tables below, a dirty record's are
// looked up by its text.
struct FieldDictionaries {
  std::array<std::shared_ptr<arrow::Array>, kColumns> values;  // nullptr: the field is utf8
  std::shared_ptr<arrow::Schema> schema;                       // of the generator's batches
  // Text -> code, per dictionary field (views into `values`).
  std::array<std::unordered_map<std::string_view, int32_t>, kColumns> code_of;
  std::array<int32_t, kMenuItemCount> name_id{}, size{}, unit{};              // by menu item
  std::array<std::array<int32_t, kMaxQuantity + 1>, kMenuItemCount> total{};  // by item, qty
  std::array<int32_t, kPizzaTypeCount> ingredients{}, name{};                 // by pizza type
  std::array<int32_t, 4> category{}, channel{};  // by PizzaCategory, channel
  std::array<int32_t, kMaxQuantity + 1> quantity{};
};

const FieldDictionaries& Dictionaries() {
  static const FieldDictionaries kDictionaries = [] {
    FieldDictionaries d;
    std::array<std::vector<std::string>, kColumns> lists;
    std::array<std::unordered_map<std::string, int32_t>, kColumns> seen;
    auto code = [&](int column, std::string_view value) {
      auto [at, added] =
          seen[column].try_emplace(std::string(value), static_cast<int32_t>(lists[column].size()));
      if (added) lists[column].emplace_back(value);
      return at->second;
    };
    char text[32];
    auto money = [&text](int64_t units, int decimals) { return WriteFixed(text, units, decimals); };
    const auto& items = MenuItems();
    for (size_t i = 0; i < items.size(); ++i) {
      const int64_t unit = items[i].unit_price_cents;
      d.name_id[i] = code(f::kPizzaNameId, items[i].pizza_name_id);
      d.size[i] = code(f::kPizzaSize, items[i].size);
      d.unit[i] = code(f::kUnitPrice, money(unit, 2));
      for (int q = 1; q <= kMaxQuantity; ++q)
        d.total[i][q] = code(f::kTotalPrice, money(unit * q, 2));
    }
    const auto& types = PizzaTypes();
    for (size_t t = 0; t < types.size(); ++t) {
      d.ingredients[t] = code(f::kPizzaIngredients, types[t].ingredients);
      d.name[t] = code(f::kPizzaName, types[t].name);
    }
    for (int c = 0; c < 4; ++c) {
      d.category[c] = code(f::kPizzaCategory, CategoryName(static_cast<PizzaCategory>(c)));
    }
    for (size_t c = 0; c < kChannelNames.size(); ++c) {
      d.channel[c] = code(f::kOrderChannel, kChannelNames[c]);
    }
    for (int q = 1; q <= kMaxQuantity; ++q) d.quantity[q] = code(f::kQuantity, WriteInt(text, q));
    // What Spoil writes in these fields (DirtyKind).
    code(f::kPizzaNameId, "");
    for (std::string_view bad : kBadSizes) code(f::kPizzaSize, bad);
    for (std::string_view bad : kBadChannels) code(f::kOrderChannel, bad);
    for (std::string_view bad : kBadQuantities) code(f::kQuantity, bad);
    code(f::kUnitPrice, "n/a");
    code(f::kTotalPrice, "n/a");
    code(f::kTotalPrice, "0.00");
    for (const MenuItem& item : items) {
      for (int q = 0; q <= kMaxQuantity; ++q) {  // q = 0: the unit price
        const int col = q == 0 ? f::kUnitPrice : f::kTotalPrice;
        const int64_t cents = item.unit_price_cents * std::max(q, 1);
        code(col, money(cents * 10 + 5, 3));
        code(col, money(-cents, 2));
        if (q == 0) continue;
        for (int64_t wrong : {cents + 100, cents - 1, cents * 10}) code(col, money(wrong, 2));
      }
    }
    arrow::FieldVector fields = SourceSchema()->fields();
    for (int c = 0; c < kColumns; ++c) {
      if (lists[c].empty()) continue;
      arrow::StringBuilder builder;
      (void)builder.AppendValues(lists[c]);
      d.values[c] = builder.Finish().ValueOrDie();  // a few KiB: fails only out of memory
      const auto& texts = static_cast<const arrow::StringArray&>(*d.values[c]);
      for (int32_t v = 0; v < texts.length(); ++v) d.code_of[c].emplace(texts.GetView(v), v);
      fields[c] = fields[c]->WithType(arrow::dictionary(arrow::int32(), arrow::utf8()));
    }
    d.schema = arrow::schema(std::move(fields));
    return d;
  }();
  return kDictionaries;
}

bool NonNegativeFinite(double w) { return std::isfinite(w) && w >= 0; }

Status CheckWeights(std::string_view what, std::initializer_list<double> weights) {
  double sum = 0;
  for (double w : weights) {
    if (!NonNegativeFinite(w)) return Status::Invalid(what, " weights must be finite and >= 0");
    sum += w;
  }
  if (!(sum > 0)) return Status::Invalid(what, " weights must not all be 0");
  return Status::OK();
}

Status Validate(const GeneratorOptions& o) {
  if (!o.start_date.ok() || o.start_date.year() < std::chrono::year{1970} ||
      o.start_date.year() > std::chrono::year{9999}) {
    return Status::Invalid("generator start date must be a real date in 1970..9999");
  }
  if (o.speed && !(std::isfinite(*o.speed) && *o.speed > 0)) {
    return Status::Invalid("generator speed must be > 0");
  }
  if (o.limit && *o.limit < 0) return Status::Invalid("generator limit must be >= 0");
  if (o.batch_size < 1) return Status::Invalid("generator batch size must be >= 1");
  if (!(std::isfinite(o.orders_per_day) && o.orders_per_day > 0)) {
    return Status::Invalid("generator orders per day must be > 0");
  }
  if (!NonNegativeFinite(o.dirty_rate) || !NonNegativeFinite(o.duplicate_rate) ||
      o.dirty_rate + o.duplicate_rate > 1) {
    return Status::Invalid("generator dirty and duplicate rates must be >= 0 and sum to <= 1");
  }
  const auto& c = o.channels;
  ARROW_RETURN_NOT_OK(CheckWeights("channel", {c.in_store, c.web, c.phone, c.app}));
  const auto& d = o.date_formats;
  return CheckWeights("date format", {d.pos_export, d.slash, d.dash, d.dot, d.iso});
}

}  // namespace

std::string_view DirtyKindName(DirtyKind kind) {
  switch (kind) {
    case DirtyKind::kBadLineId:
      return "bad_line_id";
    case DirtyKind::kBadOrderId:
      return "bad_order_id";
    case DirtyKind::kBlankPizzaNameId:
      return "blank_pizza_name_id";
    case DirtyKind::kBadQuantity:
      return "bad_quantity";
    case DirtyKind::kBadUnitPrice:
      return "bad_unit_price";
    case DirtyKind::kBadTotalPrice:
      return "bad_total_price";
    case DirtyKind::kBadDate:
      return "bad_date";
    case DirtyKind::kBadTime:
      return "bad_time";
    case DirtyKind::kUnknownSize:
      return "unknown_size";
    case DirtyKind::kUnknownChannel:
      return "unknown_channel";
    case DirtyKind::kTotalMismatch:
      return "total_mismatch";
  }
  return "";
}

std::string_view GeneratorTotals::TopPizzaByRevenue() const {
  auto top = std::max_element(revenue_cents_by_type.begin(), revenue_cents_by_type.end());
  if (*top == 0) return "";
  return PizzaTypes()[top - revenue_cents_by_type.begin()].name;
}

struct OrderGenerator::State {
  explicit State(const GeneratorOptions& o) : options(o), rng(o.seed) {
    std::vector<double> popularity;
    for (const MenuItem& item : MenuItems()) popularity.push_back(item.lines_2015);
    items = WeightedChoice(popularity);
    const SalesProfile& profile = PizzaPlaceSalesProfile();
    line_counts = WeightedChoice(ToWeights(profile.orders_by_line_count));
    quantities = WeightedChoice(ToWeights(profile.lines_by_quantity));
    const auto& c = o.channels;
    channels = WeightedChoice(std::vector<double>{c.in_store, c.web, c.phone, c.app});
    const auto& d = o.date_formats;
    date_styles = WeightedChoice(std::vector<double>{d.pos_export, d.slash, d.dash, d.dot, d.iso});

    // Orders per second in each hour of the week: the day's mean scaled by the weekday's share
    // of the week and the hour's share of the day.
    const auto& by_weekday = profile.orders_per_day_by_weekday_x100;
    const double weekday_mean =
        std::accumulate(by_weekday.begin(), by_weekday.end(), 0.0) / by_weekday.size();
    const double hour_total =
        std::accumulate(profile.orders_by_hour.begin(), profile.orders_by_hour.end(), 0.0);
    for (int wd = 0; wd < 7; ++wd) {
      for (int h = 0; h < 24; ++h) {
        rate_per_second[wd * 24 + h] = o.orders_per_day * (by_weekday[wd] / weekday_mean) *
                                       (profile.orders_by_hour[h] / hour_total) / 3600.0;
      }
    }
    start_clock = static_cast<double>(sys_days(o.start_date).time_since_epoch().count()) * 86400;
    last_day = sys_days(year_month_day(std::chrono::year{9999}, std::chrono::December,
                                       std::chrono::day{31}))
                   .time_since_epoch()
                   .count();

    recent.reserve(kRecentLines);
    Rewind();
  }

  // Back to sequence 0, as freshly made.
  void Rewind() {
    rng = Rng(options.seed);
    clock = start_clock;
    order_id = 0;
    order_lines = next_line = 0;
    next_pizza_id = 1;
    recent.clear();
    recent_next = 0;
    totals = GeneratorTotals{};
    last_counted_order = 0;
    last_counted_day = std::numeric_limits<int32_t>::min();
    next_sequence = 0;
  }

  // Advances the clock to the next order arrival: a Poisson process whose rate is constant
  // within each hour of the week, so the waiting "work" E ~ Exp(1) is spent hour by hour.
  void AdvanceClock() {
    double work = -std::log1p(-rng.Uniform());
    double t = clock;
    for (;;) {
      const double hour = std::floor(t / 3600.0);
      const auto hour_index = static_cast<int64_t>(hour);
      const int64_t day = hour_index / 24;
      const int weekday = static_cast<int>((day % 7 + 10) % 7);  // 1970-01-01 was a Thursday
      const double rate = rate_per_second[weekday * 24 + static_cast<int>(hour_index % 24)];
      const double end = (hour + 1) * 3600.0;
      if (rate > 0) {
        const double dt = work / rate;
        if (t + dt < end) {
          clock = t + dt;
          return;
        }
        work -= (end - t) * rate;
      }
      t = end;
    }
  }

  Status NewOrder() {
    AdvanceClock();
    const auto whole = static_cast<int64_t>(std::floor(clock));
    const int64_t day = whole / 86400;
    if (day > last_day) {
      return Status::Invalid(
          "generator: the simulated clock passed the year 9999; raise the "
          "orders per day or lower the record limit");
    }
    ++order_id;
    order_day = static_cast<int32_t>(day);
    order_second = static_cast<int32_t>(whole - day * 86400);
    order_lines = std::min(line_counts.Draw(rng), kMaxLinesPerOrder);
    for (int i = 0; i < order_lines; ++i) {
      // One line per item, as in the real data: a second pizza of an item raises quantity.
      int item;
      do {
        item = items.Draw(rng);
      } while (std::find(order_items.begin(), order_items.begin() + i, item) !=
               order_items.begin() + i);
      order_items[i] = static_cast<uint8_t>(item);
      order_quantities[i] = static_cast<uint8_t>(quantities.Draw(rng));
    }
    order_style = static_cast<DateStyle>(date_styles.Draw(rng));
    order_channel = static_cast<uint8_t>(channels.Draw(rng));
    next_line = 0;
    return Status::OK();
  }

  Status NextLine(Line* line) {
    if (next_line == order_lines) ARROW_RETURN_NOT_OK(NewOrder());
    *line = Line{next_pizza_id++,
                 order_id,
                 order_day,
                 order_second,
                 order_items[next_line],
                 order_quantities[next_line],
                 order_style,
                 order_channel};
    ++next_line;
    return Status::OK();
  }

  void CountClean(const Line& line) {
    const MenuItem& item = MenuItems()[line.item];
    const int64_t cents = item.unit_price_cents * line.quantity;
    ++totals.clean_lines;
    totals.revenue_cents += cents;
    totals.revenue_cents_by_type[item.type] += cents;
    totals.pizzas += line.quantity;
    // Clean lines come in order_id and date order, so "new" means "differs from the last".
    if (line.order_id != last_counted_order) {
      ++totals.orders;
      last_counted_order = line.order_id;
    }
    if (line.day != last_counted_day) {
      ++totals.order_dates;
      last_counted_day = line.day;
    }
    if (recent.size() < kRecentLines) {
      recent.push_back(line);
    } else {
      recent[recent_next] = line;
      recent_next = (recent_next + 1) % kRecentLines;
    }
  }

  // Draws the next record and counts it. Every random draw happens here, none in Render, so
  // skipping and generating walk the same stream.
  Status Step(Record* record) {
    const double u = rng.Uniform();
    if (u < options.duplicate_rate && !recent.empty()) {
      record->line = recent[rng.Below(recent.size())];
      record->record_class = RecordClass::kDuplicate;
      ++totals.duplicates;
    } else {
      ARROW_RETURN_NOT_OK(NextLine(&record->line));
      if (u < options.duplicate_rate + options.dirty_rate) {
        record->record_class = RecordClass::kDirty;
        record->kind = static_cast<DirtyKind>(rng.Below(kDirtyKindCount));
        record->variant = static_cast<uint32_t>(rng.Next() >> 32);
        ++totals.dirty;
        ++totals.dirty_by_kind[static_cast<int>(record->kind)];
      } else {
        record->record_class = RecordClass::kClean;
        CountClean(record->line);
      }
    }
    ++totals.records;
    ++next_sequence;
    return Status::OK();
  }

  // One record's fields as text, with the buffers the numbers are written into.
  struct RenderedLine {
    char pizza_id[32], order_id[32], date[32], time[32], unit[32], total[32];
    std::array<std::string_view, kColumns> f;
    std::array<int32_t, kColumns> code{};  // a dictionary field's (FieldDictionaries)
    std::array<bool, kColumns> null{};
    unsigned hour = 0, minute = 0, second = 0;
    int64_t unit_cents = 0, total_cents = 0;
  };

  // Renders the record into the builders: the clean line, then, for a dirty record, the one
  // flaw its kind and variant choose.
  Status Render(const Record& record) {
    RenderedLine r;
    RenderClean(record.line, &r);
    if (record.record_class == RecordClass::kDirty) ARROW_RETURN_NOT_OK(RenderDirty(record, &r));
    for (int col = 0; col < kColumns; ++col) {
      if (dictionaries.values[col] != nullptr) {
        if (r.null[col]) {
          codes[col].UnsafeAppendNull();
        } else {
          codes[col].UnsafeAppend(r.code[col]);
        }
      } else if (r.null[col]) {
        builders[col].UnsafeAppendNull();
      } else {
        builders[col].UnsafeAppend(r.f[col]);
      }
    }
    return Status::OK();
  }

  // The clean line: the text of the utf8 fields, the codes of the dictionary fields.
  void RenderClean(const Line& line, RenderedLine* r) {
    const MenuItem& item = MenuItems()[line.item];
    const PizzaType& type = PizzaTypes()[item.type];
    if (line.day != cached_day) {
      cached_day = line.day;
      cached_ymd = year_month_day(sys_days(days(line.day)));
    }
    r->hour = line.second_of_day / 3600;
    r->minute = line.second_of_day / 60 % 60;
    r->second = line.second_of_day % 60;
    r->unit_cents = item.unit_price_cents;
    r->total_cents = item.unit_price_cents * line.quantity;
    r->f[f::kPizzaId] = WriteInt(r->pizza_id, line.pizza_id);
    r->f[f::kOrderId] = WriteInt(r->order_id, line.order_id);
    r->f[f::kOrderDate] = WriteDate(r->date, cached_ymd, line.style);
    r->f[f::kOrderTime] = WriteTime(r->time, r->hour, r->minute, r->second);
    const FieldDictionaries& d = dictionaries;
    r->code[f::kPizzaNameId] = d.name_id[line.item];
    r->code[f::kQuantity] = d.quantity[line.quantity];
    r->code[f::kUnitPrice] = d.unit[line.item];
    r->code[f::kTotalPrice] = d.total[line.item][line.quantity];
    r->code[f::kPizzaSize] = d.size[line.item];
    r->code[f::kPizzaCategory] = d.category[static_cast<int>(type.category)];
    r->code[f::kPizzaIngredients] = d.ingredients[item.type];
    r->code[f::kPizzaName] = d.name[item.type];
    r->code[f::kOrderChannel] = d.channel[line.channel];
  }

  // A dirty record: its clean line spelled out, spoilt, and its dictionary fields coded again.
  Status RenderDirty(const Record& record, RenderedLine* r) {
    for (int col = 0; col < kColumns; ++col) {
      if (dictionaries.values[col] == nullptr) continue;
      r->f[col] =
          static_cast<const arrow::StringArray&>(*dictionaries.values[col]).GetView(r->code[col]);
    }
    Spoil(record, r);
    for (int col = 0; col < kColumns; ++col) {
      if (dictionaries.values[col] == nullptr || r->null[col]) continue;
      const auto at = dictionaries.code_of[col].find(r->f[col]);
      if (at == dictionaries.code_of[col].end()) {  // a spelling Dictionaries() does not list
        return Status::Invalid("generator: ", kSourceColumns[col], " '", r->f[col],
                               "' is missing from its dictionary");
      }
      r->code[col] = at->second;
    }
    return Status::OK();
  }

  void Spoil(const Record& record, RenderedLine* r) {
    const uint32_t v = record.variant;
    auto& f = r->f;
    switch (record.kind) {
      case DirtyKind::kBadOrderId:
      case DirtyKind::kBadLineId:
        SpoilId(record, r);
        break;
      case DirtyKind::kBadQuantity:
        SpoilQuantity(v, r);
        break;
      case DirtyKind::kBadUnitPrice:
      case DirtyKind::kBadTotalPrice:
        SpoilPrice(record, r);
        break;
      case DirtyKind::kBadDate:
        f[f::kOrderDate] = WriteBadDate(r->date, static_cast<int>(cached_ymd.year()), v);
        break;
      case DirtyKind::kBadTime:
        SpoilTime(v, r);
        break;
      case DirtyKind::kBlankPizzaNameId:
        f[f::kPizzaNameId] = "";
        break;
      case DirtyKind::kUnknownSize:
        f[f::kPizzaSize] = kBadSizes[v % kBadSizes.size()];
        break;
      case DirtyKind::kUnknownChannel:
        f[f::kOrderChannel] = kBadChannels[v % kBadChannels.size()];
        break;
      case DirtyKind::kTotalMismatch: {
        const int64_t wrong[] = {r->total_cents + 100, r->total_cents - 1, r->total_cents * 10};
        f[f::kTotalPrice] = WriteFixed(r->total, wrong[v % 3], 2);
        break;
      }
    }
  }

  // An order or line id that is null, blank, zero or negative.
  static void SpoilId(const Record& record, RenderedLine* r) {
    const int col = record.kind == DirtyKind::kBadOrderId ? f::kOrderId : f::kPizzaId;
    const int64_t id = col == f::kOrderId ? record.line.order_id : record.line.pizza_id;
    char* buf = col == f::kOrderId ? r->order_id : r->pizza_id;
    switch (record.variant % 4) {
      case 0:
        r->null[col] = true;
        break;
      case 1:
        r->f[col] = "";
        break;
      case 2:
        r->f[col] = "0";
        break;
      default:
        r->f[col] = WriteInt(buf, -id);
    }
  }

  static void SpoilQuantity(uint32_t v, RenderedLine* r) {
    switch (v % 4) {
      case 0:  // zero pizzas at zero total: only the quantity is wrong
        r->f[f::kQuantity] = kBadQuantities[0];
        r->f[f::kTotalPrice] = "0.00";
        break;
      case 1:
        r->f[f::kQuantity] = kBadQuantities[1];
        break;
      case 2:
        r->f[f::kQuantity] = kBadQuantities[2];
        break;
      default:
        r->null[f::kQuantity] = true;
    }
  }

  // The other price stays clean; with one price unreadable the total is not checked.
  static void SpoilPrice(const Record& record, RenderedLine* r) {
    const bool is_unit = record.kind == DirtyKind::kBadUnitPrice;
    const int col = is_unit ? f::kUnitPrice : f::kTotalPrice;
    const int64_t cents = is_unit ? r->unit_cents : r->total_cents;
    char* buf = is_unit ? r->unit : r->total;
    switch (record.variant % 3) {
      case 0:  // half a cent more: a third decimal
        r->f[col] = WriteFixed(buf, cents * 10 + 5, 3);
        break;
      case 1:
        r->f[col] = "n/a";
        break;
      default:
        r->f[col] = WriteFixed(buf, -cents, 2);
    }
  }

  static void SpoilTime(uint32_t v, RenderedLine* r) {
    switch (v % 3) {
      case 0:
        r->f[f::kOrderTime] = WriteTime(r->time, 25, r->minute, r->second);
        break;
      case 1:
        r->f[f::kOrderTime] = WriteTime(r->time, r->hour, 75, r->second);
        break;
      default:
        r->f[f::kOrderTime] = "noon";
    }
  }

  GeneratorOptions options;
  Rng rng;
  WeightedChoice items, line_counts, quantities, channels, date_styles;
  std::array<double, 7 * 24> rate_per_second{};  // Monday 0h first
  double start_clock = 0;                        // seconds since 1970-01-01
  int64_t last_day = 0;

  double clock = 0;  // arrival time of the current order
  int64_t order_id = 0;
  int32_t order_day = 0;
  int32_t order_second = 0;
  std::array<uint8_t, kMaxLinesPerOrder> order_items{};
  std::array<uint8_t, kMaxLinesPerOrder> order_quantities{};
  DateStyle order_style = DateStyle::kPosExport;
  uint8_t order_channel = 0;
  int order_lines = 0;
  int next_line = 0;
  int64_t next_pizza_id = 1;

  std::vector<Line> recent;  // ring of the latest clean lines
  size_t recent_next = 0;
  GeneratorTotals totals;
  int64_t last_counted_order = 0;
  int32_t last_counted_day = 0;
  int64_t next_sequence = 0;

  const FieldDictionaries& dictionaries = Dictionaries();
  std::array<arrow::StringBuilder, kColumns> builders;  // of the utf8 fields
  std::array<arrow::Int32Builder, kColumns> codes;      // of the dictionary fields
  int32_t cached_day = std::numeric_limits<int32_t>::min();
  year_month_day cached_ymd;
};

OrderGenerator::OrderGenerator(std::unique_ptr<State> state) : state_(std::move(state)) {}
OrderGenerator::~OrderGenerator() = default;

Result<std::unique_ptr<OrderGenerator>> OrderGenerator::Make(const GeneratorOptions& options) {
  ARROW_RETURN_NOT_OK(Validate(options));
  return std::unique_ptr<OrderGenerator>(new OrderGenerator(std::make_unique<State>(options)));
}

std::string OrderGenerator::id() const {
  const GeneratorOptions& o = state_->options;
  const auto& c = o.channels;
  const auto& d = o.date_formats;
  char start[10];
  return fmt::format(
      "gen:seed={};start={};orders_per_day={};channels={}/{}/{}/{};"
      "dates={}/{}/{}/{}/{};dirty={};dup={}",
      o.seed,
      FormatIsoDate({static_cast<int>(o.start_date.year()),
                     static_cast<int>(static_cast<unsigned>(o.start_date.month())),
                     static_cast<int>(static_cast<unsigned>(o.start_date.day()))},
                    start),
      o.orders_per_day, c.in_store, c.web, c.phone, c.app, d.pos_export, d.slash, d.dash, d.dot,
      d.iso, o.dirty_rate, o.duplicate_rate);
}

Result<bool> OrderGenerator::Next(SourceBatch* out) {
  State& s = *state_;
  int64_t n = s.options.batch_size;
  if (s.options.limit) n = std::min(n, *s.options.limit - s.next_sequence);
  if (n <= 0) return false;

  const FieldDictionaries& dictionaries = s.dictionaries;
  for (int col = 0; col < kColumns; ++col) {
    if (dictionaries.values[col] != nullptr) {
      ARROW_RETURN_NOT_OK(s.codes[col].Reserve(n));
    } else {
      ARROW_RETURN_NOT_OK(s.builders[col].Reserve(n));
      ARROW_RETURN_NOT_OK(s.builders[col].ReserveData(n * kPlainFieldBytesAtMost));
    }
  }
  const int64_t first = s.next_sequence;
  Record record;
  for (int64_t i = 0; i < n; ++i) {
    Status status = s.Step(&record);
    if (status.ok()) status = s.Render(record);
    if (!status.ok()) {
      for (auto& builder : s.builders) builder.Reset();  // no half batch in the next one
      for (auto& builder : s.codes) builder.Reset();
      return status;
    }
  }
  arrow::ArrayVector columns(kColumns);
  for (int col = 0; col < kColumns; ++col) {
    if (dictionaries.values[col] == nullptr) {
      ARROW_RETURN_NOT_OK(s.builders[col].Finish(&columns[col]));
      continue;
    }
    ARROW_ASSIGN_OR_RAISE(auto codes, s.codes[col].Finish());
    columns[col] = std::make_shared<arrow::DictionaryArray>(dictionaries.schema->field(col)->type(),
                                                            codes, dictionaries.values[col]);
  }
  out->records = arrow::RecordBatch::Make(dictionaries.schema, n, std::move(columns));
  out->first_sequence = first;
  out->sequences.clear();
  out->malformed.clear();
  return true;
}

Status OrderGenerator::SkipTo(int64_t sequence) {
  State& s = *state_;
  if (s.options.limit) sequence = std::min(sequence, *s.options.limit);
  if (sequence < s.next_sequence) s.Rewind();
  Record record;
  while (s.next_sequence < sequence) ARROW_RETURN_NOT_OK(s.Step(&record));
  return Status::OK();
}

const GeneratorTotals& OrderGenerator::totals() const { return state_->totals; }

int64_t OrderGenerator::next_sequence() const { return state_->next_sequence; }

double OrderGenerator::Fraction() const {
  const auto& limit = state_->options.limit;
  if (!limit || *limit <= 0) return -1;
  return std::min(1.0, static_cast<double>(state_->next_sequence) / static_cast<double>(*limit));
}

std::chrono::sys_seconds OrderGenerator::simulated_time() const {
  return std::chrono::sys_seconds(
      std::chrono::seconds(static_cast<int64_t>(std::floor(state_->clock))));
}

std::optional<double> OrderGenerator::due_wall_seconds() const {
  if (!state_->options.speed) return std::nullopt;
  return (state_->clock - state_->start_clock) / *state_->options.speed;
}

}  // namespace pizzastream::sources
