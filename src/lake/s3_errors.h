// What kind of S3 failure a Status is, for the callers that act on it: an unreachable store
// is worth retrying with backoff (`run` does, as for a broker outage); refused credentials or
// a missing bucket are not. The kind travels as an arrow::StatusDetail, so it survives
// ARROW_RETURN_NOT_OK on its way up.
#pragma once

#include <string>

#include "core/status.h"

namespace pizzastream::lake {

// IOError marked "unreachable": the store did not answer (connection refused, timeout, 5xx).
Status S3Unreachable(const std::string& message);
// IOError marked "unauthorized": the store refused the credentials (or there are none).
Status S3Unauthorized(const std::string& message);

// True for a Status made by S3Unreachable (at any depth of ARROW_RETURN_NOT_OK).
bool IsUnreachable(const Status& status);

}  // namespace pizzastream::lake
