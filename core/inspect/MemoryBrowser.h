#pragma once

#include "core/db/Connection.h"
#include "core/store/StoreTypes.h"

namespace ctx {

// Agent memory for the inspector: unlike MemoryStore::list (the server's meaning,
// which hides expired entries), it also returns expired entries so that a person
// can see them, dimmed. Reads only.
class MemoryBrowser {
public:
    static Result<QList<MemoryEntry>> list(const Connection& conn, const MemoryQuery& query);
};

} // namespace ctx
