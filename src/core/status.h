// Errors are values: pizzastream uses Arrow's Status and Result<T> throughout the engine,
// with ARROW_RETURN_NOT_OK / ARROW_ASSIGN_OR_RAISE keeping the happy path straight.
// Only the CLI turns a failed Status into a one-line message and an exit code.
#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

namespace pizzastream {

using arrow::Result;
using arrow::Status;

}  // namespace pizzastream
