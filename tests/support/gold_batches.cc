#include "support/gold_batches.h"

#include <arrow/builder.h>

#include <map>
#include <set>
#include <stdexcept>

#include "gold/dimension_rows.h"
#include "gold/dimensions.h"
#include "gold/gold_schema.h"

namespace pizzastream::testing {

namespace {

void Check(const arrow::Status& st) {
  if (!st.ok()) throw std::runtime_error(st.ToString());
}

std::shared_ptr<arrow::Array> Finish(arrow::ArrayBuilder& builder) {
  std::shared_ptr<arrow::Array> array;
  Check(builder.Finish(&array));
  return array;
}

// Column builders in schema order; Append* write one cell to column `i`.
class Columns {
 public:
  explicit Columns(std::shared_ptr<arrow::Schema> schema) : schema_(std::move(schema)) {
    for (const auto& field : schema_->fields()) {
      std::unique_ptr<arrow::ArrayBuilder> builder;
      Check(arrow::MakeBuilder(arrow::default_memory_pool(), field->type(), &builder));
      builders_.push_back(std::move(builder));
    }
  }
  template <typename Builder, typename T>
  void Append(int i, const T& value) {
    Check(static_cast<Builder&>(*builders_[i]).Append(value));
  }
  void Int32(int i, int32_t v) { Append<arrow::Int32Builder>(i, v); }
  void Int64(int i, int64_t v) { Append<arrow::Int64Builder>(i, v); }
  void Date(int i, EpochDay v) { Append<arrow::Date32Builder>(i, v); }
  void Text(int i, std::string_view v) { Append<arrow::StringBuilder>(i, v); }
  void Cents(int i, int64_t v) { Append<arrow::Decimal128Builder>(i, arrow::Decimal128(v)); }

