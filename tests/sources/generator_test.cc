#include "sources/generator.h"

#include <arrow/array.h>
#include <arrow/record_batch.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "lake/text_column.h"
#include "silver/field_parsers.h"
#include "silver/rules.h"

namespace pizzastream::sources {
namespace {

using silver::RawFields;
using silver::Rule;

constexpr int Column(std::string_view name) {
  return static_cast<int>(std::find(kSourceColumns.begin(), kSourceColumns.end(), name) -
                          kSourceColumns.begin());
}
constexpr int kPizzaId = Column("pizza_id"), kOrderId = Column("order_id"),
              kNameId = Column("pizza_name_id"), kQuantity = Column("quantity"),
              kDate = Column("order_date"), kTime = Column("order_time"),
              kUnit = Column("unit_price"), kTotal = Column("total_price"),
              kSize = Column("pizza_size"), kIngredients = Column("pizza_ingredients"),
              kName = Column("pizza_name"), kChannel = Column("order_channel");

std::unique_ptr<OrderGenerator> MakeGenerator(const GeneratorOptions& options) {
  auto made = OrderGenerator::Make(options);
  EXPECT_TRUE(made.ok()) << made.status().ToString();
  return std::move(made).ValueOrDie();
}

GeneratorOptions Limited(int64_t limit, uint64_t seed = 7) {
  GeneratorOptions options;
  options.seed = seed;
  options.limit = limit;
  return options;
}

GeneratorOptions Dirty(int64_t limit) {
  GeneratorOptions options = Limited(limit);
  options.dirty_rate = 0.05;
  options.duplicate_rate = 0.03;
  return options;
}

// Calls `fn(fields, sequence)` for every record the generator yields, checking batch shape.
template <typename Fn>
void ForEachRecord(OrderGenerator& gen, Fn fn) {
  SourceBatch batch;
  int64_t expected_sequence = gen.next_sequence();
  for (;;) {
    auto more = gen.Next(&batch);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ASSERT_EQ(batch.records->schema()->field_names(), SourceSchema()->field_names());
    ASSERT_EQ(batch.first_sequence, expected_sequence);
    ASSERT_TRUE(batch.sequences.empty());
    ASSERT_TRUE(batch.malformed.empty());
    ASSERT_TRUE(batch.records->ValidateFull().ok());
    std::vector<lake::TextColumn> cols;
    for (int c = 0; c < batch.records->num_columns(); ++c) {
      auto text = lake::TextColumn::Of(*batch.records->column(c));
      ASSERT_TRUE(text.ok()) << text.status().ToString();
      cols.push_back(*text);
    }
    for (int64_t i = 0; i < batch.records->num_rows(); ++i) {
      RawFields fields;
      for (size_t c = 0; c < cols.size(); ++c) {
        if (const auto value = cols[c].Get(i)) fields[c] = *value;
      }
      fn(fields, expected_sequence++);
    }
  }
}

using Row = std::array<std::optional<std::string>, kSourceColumns.size()>;

Row ToRow(const RawFields& fields) {
  Row row;
  for (size_t c = 0; c < fields.size(); ++c) {
    if (fields[c]) row[c] = std::string(*fields[c]);
  }
  return row;
}

std::vector<Row> AllRows(OrderGenerator& gen) {
  std::vector<Row> rows;
  ForEachRecord(gen, [&](const RawFields& f, int64_t) { rows.push_back(ToRow(f)); });
  return rows;
}

int64_t Int(const RawFields& f, int col) {
  int64_t v = 0;
  EXPECT_TRUE(silver::ParseWholeNumber(*f[col], &v)) << *f[col];
  return v;
}

// The silver rules of issue 2, checked field by field and independently of each other, so a
// record breaking two rules would show two. The total is only compared when all three numbers
// are readable.
std::vector<Rule> BrokenRules(const RawFields& f) {
  std::vector<Rule> broken;
  auto positive = [&](int col) {
    int64_t v = 0;
    return f[col] && silver::ParseWholeNumber(*f[col], &v) && v >= 1;
  };
  if (!positive(kPizzaId)) broken.push_back(Rule::kOrderItemId);
  if (!positive(kOrderId)) broken.push_back(Rule::kOrderId);
  if (!f[kNameId] || silver::TrimBlanks(*f[kNameId]).empty()) broken.push_back(Rule::kPizzaNameId);
  const bool quantity_ok = positive(kQuantity);
  if (!quantity_ok) broken.push_back(Rule::kQuantity);
  int64_t unit = 0, total = 0;
  const bool unit_ok = f[kUnit] && silver::ParseCents(*f[kUnit], &unit);
  const bool total_ok = f[kTotal] && silver::ParseCents(*f[kTotal], &total);
  if (!unit_ok) broken.push_back(Rule::kUnitPrice);
  if (!total_ok) broken.push_back(Rule::kTotalPrice);
  EpochDay day = 0;
  if (!f[kDate] || !silver::ParseDate(*f[kDate], DateOrder::kDayFirst, &day)) {
    broken.push_back(Rule::kOrderDate);
  }
  int32_t seconds = 0;
  if (!f[kTime] || !silver::ParseTimeOfDay(*f[kTime], &seconds)) broken.push_back(Rule::kOrderTime);
  static const std::set<std::string_view> kSizes = {"S", "M", "L", "XL", "XXL"};
  if (!f[kSize] || !kSizes.contains(*f[kSize])) broken.push_back(Rule::kPizzaSize);
  static const std::set<std::string_view> kChannels = {"in_store", "phone", "web", "app"};
  if (f[kChannel] && !kChannels.contains(*f[kChannel])) broken.push_back(Rule::kOrderChannel);
  if (quantity_ok && unit_ok && total_ok && unit * Int(f, kQuantity) != total) {
    broken.push_back(Rule::kTotalMismatch);
  }
  return broken;
}

// What the pipeline must end with, recomputed from the emitted records alone.
struct Recomputed {
  int64_t records = 0, clean = 0, rejected = 0, duplicates = 0;
  int64_t revenue_cents = 0, pizzas = 0;
  std::set<int64_t> orders;
  std::set<EpochDay> dates;
  std::map<std::string, int64_t> revenue_by_name;
  std::unordered_map<int64_t, Row> first_seen;
  int64_t duplicates_not_exact = 0;
  int64_t multi_rule_records = 0;
};

Recomputed Recompute(OrderGenerator& gen) {
  Recomputed r;
  ForEachRecord(gen, [&](const RawFields& f, int64_t) {
    ++r.records;
    const std::vector<Rule> broken = BrokenRules(f);
    silver::CleanLine line;
    const Rule rule = silver::Validate(f, DateOrder::kDayFirst, &line);
    if (broken.size() > 1) ++r.multi_rule_records;
    if (!broken.empty()) {
      EXPECT_EQ(rule, broken.front()) << silver::RuleName(rule);
      ++r.rejected;
      return;
    }
    EXPECT_EQ(rule, Rule::kOk);
    auto [it, first] = r.first_seen.try_emplace(line.order_item_id, ToRow(f));
    if (!first) {
      ++r.duplicates;
      if (it->second != ToRow(f)) ++r.duplicates_not_exact;
      return;
    }
    ++r.clean;
    r.revenue_cents += line.total_cents;
    r.pizzas += line.quantity;
    r.orders.insert(line.order_id);
    r.dates.insert(line.order_date);
    r.revenue_by_name[std::string(line.pizza_name)] += line.total_cents;
  });
  return r;
}

TEST(OrderGenerator, SameSeedGivesTheSameRecords) {
  auto a = MakeGenerator(Dirty(3000));
  auto b = MakeGenerator(Dirty(3000));
  EXPECT_EQ(a->id(), b->id());
  const std::vector<Row> rows = AllRows(*a);
  ASSERT_EQ(rows.size(), 3000u);
  EXPECT_EQ(rows, AllRows(*b));

  GeneratorOptions other = Dirty(3000);
  other.seed = 8;
  auto c = MakeGenerator(other);
  EXPECT_NE(c->id(), a->id());
  EXPECT_NE(rows, AllRows(*c));
}

TEST(OrderGenerator, BatchSizeAndLimitDoNotChangeTheStream) {
  GeneratorOptions small = Dirty(2500);
  small.batch_size = 7;
  GeneratorOptions large = Dirty(5000);
  large.batch_size = 1000;
  auto a = MakeGenerator(small);
  auto b = MakeGenerator(large);
  EXPECT_EQ(a->id(), b->id());
  std::vector<Row> rows_a = AllRows(*a);
  std::vector<Row> rows_b = AllRows(*b);
  ASSERT_EQ(rows_a.size(), 2500u);
  ASSERT_EQ(rows_b.size(), 5000u);
  rows_b.resize(2500);
  EXPECT_EQ(rows_a, rows_b);
}

TEST(OrderGenerator, SequencesAreConsecutiveAndStopAtTheLimit) {
  GeneratorOptions options = Limited(10);
  options.batch_size = 4;
  auto gen = MakeGenerator(options);
  SourceBatch batch;
  std::vector<std::pair<int64_t, int64_t>> seen;  // first_sequence, rows
  while (true) {
    auto more = gen->Next(&batch);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    seen.emplace_back(batch.first_sequence, batch.records->num_rows());
  }
  EXPECT_EQ(seen, (std::vector<std::pair<int64_t, int64_t>>{{0, 4}, {4, 4}, {8, 2}}));
  EXPECT_EQ(gen->next_sequence(), 10);
  auto again = gen->Next(&batch);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);

