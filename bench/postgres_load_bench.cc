// Load throughput of the PostgreSQL warehouse: >= 2 million fact rows through Warehouse::Load
// (COPY into staging, upsert recording fact_load_ranges, positions, in chunks as the load stage
// sends them) beside a plain `COPY` of the same rows from a file with psql's \copy into the same
// table (the server's ceiling), printed as rows/s and their ratio.
//
//   postgres_load_bench [fact_rows (default 2000000)] [rows_per_load (default 100000, as the
//   load stage)]
//
// Starts a throwaway server with scripts/postgres unless PIZZASTREAM_BENCH_POSTGRES_URL names
// one (its schema pizza_sales is dropped and recreated).
#include <arrow/builder.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "gold/dimension_rows.h"
#include "gold/dimensions.h"
#include "gold/gold_schema.h"
#include "warehouse/postgres_copy_cells.h"
#include "warehouse/postgres_load.h"
#include "warehouse/postgres_warehouse.h"

namespace {

using pizzastream::EpochDay;
using pizzastream::warehouse::GoldChunk;
namespace gold = pizzastream::gold;
namespace fs = std::filesystem;

const fs::path kRepo = fs::path(__FILE__).parent_path().parent_path();

fs::path scratch_dir;  // removed on every exit, with the COPY file in it

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "postgres_load_bench: " << what << "\n";
  if (!scratch_dir.empty()) fs::remove_all(scratch_dir);
  std::exit(1);
}
void Check(const arrow::Status& st, const char* what) {
  if (!st.ok()) Die(std::string(what) + ": " + st.ToString());
}

// Runs a shell command; returns its stdout's last line.
std::string Shell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) Die("cannot run " + command);
  std::string out, line;
  char buffer[4096];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) out += buffer;
  if (pclose(pipe) != 0) Die("failed: " + command);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  const size_t nl = out.rfind('\n');
  return nl == std::string::npos ? out : out.substr(nl + 1);
}

struct Pizza {
  const char* id;
  const char* size;
  const char* name;
  const char* category;
  int64_t cents;
};
constexpr Pizza kMenu[] = {
    {"hawaiian_s", "S", "The Hawaiian Pizza", "Classic", 1050},
    {"hawaiian_m", "M", "The Hawaiian Pizza", "Classic", 1325},
    {"hawaiian_l", "L", "The Hawaiian Pizza", "Classic", 1650},
    {"thai_ckn_m", "M", "The Thai Chicken Pizza", "Chicken", 1675},
    {"thai_ckn_l", "L", "The Thai Chicken Pizza", "Chicken", 2075},
    {"five_cheese_l", "L", "The Five Cheese Pizza", "Veggie", 1850},
    {"big_meat_s", "S", "The Big Meat Pizza", "Classic", 1200},
    {"spinach_supr_xl", "XL", "The Spinach Supreme Pizza", "Supreme", 2550},
    {"the_greek_xxl", "XXL", "The Greek Pizza", "Classic", 3595},
    {"pepperoni_m", "M", "The Pepperoni Pizza", "Classic", 1250},
};
constexpr const char* kChannels[] = {"in_store", "phone", "web", "app"};
constexpr size_t kMenuSize = sizeof(kMenu) / sizeof(kMenu[0]);

// Days the generated orders spread over (from 2015-01-01), as a busy pizzeria's three years.
constexpr int64_t kDays = 3 * 365;

// Fact rows [first, first + count) of `all`: ~2.3 lines per order, spread evenly over kDays.
std::shared_ptr<arrow::RecordBatch> FactBatch(int64_t first, int64_t count, int64_t all) {
  const EpochDay day0 = pizzastream::ToEpochDay({2015, 1, 1});
  arrow::Int64Builder item, order, pizza;
  arrow::Date32Builder date;
  arrow::Int32Builder date_id, time_id, quantity;
  arrow::Decimal128Builder unit(arrow::decimal128(8, 2)), total(arrow::decimal128(10, 2));
  arrow::StringBuilder channel;
  for (int64_t i = first; i < first + count; ++i) {
    const int64_t o = i * 10 / 23 + 1;
    const EpochDay day = day0 + static_cast<EpochDay>((i - 1) * kDays / all);
    const Pizza& p = kMenu[(i * 7 + o) % kMenuSize];
    const int32_t q = static_cast<int32_t>(1 + i % 3 / 2);
    Check(item.Append(i), "append");
    Check(order.Append(o), "append");
    Check(date.Append(day), "append");
    Check(date_id.Append(gold::DeriveDate(day).date_id), "append");
    Check(time_id.Append(static_cast<int32_t>((10 + o % 14) * 100 + o % 60)), "append");
    Check(pizza.Append(gold::PizzaSurrogateKey(p.id)), "append");
    Check(quantity.Append(q), "append");
    Check(unit.Append(arrow::Decimal128(p.cents)), "append");
    Check(total.Append(arrow::Decimal128(p.cents * q)), "append");
    Check(channel.Append(kChannels[o % 4]), "append");
  }
  std::vector<std::shared_ptr<arrow::Array>> columns;
  for (arrow::ArrayBuilder* b : std::initializer_list<arrow::ArrayBuilder*>{
           &item, &order, &date, &date_id, &time_id, &pizza, &quantity, &unit, &total, &channel}) {
    columns.push_back(*b->Finish());
  }
  return arrow::RecordBatch::Make(gold::FactOrderItemSchema(), count, columns);
}

