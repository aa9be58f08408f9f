#pragma once

#include "core/db/Connection.h"
#include "core/store/StoreTypes.h"

namespace ctx {

// The sessions table alone, without the per-session aggregates (message counts,
// agents, last activity) that SessionStore::list computes over every message: on a
// file of a million messages this answers in milliseconds, so the list appears at
// once and the aggregates follow from another connection. messageCount is -1.
class SessionBrowser {
public:
    static Result<QList<SessionInfo>> quickList(const Connection& conn, int limit = 5000);
};

} // namespace ctx
