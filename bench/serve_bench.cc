// How fast the dashboard answers with a big warehouse: loads N fact rows (default 5 million,
// the real 91-item menu, 4 channels, ~2.5 lines an order, spread over D days) into a SQLite
// warehouse through Warehouse::Load, as the pipeline does, then reports how long the server's
// in-memory view (serve/sales_view.h) takes to read them and what it holds, starts the dashboard
// server and measures p50/p99/max of every API call the page makes, unfiltered and under
// slicers, over HTTP on loopback, without and with the result cache. Then C keep-alive clients
// at once (default 50), each making the page's calls over its own connection again and again:
// p50/p99/max per endpoint, as with many dashboards open.
//
//   serve_bench [--rows N] [--days D | --orders-per-day X] [--requests R] [--clients C]
//               [--dir DIR] [--keep]
//   dense: --days 730 (the default, ~2,700 orders a day); sparse: --orders-per-day 59.64 (the
//   generator's default, the real shop: 5M rows span ~90 years). --keep reuses
//   DIR/warehouse.db when it already holds N rows.
#include <arrow/builder.h>
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gold/dimension_rows.h"
#include "gold/dimensions.h"
#include "gold/gold_schema.h"
#include "serve/dashboard_server.h"
#include "serve/sales_view.h"
#include "sources/menu.h"
#include "warehouse/warehouse.h"

namespace pizzastream {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int64_t rows = 5'000'000;
  int days = 730;
  int requests = 200;
  int clients = 50;  // concurrent keep-alive clients (0: skip that part)
  std::string dir;
  bool keep = false;
};

template <typename T>
T Must(arrow::Result<T> r) {
  if (!r.ok()) {
    std::cerr << "serve_bench: " << r.status().ToString() << "\n";
    std::exit(1);
  }
  return std::move(r).ValueUnsafe();
}

void Must(const Status& st) {
  if (!st.ok()) {
    std::cerr << "serve_bench: " << st.ToString() << "\n";
    std::exit(1);
  }
}

std::shared_ptr<arrow::Array> Done(arrow::ArrayBuilder& b) { return Must(b.Finish()); }

// One chunk of synthetic fact rows with the dimension rows they use.
class ChunkBuilder {
 public:
  explicit ChunkBuilder(const Options& o) : days_(o.days), rows_(o.rows), rng_(42) {
    const auto weights = [] {
      std::vector<double> w;
      for (const auto& item : sources::MenuItems())
        w.push_back(static_cast<double>(item.lines_2015));
      return w;
    }();
    item_ = std::discrete_distribution<size_t>(weights.begin(), weights.end());
  }

  // Fact rows from order_item_id `first`, whole orders, about `count` of them.
  warehouse::GoldChunk Next(int64_t first, int64_t count, int64_t version) {
    static const char* kChannels[] = {"in_store", "in_store", "web", "phone", "app"};
    arrow::Int64Builder item_id, order_id, pizza_sk;
    arrow::Date32Builder order_date;
    arrow::Int32Builder date_id, time_id, quantity;
    arrow::Decimal128Builder unit_price(arrow::decimal128(8, 2)),
        total_price(arrow::decimal128(10, 2));
    arrow::StringBuilder channel;
    std::set<EpochDay> days;
    std::set<int32_t> times;
    const EpochDay first_day = ToEpochDay({2015, 1, 1});
    int64_t id = first;
    while (id < first + count) {
      const int64_t order = next_order_++;
      // Orders arrive in time order, as from the stream: a chunk covers a few days.
      const EpochDay day = first_day + static_cast<EpochDay>(std::min<int64_t>(
                                           days_ - 1, order * 5 * days_ / (2 * rows_)));
      const int32_t time =
          static_cast<int32_t>(10 + rng_() % 14) * 100 + static_cast<int32_t>(rng_() % 60);
      const char* ch = kChannels[rng_() % 5];
      const int lines = 1 + static_cast<int>(rng_() % 4);
      days.insert(day);
      times.insert(time);
      for (int l = 0; l < lines; ++l, ++id) {
        const auto& item = sources::MenuItems()[item_(rng_)];
        const int32_t q = rng_() % 20 == 0 ? 2 : 1;
        Must(item_id.Append(id));
        Must(order_id.Append(order));
        Must(order_date.Append(day));
        Must(date_id.Append(gold::DeriveDate(day).date_id));
        Must(time_id.Append(time));
        Must(pizza_sk.Append(gold::PizzaSurrogateKey(item.pizza_name_id)));
        Must(quantity.Append(q));
        Must(unit_price.Append(arrow::Decimal128(item.unit_price_cents)));
        Must(total_price.Append(arrow::Decimal128(item.unit_price_cents * q)));
        Must(channel.Append(ch));
      }
    }
    warehouse::GoldChunk chunk;
    chunk.batches["fact_order_item"] = {arrow::RecordBatch::Make(
        gold::FactOrderItemSchema(), id - first,
        {Done(item_id), Done(order_id), Done(order_date), Done(date_id), Done(time_id),
         Done(pizza_sk), Done(quantity), Done(unit_price), Done(total_price), Done(channel)})};
    chunk.batches["dim_date"] = {DimDate(days)};
    chunk.batches["dim_time"] = {DimTime(times)};
    chunk.batches["dim_pizza"] = {DimPizza()};
    chunk.positions = {{"fact_order_item", version}};
    rows_in_last_chunk_ = id - first;
    return chunk;
  }
  int64_t rows_in_last_chunk() const { return rows_in_last_chunk_; }

