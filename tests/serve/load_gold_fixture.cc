// Test tool for the browser test: loads synthetic order lines (support/gold_batches.h) into a
// SQLite warehouse through Warehouse::Load, as the pipeline's load stage would.
//   serve_fixture_loader WAREHOUSE_PATH FIRST_ITEM_ID COUNT FACT_VERSION
#include <cstdlib>
#include <iostream>
#include <string>

#include "support/gold_batches.h"
#include "warehouse/warehouse.h"

int main(int argc, char** argv) {
  using namespace pizzastream;
  if (argc != 5) {
    std::cerr << "usage: serve_fixture_loader WAREHOUSE_PATH FIRST_ITEM_ID COUNT FACT_VERSION\n";
    return 2;
  }
  const std::string path = argv[1];
  const int64_t first = std::atoll(argv[2]);
  const int64_t count = std::atoll(argv[3]);
  const int64_t version = std::atoll(argv[4]);
  auto wh = warehouse::OpenWarehouse(path);
  Status st = wh.status();
  if (st.ok()) st = (*wh)->Init();
  if (st.ok()) {
    const auto menu = testing::SampleMenu();
    st = (*wh)->Load(testing::ChunkOf(testing::SyntheticLines(first, count, menu.size()), menu,
                                      {{"fact_order_item", version}}));
  }
  if (!st.ok()) {
    std::cerr << "serve_fixture_loader: " << st.ToString() << "\n";
    return 1;
  }
  return 0;
}
