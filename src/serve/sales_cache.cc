#include "serve/sales_cache.h"

#include <fmt/format.h>

namespace pizzastream::serve {
namespace {

// Filter values are validated to letters, digits, ' ', '_' and '-': '|' cannot occur in them.
std::string Key(std::string_view kind, const SalesFilter& f) {
  return fmt::format("{}|{}|{}|{}|{}|{}", kind, f.from_date_id.value_or(0),
                     f.to_date_id.value_or(0), f.category.value_or("*"), f.size.value_or("*"),
                     f.channel.value_or("*"));
}

}  // namespace

std::shared_ptr<const SalesCache::Value> SalesCache::Find(const std::string& key,
                                                          const std::string& version) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.first != version) return nullptr;
  return it->second.second;
}

void SalesCache::Store(const std::string& key, const std::string& version,
                       std::shared_ptr<const Value> value) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  if (entries_.size() >= capacity_) {
    std::erase_if(entries_, [&](const auto& e) { return e.second.first != version; });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_[key] = {version, std::move(value)};
}

Result<std::string> SalesCache::Version(warehouse::Warehouse& wh) { return view_.Refresh(wh); }

Result<SalesTotals> SalesCache::Totals(warehouse::Warehouse&, const std::string& version,
                                       const SalesFilter& filter) {
  const std::string key = Key("totals", filter);
  if (auto hit = Find(key, version)) return std::get<SalesTotals>(*hit);
  SalesTotals totals;
  view_.Read([&](const SalesData& d) { totals = SalesTotalsOf(d, filter); });
  Store(key, version, std::make_shared<const Value>(totals));
  return totals;
}

Result<std::vector<SalesGroupRow>> SalesCache::ByGroup(warehouse::Warehouse&,
                                                       const std::string& version, SalesGroup group,
                                                       const SalesFilter& filter) {
  const std::string key = Key(SalesGroupName(group), filter);
  if (auto hit = Find(key, version)) return std::get<std::vector<SalesGroupRow>>(*hit);
  std::vector<SalesGroupRow> rows;
  view_.Read([&](const SalesData& d) { rows = SalesByGroup(d, group, filter); });
  Store(key, version, std::make_shared<const Value>(rows));
  return rows;
}

}  // namespace pizzastream::serve