  auto empty = MakeGenerator(Limited(0));
  auto none = empty->Next(&batch);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
}

TEST(OrderGenerator, UnlimitedStreamKeepsGoing) {
  GeneratorOptions options;
  options.batch_size = 1000;
  auto gen = MakeGenerator(options);
  SourceBatch batch;
  for (int i = 0; i < 20; ++i) {
    auto more = gen->Next(&batch);
    ASSERT_TRUE(more.ok());
    ASSERT_TRUE(*more);
    EXPECT_EQ(batch.records->num_rows(), 1000);
  }
  EXPECT_EQ(gen->totals().records, 20000);
}

TEST(OrderGenerator, SkipToResumesTheSameStream) {
  auto full = MakeGenerator(Dirty(4000));
  const std::vector<Row> rows = AllRows(*full);

  auto resumed = MakeGenerator(Dirty(4000));
  ASSERT_TRUE(resumed->SkipTo(2500).ok());
  EXPECT_EQ(resumed->next_sequence(), 2500);
  const std::vector<Row> tail = AllRows(*resumed);
  EXPECT_EQ(tail, std::vector<Row>(rows.begin() + 2500, rows.end()));
  // Totals cover the skipped records too.
  EXPECT_EQ(resumed->totals().records, 4000);
  EXPECT_EQ(resumed->totals().revenue_cents, full->totals().revenue_cents);
  EXPECT_EQ(resumed->totals().orders, full->totals().orders);

  // Backwards restarts from the seed.
  ASSERT_TRUE(resumed->SkipTo(100).ok());
  EXPECT_EQ(resumed->totals().records, 100);
  EXPECT_EQ(AllRows(*resumed), std::vector<Row>(rows.begin() + 100, rows.end()));

  // Past the limit stops at the limit.
  ASSERT_TRUE(resumed->SkipTo(1'000'000).ok());
  EXPECT_EQ(resumed->next_sequence(), 4000);
}

TEST(OrderGenerator, CleanStreamPassesEverySilverRuleWithIncreasingIds) {
  auto gen = MakeGenerator(Limited(20000));
  int64_t last_pizza_id = 0, last_order_id = 0, last_moment = -1, lines = 0;
  ForEachRecord(*gen, [&](const RawFields& f, int64_t) {
    silver::CleanLine line;
    ASSERT_EQ(silver::Validate(f, DateOrder::kDayFirst, &line), Rule::kOk);
    EXPECT_EQ(line.order_item_id, last_pizza_id + 1);
    EXPECT_TRUE(line.order_id == last_order_id || line.order_id == last_order_id + 1);
    const int64_t moment = int64_t{line.order_date} * 86400 + line.order_seconds;
    EXPECT_GE(moment, last_moment);
    if (line.order_id == last_order_id) {
      EXPECT_EQ(moment, last_moment);
    }
    last_pizza_id = line.order_item_id;
    last_order_id = line.order_id;
    last_moment = moment;
    // The line agrees with the menu.
    const MenuItem* item = FindMenuItem(line.pizza_name_id);
    ASSERT_NE(item, nullptr);
    EXPECT_EQ(line.unit_cents, item->unit_price_cents);
    EXPECT_EQ(line.pizza_size, item->size);
    EXPECT_EQ(line.pizza_name, PizzaTypes()[item->type].name);
    EXPECT_EQ(line.pizza_ingredients, PizzaTypes()[item->type].ingredients);
    EXPECT_EQ(line.pizza_category, CategoryName(PizzaTypes()[item->type].category));
    ++lines;
  });
  EXPECT_EQ(lines, 20000);
  const GeneratorTotals& t = gen->totals();
  EXPECT_EQ(t.clean_lines, 20000);
  EXPECT_EQ(t.dirty, 0);
  EXPECT_EQ(t.duplicates, 0);
  // The simulated clock is at the last record's order.
  EXPECT_EQ(gen->simulated_time().time_since_epoch().count(), last_moment);
}

TEST(OrderGenerator, TotalsEqualWhatSilverWouldKeep) {
  auto gen = MakeGenerator(Dirty(60000));
  const Recomputed r = Recompute(*gen);
  const GeneratorTotals& t = gen->totals();
  EXPECT_EQ(r.records, 60000);
  EXPECT_EQ(t.records, 60000);
  EXPECT_EQ(t.records, t.clean_lines + t.dirty + t.duplicates);
  EXPECT_EQ(r.rejected, t.dirty);
  EXPECT_EQ(r.duplicates, t.duplicates);
  EXPECT_EQ(r.clean, t.clean_lines);
  EXPECT_EQ(r.revenue_cents, t.revenue_cents);
  EXPECT_EQ(r.pizzas, t.pizzas);
  EXPECT_EQ(static_cast<int64_t>(r.orders.size()), t.orders);
  EXPECT_EQ(static_cast<int64_t>(r.dates.size()), t.order_dates);
  auto top = std::max_element(r.revenue_by_name.begin(), r.revenue_by_name.end(),
                              [](const auto& a, const auto& b) { return a.second < b.second; });
  EXPECT_EQ(top->first, t.TopPizzaByRevenue());
  for (size_t i = 0; i < PizzaTypes().size(); ++i) {
    auto it = r.revenue_by_name.find(std::string(PizzaTypes()[i].name));
    EXPECT_EQ(it == r.revenue_by_name.end() ? 0 : it->second, t.revenue_cents_by_type[i]);
  }
  // Roughly the requested rates.
  EXPECT_NEAR(static_cast<double>(t.dirty) / t.records, 0.05, 0.005);
  EXPECT_NEAR(static_cast<double>(t.duplicates) / t.records, 0.03, 0.005);
}

TEST(OrderGenerator, EveryDirtyRecordBreaksExactlyOneRule) {
  auto gen = MakeGenerator(Dirty(60000));
  const Recomputed r = Recompute(*gen);
  EXPECT_EQ(r.multi_rule_records, 0);
  EXPECT_EQ(r.rejected, gen->totals().dirty);
  // Every kind of dirt shows up.
  for (int k = 0; k < kDirtyKindCount; ++k) {
    EXPECT_GT(gen->totals().dirty_by_kind[k], 0) << DirtyKindName(static_cast<DirtyKind>(k));
  }
}

TEST(OrderGenerator, DuplicatesAreExactResendsOfCleanLines) {
  auto gen = MakeGenerator(Dirty(30000));
  const Recomputed r = Recompute(*gen);
  EXPECT_GT(r.duplicates, 0);
  EXPECT_EQ(r.duplicates_not_exact, 0);
}

TEST(OrderGenerator, DistributionsFollowTheRealShop) {
  GeneratorOptions options = Limited(100000);
  auto gen = MakeGenerator(options);
  std::array<int64_t, 24> orders_by_hour{};
  std::array<int64_t, 8> orders_by_weekday{};
  std::map<std::string, int64_t> channels;
  std::map<char, int64_t> date_separators;
  int64_t last_order = 0, single_pizza_lines = 0, lines = 0, pos_export_spelling = 0;
  ForEachRecord(*gen, [&](const RawFields& f, int64_t) {
    silver::CleanLine line;
    ASSERT_EQ(silver::Validate(f, DateOrder::kDayFirst, &line), Rule::kOk);
    ++lines;
    if (line.quantity == 1) ++single_pizza_lines;
    if (line.order_id == last_order) return;
    last_order = line.order_id;
    ++orders_by_hour[line.order_seconds / 3600];
    ++orders_by_weekday[IsoWeekday(line.order_date)];
    ++channels[std::string(line.order_channel)];
    const std::string_view date = *f[kDate];
    const char sep = date[date.find_first_not_of("0123456789")];
    ++date_separators[sep];
    const int day = FromEpochDay(line.order_date).day;
    if ((sep == '/' && day <= 12) ||
        (sep == '-' && date.size() == 10 && date[2] == '-' && day > 12)) {
      ++pos_export_spelling;
    }
  });
  const GeneratorTotals& t = gen->totals();
  const double orders = static_cast<double>(t.orders);
  EXPECT_NEAR(t.clean_lines / orders, 2.28, 0.05);
  EXPECT_NEAR(t.pizzas / orders, 2.32, 0.05);
  EXPECT_NEAR(t.revenue_cents / orders / 100, 38.31, 1.0);
  EXPECT_NEAR(orders / t.order_dates, 59.64, 2.0);
  EXPECT_NEAR(static_cast<double>(single_pizza_lines) / lines, 0.981, 0.005);

  for (int h = 0; h < 9; ++h) EXPECT_EQ(orders_by_hour[h], 0) << h;
  const auto peak = std::max_element(orders_by_hour.begin(), orders_by_hour.end());
  EXPECT_TRUE(peak - orders_by_hour.begin() == 12 || peak - orders_by_hour.begin() == 13);
  EXPECT_GT(orders_by_hour[18], orders_by_hour[15] * 1.4);
  EXPECT_LT(orders_by_hour[23], orders / 200);
  const auto busiest = std::max_element(orders_by_weekday.begin(), orders_by_weekday.end());
  EXPECT_EQ(busiest - orders_by_weekday.begin(), 5);      // Friday
  EXPECT_LT(orders_by_weekday[7], orders_by_weekday[1]);  // Sunday is the quietest

  EXPECT_NEAR(channels["in_store"] / orders, 0.45, 0.02);
  EXPECT_NEAR(channels["web"] / orders, 0.25, 0.02);
  EXPECT_NEAR(channels["phone"] / orders, 0.20, 0.02);
  EXPECT_NEAR(channels["app"] / orders, 0.10, 0.02);
  EXPECT_NEAR(date_separators['.'] / orders, 0.05, 0.01);
  EXPECT_NEAR((date_separators['/'] + date_separators['-']) / orders, 0.95, 0.01);
  EXPECT_GT(pos_export_spelling, orders * 0.85);
}

TEST(OrderGenerator, DateSpellingsAreTheRequestedOnes) {
  GeneratorOptions options = Limited(3000);
  options.date_formats = {.pos_export = 0, .slash = 0, .dash = 0, .dot = 0, .iso = 1};
  auto iso = MakeGenerator(options);
  ForEachRecord(*iso, [&](const RawFields& f, int64_t) {
    ASSERT_EQ(f[kDate]->size(), 10u);
    EXPECT_EQ((*f[kDate])[4], '-');
    EXPECT_EQ(f[kDate]->substr(0, 2), "20");
  });
  options.date_formats = {.pos_export = 0, .slash = 0, .dash = 0, .dot = 1, .iso = 0};
  auto dot = MakeGenerator(options);
  ForEachRecord(*dot, [&](const RawFields& f, int64_t) {
    EXPECT_NE(f[kDate]->find('.'), std::string_view::npos) << *f[kDate];
  });
}

TEST(OrderGenerator, MenuFieldsTravelAsOneDictionaryEachForTheWholeStream) {
  // Fields drawn from short lists come as dictionaries, so nothing downstream hashes their text
  // again; each holds distinct values (Parquet keeps a dictionary with repeats only as plain
  // text) and is the same in every batch (the lake keeps one dictionary per row group).
  GeneratorOptions options;
  options.limit = 20000;
  options.batch_size = 1000;
  options.dirty_rate = 0.2;
  options.duplicate_rate = 0.1;
  auto gen = MakeGenerator(options);
  const std::set<int> dictionary_fields = {
      field::kPizzaNameId,      field::kQuantity,  field::kUnitPrice,
      field::kTotalPrice,       field::kPizzaSize, field::kPizzaCategory,
      field::kPizzaIngredients, field::kPizzaName, field::kOrderChannel};
  std::map<int, std::shared_ptr<arrow::Array>> first;
  SourceBatch batch;
  while (gen->Next(&batch).ValueOrDie()) {
    for (int c = 0; c < batch.records->num_columns(); ++c) {
      const auto& column = batch.records->column(c);
      if (!dictionary_fields.count(c)) {
        EXPECT_EQ(column->type_id(), arrow::Type::STRING) << kSourceColumns[c];
        continue;
      }
      ASSERT_EQ(column->type_id(), arrow::Type::DICTIONARY) << kSourceColumns[c];
      const auto& values = static_cast<const arrow::DictionaryArray&>(*column).dictionary();
      auto [seen, is_first] = first.try_emplace(c, values);
      EXPECT_TRUE(seen->second->Equals(*values)) << kSourceColumns[c];
      if (!is_first) continue;
      std::set<std::string_view> distinct;
      const auto& text = static_cast<const arrow::StringArray&>(*values);
      for (int64_t v = 0; v < text.length(); ++v) distinct.insert(text.GetView(v));
      EXPECT_EQ(static_cast<int64_t>(distinct.size()), text.length()) << kSourceColumns[c];
    }
  }
  EXPECT_EQ(first.size(), dictionary_fields.size());
}

TEST(OrderGenerator, StartsAtTheStartDateAndKeepsUtf8) {
  GeneratorOptions options = Limited(20000);
  options.start_date = std::chrono::year{2020} / std::chrono::March / 3;
  options.date_formats = {.pos_export = 0, .slash = 0, .dash = 0, .dot = 0, .iso = 1};
  auto gen = MakeGenerator(options);
  std::optional<std::string> first_date;
  int64_t calabrese = 0;
  ForEachRecord(*gen, [&](const RawFields& f, int64_t) {
    if (!first_date) first_date = std::string(*f[kDate]);
    if (f[kName] == "The Calabrese Pizza") {
      ++calabrese;
      EXPECT_EQ(f[kIngredients]->substr(0, 8), "\xE2\x80\x98Nduja");
    }
  });
  EXPECT_EQ(first_date, "2020-03-03");
  EXPECT_GT(calabrese, 0);
}

TEST(OrderGenerator, SpeedTellsWhenTheSimulatedClockIsDue) {
  auto without = MakeGenerator(Limited(100));
  EXPECT_FALSE(without->due_wall_seconds().has_value());
  GeneratorOptions options = Limited(500);
  options.speed = 3600;  // one simulated hour per second
  auto gen = MakeGenerator(options);
  EXPECT_EQ(*gen->due_wall_seconds(), 0);
  const auto start = gen->simulated_time();
  SourceBatch batch;
  ASSERT_TRUE(gen->Next(&batch).ok());
  const double simulated = std::chrono::duration<double>(gen->simulated_time() - start).count();
  EXPECT_GT(simulated, 3600);
  EXPECT_NEAR(*gen->due_wall_seconds(), simulated / 3600, 1.0 / 3600);
}

TEST(OrderGenerator, RejectsOptionsOutOfRange) {
  auto bad = [](auto change) {
    GeneratorOptions options;
    change(options);
    return OrderGenerator::Make(options).status().IsInvalid();
  };
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.batch_size = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.limit = -1; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.speed = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.orders_per_day = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) {
    o.dirty_rate = 0.7;
    o.duplicate_rate = 0.4;
  }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.dirty_rate = -0.1; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.channels.web = -1; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.date_formats = {0, 0, 0, 0, 0}; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) {
    o.start_date = std::chrono::year{2015} / std::chrono::February / 30;
  }));
  EXPECT_FALSE(bad([](GeneratorOptions&) {}));
}

TEST(OrderGenerator, FailsInsteadOfRunningPastTheYear9999) {
  GeneratorOptions options;
  options.start_date = std::chrono::year{9999} / std::chrono::December / 30;
  options.batch_size = 1000;
  auto gen = MakeGenerator(options);
  SourceBatch batch;
  Status status;
  for (int i = 0; i < 10 && status.ok(); ++i) status = gen->Next(&batch).status();
  EXPECT_TRUE(status.IsInvalid()) << status.ToString();
}

}  // namespace
}  // namespace pizzastream::sources
