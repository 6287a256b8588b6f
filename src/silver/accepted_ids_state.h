// Silver's de-duplication state (every order-line id ever accepted, as ranges) saved beside
// silver_cleaned, so a start reads this one small file and only the silver_cleaned files added
// after the version it was saved at, instead of every file of the table.
//
// The file is `<silver_cleaned>/_pizzastream/accepted_ids.json` (Delta readers and VACUUM leave
// `_`-prefixed directories alone): {"table_id", "version", "ranges": [[first, last], ...]}. It is
// replaced atomically through the lake's LogStore (rename on a local disk, one PUT on S3). A
// file that does not parse or validate (half-written by another tool, hand-edited), of another
// table id (the table was re-created) or of a version the table has not reached is ignored:
// the ids are then rebuilt from the table. Stateless functions;
// thread-safe.
#pragma once

#include <arrow/filesystem/filesystem.h>

#include <optional>
#include <string>

#include "core/id_ranges.h"
#include "core/status.h"
#include "lake/log_store.h"

namespace pizzastream::silver {

struct SavedIds {
  int64_t version = -1;  // silver_cleaned version the ids cover
  IdRanges ids;
};

// The saved state of the table at `table_path` with `table_id`, if there is a usable one.
Result<std::optional<SavedIds>> LoadAcceptedIds(arrow::fs::FileSystem& fs,
                                                const std::string& table_path,
                                                const std::string& table_id, int64_t table_version);

Status SaveAcceptedIds(lake::LogStore& store, const std::string& table_path,
                       const std::string& table_id, int64_t version, const IdRanges& ids);

}  // namespace pizzastream::silver
