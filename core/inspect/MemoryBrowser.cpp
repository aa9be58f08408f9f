#include "MemoryBrowser.h"

#include "core/values/Timestamp.h"

namespace ctx {

namespace {
std::optional<qint64> timeOf(const QVariant& v) {
    if (v.isNull())
        return std::nullopt;
    return Timestamp::parse(RawValue::fromVariant(v)).micros;
}
QString textOf(const QVariant& v) {
    return v.isNull() ? QString() : v.toString();
}
} // namespace

Result<QList<MemoryEntry>> MemoryBrowser::list(const Connection& conn, const MemoryQuery& query) {
    const Dialect& d = conn.dialect();
    QStringList where{QStringLiteral("1 = 1")};
    QVariantList binds;
    if (!query.agentId.isEmpty()) {
        where << QStringLiteral("agent_id = ?");
        binds << query.agentId;
    }
    if (query.global)
        where << QStringLiteral("session_id IS NULL");
    else if (!query.sessionId.isEmpty()) {
        where << QStringLiteral("session_id = ?");
        binds << query.sessionId;
    }
    if (!query.prefix.isEmpty()) { // a prefix compare: % and _ mean themselves
        where << QStringLiteral("substr(key, 1, %1) = ?").arg(query.prefix.size());
        binds << query.prefix;
    }
    binds << std::max(1, query.limit);
    const QString sql =
        QStringLiteral("SELECT id, agent_id, session_id, key, value, CAST(metadata AS TEXT), %1, "
                       "%2, %3 FROM agent_memory WHERE %4 ORDER BY agent_id, session_id, key, id "
                       "LIMIT ?")
            .arg(d.timestampSelect(QStringLiteral("created_at")),
                 d.timestampSelect(QStringLiteral("updated_at")),
                 d.timestampSelect(QStringLiteral("expires_at")),
                 where.join(QStringLiteral(" AND ")));
    auto q = conn.exec(sql, binds);
    if (!q)
        return std::unexpected(q.error());
    QList<MemoryEntry> out;
    while (q->next()) {
        MemoryEntry e;
        e.id = q->value(0).toLongLong();
        e.agentId = textOf(q->value(1));
        e.sessionId = textOf(q->value(2));
        e.key = textOf(q->value(3));
        e.value = textOf(q->value(4));
        e.metadataJson = textOf(q->value(5));
        e.createdAt = timeOf(q->value(6));
        e.updatedAt = timeOf(q->value(7));
        e.expiresAt = timeOf(q->value(8));
        out << e;
    }
    return out;
}

} // namespace ctx
