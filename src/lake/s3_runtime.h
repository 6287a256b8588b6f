// Arrow's S3 support for the whole process. The AWS SDK is started once, by the first S3 lake
// opened (`StartS3`), and must be stopped once, after every S3 filesystem is gone and before
// the process exits (`StopS3`), or it crashes at exit. A process that never opens an S3 lake
// never starts the SDK. Both calls are thread-safe; StopS3 is a no-op when S3 never started.
#pragma once

#include "core/status.h"

namespace pizzastream::lake {

Status StartS3();
void StopS3();

}  // namespace pizzastream::lake
