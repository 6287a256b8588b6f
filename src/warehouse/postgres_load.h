// The PostgreSQL warehouse's exactly-once load of one gold chunk, in one transaction:
//   1. pg_advisory_xact_lock: loaders take turns, so two racing loaders cannot deadlock on
//      each other's keys and the position comparison below is race-free;
//   2. per table, COPY (pqxx::stream_to) the rows into a temporary staging table, then
//      INSERT ... SELECT ... ON CONFLICT on the primary key into pizza_sales.<table>:
//      - facts DO NOTHING: an order line is immutable, so a re-sent line changes nothing and
//        a reload does not rewrite millions of rows; the ids actually inserted are recorded
//        as runs in fact_load_ranges (warehouse/fact_load_ranges.h), in the same statement;
//      - dimensions DO UPDATE (type 1: the lake's latest attributes win, e.g. a corrected price
//        or name; unchanged rows are not rewritten; the chunk's last row for a key wins), but
//        only from a chunk whose position is beyond the recorded one: a late loader's older
//        rows add what is missing and overwrite nothing;
//   3. positions recorded as GREATEST(old, new); commit.
// Rows are never skipped on the strength of positions alone, so chunks that overlap in any
// way, in any order, still add up.
// A failure anywhere (including the server going away) rolls everything back: the recorded
// positions still say where to resume.
#pragma once

#include <pqxx/connection>

#include "core/status.h"
#include "warehouse/warehouse.h"

namespace pizzastream::warehouse {

// OK when every table of `chunk` is a gold table and the batches it holds have the gold
// schema's column names and types, in order (a scan's batches are checked as they are loaded).
Status CheckGoldChunk(const GoldChunk& chunk);

// Loads `chunk` (checked by CheckGoldChunk) as described above. Throws libpqxx exceptions.
Status LoadGoldChunk(pqxx::connection& conn, const GoldChunk& chunk);

// The recorded positions: every gold table, -1 when never loaded. Throws libpqxx exceptions.
LoadPositions ReadLoadPositions(pqxx::connection& conn);

}  // namespace pizzastream::warehouse