 private:
  static std::shared_ptr<arrow::RecordBatch> DimDate(const std::set<EpochDay>& days) {
    gold::DimDateRows rows;
    for (EpochDay d : days) Must(rows.Add(d));
    return Must(rows.Finish());
  }

  static std::shared_ptr<arrow::RecordBatch> DimTime(const std::set<int32_t>& times) {
    gold::DimTimeRows rows;
    for (int32_t id : times) Must(rows.Add(id));
    return Must(rows.Finish());
  }

  static std::shared_ptr<arrow::RecordBatch> DimPizza() {
    arrow::Int64Builder sk;
    arrow::StringBuilder name_id, base, size, ingredients, name, category;
    arrow::Decimal128Builder price(arrow::decimal128(8, 2));
    for (const auto& item : sources::MenuItems()) {
      const auto& type = sources::PizzaTypes()[item.type];
      Must(sk.Append(gold::PizzaSurrogateKey(item.pizza_name_id)));
      Must(name_id.Append(item.pizza_name_id));
      Must(base.Append(type.base_id));
      Must(size.Append(item.size));
      Must(price.Append(arrow::Decimal128(item.unit_price_cents)));
      Must(ingredients.Append(type.ingredients));
      Must(name.Append(type.name));
      Must(category.Append(sources::CategoryName(type.category)));
    }
    return arrow::RecordBatch::Make(gold::DimPizzaSchema(),
                                    static_cast<int64_t>(sources::MenuItems().size()),
                                    {Done(sk), Done(name_id), Done(base), Done(size), Done(price),
                                     Done(ingredients), Done(name), Done(category)});
  }

  int days_;
  int64_t rows_;
  std::mt19937_64 rng_;
  std::discrete_distribution<size_t> item_;
  int64_t next_order_ = 1;
  int64_t rows_in_last_chunk_ = 0;
};

// Resident set size of this process now.
long RssKb() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  long kb = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
  }
  std::fclose(f);
  return kb;
}

int64_t FactRows(warehouse::Warehouse& wh) {
  auto r = wh.Query("SELECT COUNT(*) FROM pizza_sales.fact_order_item", {});
  return r.ok() && !r->rows.empty() ? std::get<int64_t>(r->rows[0][0]) : 0;
}

void Load(const Options& o, const std::string& path) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto wh = Must(warehouse::OpenWarehouse(path));
  Must(wh->Init());
  ChunkBuilder builder(o);
  constexpr int64_t kChunk = 100'000;
  const auto start = Clock::now();
  double load_seconds = 0;
  int64_t loaded = 0, version = 0;
  while (loaded < o.rows) {
    auto chunk = builder.Next(loaded + 1, std::min(kChunk, o.rows - loaded), version++);
    const auto t = Clock::now();
    Must(wh->Load(chunk));
    load_seconds += std::chrono::duration<double>(Clock::now() - t).count();
    loaded += builder.rows_in_last_chunk();
    if (version % 10 == 0) std::cerr << fmt::format("\rloaded {:>9} rows", loaded) << std::flush;
  }
  const double total = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << fmt::format(
      "\rloaded {} fact rows in chunks of {}: Warehouse::Load {:.1f} s ({:.0f} rows/s), {:.1f} s "
      "with generation\n",
      loaded, kChunk, load_seconds, loaded / load_seconds, total);
}

struct Endpoint {
  std::string name;
  std::string path;
};

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

