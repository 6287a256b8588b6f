// The versioned schema of the PostgreSQL warehouse: schema pizza_sales, its star schema tables,
// the load positions and the BI views. Applied in order by ApplyPostgresMigrations; each applied
// version is recorded in pizza_sales.schema_migrations, so Init upgrades an older database and
// does nothing on a current one.
#pragma once

#include <pqxx/connection>
#include <span>

#include "core/status.h"

namespace pizzastream::warehouse {

struct PostgresMigration {
  int version;
  const char* name;
  const char* sql;
};

// All migrations, by ascending version. Never edit an applied one: add a new version.
std::span<const PostgresMigration> PostgresMigrations();

// Applies the migrations `conn`'s database lacks, in one transaction under an advisory lock, so
// two processes running it at once are safe. Throws libpqxx exceptions.
Status ApplyPostgresMigrations(pqxx::connection& conn);

}  // namespace pizzastream::warehouse
