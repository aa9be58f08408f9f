#pragma once

#include "core/db/Connection.h"
#include "core/schema/PgCatalogSnapshot.h"

namespace ctx::test {

// Runs the server's own PostgreSQL schema file (resources/sql/server/, vendored with its
// header) on a connection, statement by statement, as an operator would with psql -f.
Status runServerSchemaFile(const Connection& conn);
// The snapshot of a connection's database, or a qFatal-free error.
Result<PgCatalogSnapshot> snapshotOf(const DatabaseUrl& url);
// Labels of every difference that is not an extra Context Studio object, one per line.
QStringList serverObjectChanges(const PgCatalogSnapshot& before, const PgCatalogSnapshot& after);

} // namespace ctx::test