// Every dimension row the facts can name.
GoldChunk Dimensions() {
  const EpochDay day0 = pizzastream::ToEpochDay({2015, 1, 1});
  const int64_t days = kDays;
  gold::DimDateRows dates;
  for (EpochDay day = day0; day <= day0 + days; ++day) Check(dates.Add(day), "date");
  gold::DimTimeRows times;
  for (int32_t h = 0; h < 24; ++h) {
    for (int32_t m = 0; m < 60; ++m) Check(times.Add(h * 100 + m), "time");
  }
  gold::DimPizzaRows pizzas;
  for (const Pizza& p : kMenu) {
    Check(
        pizzas.Add({gold::PizzaSurrogateKey(p.id), p.id, p.size, "Mozzarella Cheese, Tomato Sauce",
                    p.name, p.category, arrow::Decimal128(p.cents)}),
        "pizza");
  }
  GoldChunk chunk;
  chunk.batches["dim_date"] = {*dates.Finish()};
  chunk.batches["dim_time"] = {*times.Finish()};
  chunk.batches["dim_pizza"] = {*pizzas.Finish()};
  return chunk;
}

// The fact rows as a COPY text file (the generated values need no escaping).
void WriteCopyFile(const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches,
                   const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  std::string line;
  std::vector<const char*> cells;
  for (const auto& batch : batches) {
    auto encoder = pizzastream::warehouse::CopyCells::Make(batch);
    if (!encoder.ok()) Die(encoder.status().ToString());
    cells.resize(encoder->num_columns());
    for (int64_t r = 0; r < encoder->num_rows(); ++r) {
      encoder->Row(r, cells.data());
      line.clear();
      for (size_t c = 0; c < cells.size(); ++c) {
        if (c > 0) line += '\t';
        line += cells[c];
      }
      line += '\n';
      out << line;
    }
  }
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 2000000;
  const int64_t per_load = argc > 2 ? std::atoll(argv[2]) : 100000;
  if (rows <= 0 || per_load <= 0) Die("usage: postgres_load_bench [fact_rows] [rows_per_load]");

  char scratch_template[] = "/tmp/pizzastream-pgbench-XXXXXX";
  if (mkdtemp(scratch_template) == nullptr) Die("mkdtemp");
  const fs::path scratch = scratch_template;
  scratch_dir = scratch;
  std::string url;
  std::string stop_server;
  if (const char* given = std::getenv("PIZZASTREAM_BENCH_POSTGRES_URL")) {
    url = given;
  } else {
    const std::string env = "POSTGRES_STATE_DIR=" + (scratch / "state").string() +
                            " POSTGRES_OWNER_PID=" + std::to_string(getpid()) + " ";
    url = Shell(env + (kRepo / "scripts/postgres").string() + " start");
    stop_server = env + (kRepo / "scripts/postgres").string() + " stop >/dev/null 2>&1";
  }

  std::cout << "generating " << rows << " fact rows\n" << std::flush;
  std::vector<std::shared_ptr<arrow::RecordBatch>> facts;
  for (int64_t first = 1; first <= rows; first += per_load) {
    facts.push_back(FactBatch(first, std::min(per_load, rows - first + 1), rows));
  }
  const fs::path copy_file = scratch / "fact_order_item.tsv";
  WriteCopyFile(facts, copy_file);

  {
    pqxx::connection c(url);
    pqxx::nontransaction(c).exec("DROP SCHEMA IF EXISTS pizza_sales CASCADE");
  }
  auto opened = pizzastream::warehouse::OpenPostgresWarehouse(url);
  if (!opened.ok()) Die(opened.status().ToString());
  auto& wh = **opened;
  Check(wh.Init(), "init");
  Check(wh.Load(Dimensions()), "dimensions");
  const std::string truncate =
      "TRUNCATE pizza_sales.fact_order_item, pizza_sales.fact_load_ranges, "
      "pizza_sales.load_position";
  auto exec = [&](std::initializer_list<std::string> statements) {
    pqxx::connection c(url);
    for (const auto& sql : statements) pqxx::nontransaction(c).exec(sql);
  };

  // Ceiling: psql \copy of the same rows into the same table (keys, foreign keys, indexes).
  exec({truncate, "CHECKPOINT"});
  auto start = std::chrono::steady_clock::now();
  Shell("psql -X -q '" + url + "' -c \"\\copy pizza_sales.fact_order_item FROM '" +
        copy_file.string() + "'\"");
  const double copy_s = Seconds(start);

  // Warehouse::Load, chunk by chunk as the load stage sends them.
  exec({truncate, "VACUUM ANALYZE pizza_sales.fact_order_item", "CHECKPOINT"});
  start = std::chrono::steady_clock::now();
  int64_t version = 0;
  for (const auto& batch : facts) {
    GoldChunk chunk;
    chunk.batches["fact_order_item"] = {batch};
    chunk.positions["fact_order_item"] = version++;
    Check(wh.Load(chunk), "load");
  }
  const double load_s = Seconds(start);
  auto kpi = wh.Kpi();
  if (!kpi.ok() || kpi->fact_rows != rows) Die("the warehouse does not hold every row");

  auto rate = [&](double seconds) { return static_cast<double>(rows) / seconds; };
  std::printf("rows                          %lld (%lld per Load)\n", static_cast<long long>(rows),
              static_cast<long long>(per_load));
  std::printf("plain COPY (psql \\copy)       %8.2f s  %10.0f rows/s\n", copy_s, rate(copy_s));
  std::printf("Warehouse::Load                %8.2f s  %10.0f rows/s  %5.2fx COPY time\n", load_s,
              rate(load_s), load_s / copy_s);
  opened->reset();
  if (!stop_server.empty() && std::system(stop_server.c_str()) != 0)
    Die("could not stop the server");
  fs::remove_all(scratch);
  return 0;
}
