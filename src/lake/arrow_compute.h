// Arrow's compute functions beyond its core (casts between dictionaries and text, min/max, ...)
// are registered once per process, before any thread uses a compute function: Arrow's registry
// adds them without stopping readers, so a thread that looks a function up meanwhile (e.g.
// Parquet's writer, for "unique" on a dictionary column's statistics) can be told it does not
// exist. `pizzastream`'s main registers them first thing, and Lakehouse::Open does for other
// programs; the calls elsewhere then return at once.
#pragma once

#include <arrow/compute/initialize.h>

#include "core/status.h"

namespace pizzastream::lake {

// Registers them on the first call; every call returns how that went.
inline Status InitializeCompute() {
  static const Status status = arrow::compute::Initialize();
  return status;
}

}  // namespace pizzastream::lake
