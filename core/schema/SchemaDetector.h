#pragma once

#include "SchemaInfo.h"
#include "core/db/Connection.h"

namespace ctx {

// Tells exactly what a database is: shared-context-server version 1, 2, 3a, 3b,
// a mixed file, one of ours (4+), empty, or not a shared-context-server database.
// Reads only.
class SchemaDetector {
public:
    static Result<SchemaInfo> detect(const Connection& conn);

private:
    static Result<QStringList> tableNames(const Connection& conn);
    static QStringList indexNames(const Connection& conn);
    static void detectSqliteVariant(const Connection& conn, SchemaInfo& info);
    static Status detectServerSchema(const Connection& conn, SchemaInfo& info);
};

} // namespace ctx