  std::shared_ptr<arrow::RecordBatch> Batch() {
    std::vector<std::shared_ptr<arrow::Array>> arrays;
    for (auto& builder : builders_) arrays.push_back(Finish(*builder));
    const int64_t rows = arrays.empty() ? 0 : arrays.front()->length();
    return arrow::RecordBatch::Make(schema_, rows, arrays);
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
  std::vector<std::unique_ptr<arrow::ArrayBuilder>> builders_;
};

}  // namespace

std::vector<MenuItem> SampleMenu() {
  return {
      {"hawaiian_m", "M", "The Hawaiian Pizza", "Classic",
       "Sliced Ham, Pineapple, Mozzarella Cheese", 1325},
      {"hawaiian_l", "L", "The Hawaiian Pizza", "Classic",
       "Sliced Ham, Pineapple, Mozzarella Cheese", 1650},
      {"thai_ckn_l", "L", "The Thai Chicken Pizza", "Chicken",
       "Chicken, Pineapple, Tomatoes, Red Peppers, Thai Sweet Chilli Sauce", 2075},
      {"five_cheese_l", "L", "The Five Cheese Pizza", "Veggie",
       "Mozzarella Cheese, Provolone Cheese, Smoked Gouda Cheese, Romano Cheese", 1850},
      {"big_meat_s", "S", "The Big Meat Pizza", "Classic",
       "Bacon, Pepperoni, Italian Sausage, Chorizo Sausage", 1200},
      {"spinach_supr_xl", "XL", "The Spinach Supreme Pizza", "Supreme",
       "Spinach, Red Onions, Pepperoni, Tomatoes, Artichokes", 2550},
  };
}

std::vector<OrderLine> SyntheticLines(int64_t first_item_id, int64_t count, size_t menu_size) {
  static const char* kChannels[] = {"in_store", "phone", "web", "app"};
  const EpochDay first_day = ToEpochDay({2015, 1, 1});
  std::vector<OrderLine> lines;
  lines.reserve(count);
  for (int64_t i = 0; i < count; ++i) {
    const int64_t item = first_item_id + i;
    const int64_t order = item * 10 / 23 + 1;  // ~2.3 lines per order
    OrderLine line;
    line.order_item_id = item;
    line.order_id = order;
    line.day = first_day + static_cast<EpochDay>(order / 60);  // ~60 orders a day
    line.time_id = static_cast<int32_t>(10 + order % 14) * 100 + static_cast<int32_t>(order % 60);
    line.menu_index = static_cast<size_t>((item * 7 + order) % menu_size);
    line.quantity = static_cast<int32_t>(1 + item % 3 / 2);
    line.channel = kChannels[order % 4];  // one channel per order
    lines.push_back(line);
  }
  return lines;
}

std::shared_ptr<arrow::RecordBatch> DimDateBatch(const std::vector<OrderLine>& lines) {
  std::set<EpochDay> days;
  for (const auto& l : lines) days.insert(l.day);
  gold::DimDateRows rows;
  for (EpochDay day : days) Check(rows.Add(day));
  return rows.Finish().ValueOrDie();
}

std::shared_ptr<arrow::RecordBatch> DimTimeBatch(const std::vector<OrderLine>& lines) {
  std::set<int32_t> times;
  for (const auto& l : lines) times.insert(l.time_id);
  gold::DimTimeRows rows;
  for (int32_t time_id : times) Check(rows.Add(time_id));
  return rows.Finish().ValueOrDie();
}

std::shared_ptr<arrow::RecordBatch> DimPizzaBatch(const std::vector<MenuItem>& menu) {
  Columns c(gold::DimPizzaSchema());
  for (const auto& m : menu) {
    c.Int64(0, gold::PizzaSurrogateKey(m.pizza_name_id));
    c.Text(1, m.pizza_name_id);
    c.Text(2, gold::PizzaBaseId(m.pizza_name_id, m.size));
    c.Text(3, m.size);
    c.Cents(4, m.price_cents);
    c.Text(5, m.ingredients);
    c.Text(6, m.name);
    c.Text(7, m.category);
  }
  return c.Batch();
}

std::shared_ptr<arrow::RecordBatch> FactBatch(const std::vector<OrderLine>& lines,
                                              const std::vector<MenuItem>& menu) {
  Columns c(gold::FactOrderItemSchema());
  for (const auto& l : lines) {
    const MenuItem& m = menu.at(l.menu_index);
    c.Int64(0, l.order_item_id);
    c.Int64(1, l.order_id);
    c.Date(2, l.day);
    c.Int32(3, gold::DeriveDate(l.day).date_id);
    c.Int32(4, l.time_id);
    c.Int64(5, gold::PizzaSurrogateKey(m.pizza_name_id));
    c.Int32(6, l.quantity);
    c.Cents(7, m.price_cents);
    c.Cents(8, m.price_cents * l.quantity);
    c.Text(9, l.channel);
  }
  return c.Batch();
}

warehouse::GoldChunk ChunkOf(const std::vector<OrderLine>& lines, const std::vector<MenuItem>& menu,
                             warehouse::LoadPositions positions) {
  warehouse::GoldChunk chunk;
  chunk.batches["dim_date"] = {DimDateBatch(lines)};
  chunk.batches["dim_time"] = {DimTimeBatch(lines)};
  chunk.batches["dim_pizza"] = {DimPizzaBatch(menu)};
  chunk.batches["fact_order_item"] = {FactBatch(lines, menu)};
  chunk.positions = std::move(positions);
  return chunk;
}

warehouse::KpiFigures ExpectedKpi(const std::vector<OrderLine>& lines,
                                  const std::vector<MenuItem>& menu) {
  warehouse::KpiFigures k;
  std::set<int64_t> orders;
  std::set<EpochDay> days;
  std::map<std::string, int64_t> revenue_by_name;
  for (const auto& l : lines) {
    const MenuItem& m = menu.at(l.menu_index);
    k.revenue_cents += m.price_cents * l.quantity;
    k.pizzas += l.quantity;
    orders.insert(l.order_id);
    days.insert(l.day);
    revenue_by_name[m.name] += m.price_cents * l.quantity;
  }
  k.orders = static_cast<int64_t>(orders.size());
  k.order_days = static_cast<int64_t>(days.size());
  k.fact_rows = static_cast<int64_t>(lines.size());
  int64_t best = -1;
  for (const auto& [name, revenue] : revenue_by_name) {  // by name ascending: ties keep the first
    if (revenue > best) {
      best = revenue;
      k.top_pizza = name;
    }
  }
  return k;
}

warehouse::GoldChunk WithScannedFacts(warehouse::GoldChunk chunk, int64_t rows, int fail_after) {
  auto facts = std::move(chunk.batches["fact_order_item"]);
  chunk.batches.erase("fact_order_item");
  chunk.scans["fact_order_item"] = [facts, rows,
                                    fail_after](const warehouse::BatchVisitor& each) -> Status {
    int slices = 0;
    for (const auto& batch : facts) {
      for (int64_t at = 0; at < batch->num_rows(); at += rows) {
        if (slices++ == fail_after) return Status::IOError("disk went away");
        ARROW_RETURN_NOT_OK(each(*batch->Slice(at, rows)));
      }
    }
    return Status::OK();
  };
  return chunk;
}

}  // namespace pizzastream::testing
