// Arrow's compute functions are registered before a lake is used: Arrow's registry adds them
// without stopping readers, so registering them while a stage's thread looks one up can tell
// that thread the function does not exist (seen as bronze's "No function registered with name:
// unique" in `run`). ctest runs each test in a process of its own, where nothing else has
// registered them.
#include "lake/arrow_compute.h"

#include <arrow/compute/api.h>
#include <arrow/compute/registry.h>
#include <gtest/gtest.h>

#include "lake/lakehouse.h"
#include "support/process.h"

namespace pizzastream::lake {
namespace {

TEST(ArrowCompute, OpeningALakeRegistersThemBeforeItsThreadsStart) {
  testing::TempDir dir;
  ASSERT_TRUE(Lakehouse::Open(dir.path()).ok());
  // min_max is one of the functions beyond Arrow's core (Parquet's statistics, casts of
  // dictionaries): absent from the registry until they are registered.
  EXPECT_TRUE(arrow::compute::GetFunctionRegistry()->GetFunction("min_max").ok());
}

}  // namespace
}  // namespace pizzastream::lake
