#pragma once

#include "SchemaInfo.h"
#include "core/db/Connection.h"

namespace ctx {

// The server's schema_version table, extended with checksum, applied_by and
// duration_ms columns (the server still reads MAX(version) from it).
class SchemaHistory {
public:
    explicit SchemaHistory(const Connection& conn)
        : m_conn(conn) {}

    Result<QList<HistoryEntry>> entries() const;
    // Creates the table, or adds the extension columns to the server's own.
    Status ensureExtended() const;
    Status record(const HistoryEntry& entry) const;

private:
    const Connection& m_conn;
};

} // namespace ctx
