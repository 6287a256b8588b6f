// Arrow's compute functions beyond its core (casts between dictionaries and text, hashing) are
// registered once per process, before the lake's first use of them.
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
