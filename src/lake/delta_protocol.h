// Which Delta tables pizzastream can read and write: the reader/writer protocol versions and
// table features it implements, checked before a snapshot is used (reading) or a commit is
// made (writing). A table needing anything else (deletion vectors, column mapping, V2
// checkpoints, constraints, generated or identity columns...) is refused with an error naming
// the table and the feature, never read or written wrongly. Stateless; thread-safe.
#pragma once

#include <string_view>

#include "core/status.h"
#include "lake/delta_actions.h"

namespace pizzastream::lake {

// The protocol pizzastream writes for the tables it creates.
ProtocolAction DefaultProtocol();

// OK when pizzastream can read a table with `protocol` and `metadata`.
Status CheckReadable(const ProtocolAction& protocol, const MetadataAction& metadata,
                     std::string_view table);
// OK when pizzastream can also write (append, compact, checkpoint) such a table.
Status CheckWritable(const ProtocolAction& protocol, const MetadataAction& metadata,
                     std::string_view table);

}  // namespace pizzastream::lake
