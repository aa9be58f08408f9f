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
    if (conn.engine() == Engine::Postgres && f.tables.contains(QStringLiteral("messages"))) {
        auto def = conn.scalar(QStringLiteral(
            "SELECT string_agg(pg_get_constraintdef(oid), ' ') FROM pg_constraint WHERE conrelid "
            "= 'messages'::regclass AND contype = 'c'"));
        const QString text = def ? def->toString() : QString();
        f.visibilityChecked = text.contains(QLatin1String("visibility")) &&
                              text.contains(QLatin1String("'public'")) &&
                              text.contains(QLatin1String("'private'")) &&
                              text.contains(QLatin1String("'agent_only'")) &&
                              text.contains(QLatin1String("'admin_only'"));
    }
    return f;
}

} // namespace ctx