// `cached`: with the server's result cache, as when the data did not change since the last
// identical call; without it every call queries the warehouse (the first call after a load).
void Measure(const Options& o, const std::string& path, bool cached) {
  std::cout << (cached ? "\nwarm: result cache on (repeat calls between loads)\n"
                       : "\ncold: result cache off (every call scans the in-memory view)\n");
  serve::DashboardOptions options;
  options.port = 0;
  options.warehouse_target = path;
  options.cached_results = cached ? 512 : 0;
  serve::DashboardServer server(options);
  Must(server.Start());
  httplib::Client client("127.0.0.1", server.port());
  client.set_keep_alive(true);
  client.set_read_timeout(std::chrono::seconds(600));
  {
    // The server's first call reads every fact row into its view.
    const auto t = Clock::now();
    auto res = client.Get("/api/kpi");
    if (!res || res->status != 200) {
      std::cerr << "serve_bench: the first call failed\n";
      std::exit(1);
    }
    std::cout << fmt::format("first call (the server reads the facts into its view): {:.2f} s\n",
                             std::chrono::duration<double>(Clock::now() - t).count());
  }
  const std::vector<std::pair<std::string, std::string>> slices = {
      {"no filter", ""},
      {"category", "&category=Classic"},
      {"size", "&size=L"},
      {"all slicers", "&category=Veggie&size=M&channel=web&from=2015-03-01&to=2015-03-31"},
      {"date range", "&from=2015-01-01&to=2015-06-30"},
  };
  const std::vector<std::string> groups = {"day",      "month", "hour",    "weekday",
                                           "category", "size",  "channel", "pizza"};
  std::cout << fmt::format("{:<12} {:<22} {:>9} {:>9} {:>9}\n", "slicers", "endpoint", "p50 ms",
                           "p99 ms", "max ms");
  double worst_p99 = 0;
  for (const auto& [slice_name, slice] : slices) {
    std::vector<Endpoint> endpoints = {
        {"/api/kpi", "/api/kpi?" + slice.substr(std::min<size_t>(1, slice.size()))}};
    for (const auto& g : groups)
      endpoints.push_back({"/api/sales " + g, "/api/sales?group=" + g + slice});
    if (slice.empty()) endpoints.push_back({"/api/pipeline", "/api/pipeline"});
    for (const auto& e : endpoints) {
      std::vector<double> ms;
      for (int i = 0; i < o.requests + 5; ++i) {
        const auto t = Clock::now();
        auto res = client.Get(e.path.c_str());
        const double elapsed = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
        if (!res || res->status != 200) {
          std::cerr << "serve_bench: " << e.path << " failed: " << (res ? res->body : "no answer")
                    << "\n";
          std::exit(1);
        }
        if (i >= 5) ms.push_back(elapsed);  // the first few warm the caches
      }
      const double p99 = Percentile(ms, 0.99);
      worst_p99 = std::max(worst_p99, p99);
      std::cout << fmt::format("{:<12} {:<22} {:>9.2f} {:>9.2f} {:>9.2f}\n", slice_name, e.name,
                               Percentile(ms, 0.5), p99, *std::max_element(ms.begin(), ms.end()));
    }
  }
  std::cout << fmt::format(
      "worst p99 over every call the page makes: {:.2f} ms (target < 100 ms)\n", worst_p99);
  server.Stop();
}

