#pragma once

#include "core/db/Connection.h"

namespace ctx::test {

// Stand-in for `ctxdb migrate` in the comparison tests: copies the server's tables of
// a legacy SQLite file into a PostgreSQL database (schema created by SchemaMigrator)
// by the shared value rules (core/values). What PostgreSQL cannot hold is changed and
// recorded in ctx_migration_rejects, as the migration does: text with NUL bytes or
// invalid UTF-8 is sanitized, unparseable values become NULL, a message whose session
// is missing gets a placeholder session {"ctx_recovered":true}. Sequences are reset.
Status loadIntoPostgres(const QString& sqliteFile, const DatabaseUrl& target);

// Copies a SQLite file with its -wal file, as a byte-identical second database.
Status copySqliteFile(const QString& from, const QString& to);

} // namespace ctx::test
