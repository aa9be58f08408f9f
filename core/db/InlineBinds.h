#pragma once

#include "core/Error.h"

#include <QString>
#include <QVariantList>

class QSqlDriver;

namespace ctx {

// A statement with its values written into the text, for a PostgreSQL connection that
// goes through a transaction-mode pooler (pgbouncer, Supavisor, RDS Proxy). Qt's
// PostgreSQL driver prepares with SQL (PREPARE qpsqlpstmt_N, EXECUTE, DEALLOCATE, each
// its own transaction): through such a pooler the EXECUTE may reach another server
// connection ("prepared statement does not exist"), and a statement left behind on a
// server connection makes the next client's PREPARE of the same name fail. Inline
// statements leave nothing on the server.
//
// Each ? placeholder (found by SqlLexer, never inside quotes or comments) becomes the
// literal the driver itself would send in its EXECUTE (the driver's formatValue: quotes
// doubled, bytea escaped by libpq); numbers are quoted too, so that they take their
// type from where they stand, as an untyped parameter would ('5' compares with a
// bigint or a text column alike). Booleans stay TRUE and FALSE.
Result<QString> inlineBinds(const QString& sql, const QVariantList& values,
                            const QSqlDriver* driver);

} // namespace ctx