// `o.clients` keep-alive clients at once, each making the page's calls (kpi, every sales
// group, pipeline; half of the rounds under a slicer) `o.requests / 10` times (at least 5)
// over its own connection, after one round that is not counted (it fills the result cache, as
// the single-client measurements drop their first calls); the cache is on, as in `serve`.
void MeasureConcurrent(const Options& o, const std::string& path) {
  if (o.clients <= 0) return;
  std::cout << fmt::format("\n{} concurrent keep-alive clients (result cache on, {} threads)\n",
                           o.clients, serve::DashboardOptions{}.threads);
  serve::DashboardOptions options;
  options.port = 0;
  options.warehouse_target = path;
  // Every client here comes from 127.0.0.1, standing for as many users on their own addresses.
  options.limits.max_connections_per_client =
      std::max(options.limits.max_connections_per_client, static_cast<size_t>(o.clients));
  serve::DashboardServer server(options);
  Must(server.Start());
  std::vector<Endpoint> page = {{"/api/kpi", "/api/kpi"}, {"/api/pipeline", "/api/pipeline"}};
  for (const char* g : {"day", "month", "hour", "weekday", "category", "size", "channel", "pizza"})
    page.push_back({std::string("/api/sales ") + g, std::string("/api/sales?group=") + g});
  const int rounds = std::max(5, o.requests / 10) + 1;
  std::mutex mu;
  std::map<std::string, std::vector<double>> ms;  // endpoint -> latencies
  std::vector<std::thread> clients;
  const auto start = Clock::now();
  for (int c = 0; c < o.clients; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_keep_alive(true);
      std::map<std::string, std::vector<double>> mine;
      for (int r = 0; r < rounds; ++r) {
        const std::string slice = (r + c) % 2 == 0 ? "" : "category=Classic&size=L";
        for (const auto& e : page) {
          std::string target = e.path;
          if (!slice.empty() && e.name != "/api/pipeline")
            target += (target.find('?') == std::string::npos ? "?" : "&") + slice;
          const auto t = Clock::now();
          auto res = client.Get(target.c_str());
          const double elapsed =
              std::chrono::duration<double, std::milli>(Clock::now() - t).count();
          if (!res || res->status != 200) {
            std::cerr << "serve_bench: " << target
                      << " failed: " << (res ? res->body : httplib::to_string(res.error())) << "\n";
            std::exit(1);
          }
          if (r > 0) mine[e.name].push_back(elapsed);  // round 0 warms the result cache
        }
      }
      std::lock_guard lock(mu);
      for (auto& [name, v] : mine) ms[name].insert(ms[name].end(), v.begin(), v.end());
    });
  }
  for (auto& t : clients) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << fmt::format("{:<22} {:>9} {:>9} {:>9} {:>9}\n", "endpoint", "calls", "p50 ms",
                           "p99 ms", "max ms");
  double worst_p99 = 0;
  size_t calls = 0;
  for (const auto& e : page) {
    const auto& v = ms[e.name];
    calls += v.size();
    worst_p99 = std::max(worst_p99, Percentile(v, 0.99));
    std::cout << fmt::format("{:<22} {:>9} {:>9.2f} {:>9.2f} {:>9.2f}\n", e.name, v.size(),
                             Percentile(v, 0.5), Percentile(v, 0.99),
                             *std::max_element(v.begin(), v.end()));
  }
  std::cout << fmt::format(
      "{} calls in {:.1f} s ({:.0f}/s); worst p99 with {} keep-alive clients: {:.2f} ms (target "
      "< 100 ms)\n",
      calls, seconds, static_cast<double>(calls) / seconds, o.clients, worst_p99);
  server.Stop();
}

}  // namespace
}  // namespace pizzastream

int main(int argc, char** argv) {
  using namespace pizzastream;
  Options o;
  double orders_per_day = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--rows")
      o.rows = std::stoll(value());
    else if (a == "--days")
      o.days = std::stoi(value());
    else if (a == "--orders-per-day")
      orders_per_day = std::stod(value());
    else if (a == "--requests")
      o.requests = std::stoi(value());
    else if (a == "--clients")
      o.clients = std::stoi(value());
    else if (a == "--dir")
      o.dir = value();
    else if (a == "--keep")
      o.keep = true;
    else {
      std::cerr << "usage: serve_bench [--rows N] [--days D | --orders-per-day X] [--requests R] "
                   "[--clients C] "
                   "[--dir DIR] [--keep]\n";
      return 2;
    }
  }
  // ChunkBuilder makes 2.5 lines an order on average.
  if (orders_per_day > 0) o.days = std::max(1, static_cast<int>(o.rows / 2.5 / orders_per_day));
  const bool scratch = o.dir.empty();
  if (scratch) o.dir = fmt::format("/tmp/serve_bench_{}", getpid());
  std::filesystem::create_directories(o.dir);
  const std::string path = o.dir + "/warehouse.db";
  bool reuse = false;
  if (o.keep && std::filesystem::exists(path)) {
    auto wh = Must(warehouse::OpenWarehouse(path));
    reuse = FactRows(*wh) == o.rows;
  }
  if (!reuse) Load(o, path);
  {
    auto wh = Must(warehouse::OpenWarehouse(path));
    const int64_t facts = FactRows(*wh);
    std::cout << fmt::format("{} fact rows over {} days ({:.0f} orders a day)\n", facts, o.days,
                             static_cast<double>(facts) / 2.5 / o.days);
    // What the server does on its first call: read every fact row into its view.
    const long rss_before = RssKb();
    serve::SalesView view;
    const auto t = Clock::now();
    Must(view.Refresh(*wh).status());
    const double seconds = std::chrono::duration<double>(Clock::now() - t).count();
    std::cout << fmt::format(
        "in-memory view: {} lines read in {:.2f} s ({:.0f} rows/s), RSS +{:.0f} MiB\n",
        view.lines(), seconds, static_cast<double>(view.lines()) / seconds,
        static_cast<double>(RssKb() - rss_before) / 1024.0);
  }
  Measure(o, path, false);
  Measure(o, path, true);
  MeasureConcurrent(o, path);
  if (scratch && !o.keep) std::filesystem::remove_all(o.dir);
  return 0;
}
