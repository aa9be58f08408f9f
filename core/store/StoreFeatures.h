#pragma once

#include "core/db/Connection.h"

namespace ctx {

// What the opened database has, detected once per store instance: legacy files of
// version 1 have no messages.sender_type and no secure_tokens; some files that say
// version 3 lack secure_tokens too. Readers adapt their column lists to it.
struct StoreFeatures {
    bool senderType = false;
    bool secureTokens = false;
    bool agentMemory = false;
    bool auditLog = false;
    // PostgreSQL: a CHECK keeps messages.visibility to the four values (or NULL), so a
    // count may add up one index range per value.
    bool visibilityChecked = false;
    QStringList tables; // the store's tables present, in a fixed order

    static StoreFeatures detect(const Connection& conn);
};

} // namespace ctx
