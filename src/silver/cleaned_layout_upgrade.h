// The upgrade path of silver_cleaned from its first layout, where order_time was text
// ("HH:MM:SS"), to the current one, where it is a timestamp (docs/data-model.md).
//
// Two halves, so an existing lake keeps working whichever stage meets it first:
//  - CleanedFileUpgrade() turns one data file of the old layout into the current one as it is
//    read (order_date + the time of day). Readers of silver_cleaned (gold, and the rewrite
//    below) pass it to lake::ReadRange / Lakehouse::ReadParquet, so a reader behind the
//    rewrite still reads the old files it has not processed yet.
//  - UpgradeCleanedTable() rewrites every live file of an old-layout table and changes the
//    table's schema in the same Delta commit. The adds and removes carry dataChange=false, so
//    incremental readers (gold) see no new rows; after it, the table is uniform again for
//    compaction and for other Delta readers. Silver runs it when it opens the table, before it
//    writes a file of the new layout.
// Stateless; thread-safe. Two processes upgrading at once: one commit wins, the other finds
// the table upgraded.
#pragma once

#include "core/status.h"
#include "lake/lakehouse.h"

namespace pizzastream::silver {

lake::FileUpgrade CleanedFileUpgrade();

// No-op on a table of the current layout (or one that does not exist yet).
Status UpgradeCleanedTable(const lake::Lakehouse& lake, lake::DeltaLog& cleaned);

}  // namespace pizzastream::silver
