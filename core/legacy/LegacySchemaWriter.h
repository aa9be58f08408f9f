#pragma once

#include "core/db/Connection.h"

namespace ctx {

// The schema shapes shared-context-server wrote over its history.
enum class LegacyVersion {
    V1,        // no sender_type, no secure_tokens, table-level UNIQUE on agent_memory
    V2,        // sender_type created with the table (with its NOT-empty CHECK)
    V2Altered, // sender_type added by the server's ALTER TABLE script (no CHECK)
    V3a,       // + secure_tokens, table-level UNIQUE
    V3b,       // + secure_tokens, partial unique indexes instead
};

// Creates a legacy schema in an empty SQLite database exactly as the server did,
// for demo files and test fixtures. The SQL comes from resources/sql/legacy.
class LegacySchemaWriter {
public:
    static Status create(const Connection& conn, LegacyVersion version);
    static QString name(LegacyVersion version);
};

} // namespace ctx
