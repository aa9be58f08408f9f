#include "StoreFeatures.h"

namespace ctx {

StoreFeatures StoreFeatures::detect(const Connection& conn) {
    StoreFeatures f;
    for (const char* table :
         {"sessions", "messages", "agent_memory", "audit_log", "secure_tokens"}) {
        if (conn.tableExists(QLatin1String(table)))
            f.tables << QLatin1String(table);
    }
    f.agentMemory = f.tables.contains(QStringLiteral("agent_memory"));
    f.auditLog = f.tables.contains(QStringLiteral("audit_log"));
    f.secureTokens = f.tables.contains(QStringLiteral("secure_tokens"));
    if (f.tables.contains(QStringLiteral("messages")))
        f.senderType = conn.columnsOf(QStringLiteral("messages"))
                           .contains(QStringLiteral("sender_type"), Qt::CaseInsensitive);
    return f;
}

} // namespace ctx
