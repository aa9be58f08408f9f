#include "Store.h"
#include "StoreValues.h"
#include "WriteTransaction.h"

namespace ctx {

using namespace store;

Result<qint64> AuditStore::append(const AuditEvent& event) {
    if (auto ok = requireText(event.eventType, QStringLiteral("event type"), 100); !ok)
        return std::unexpected(ok.error().withSubject(m_conn.subject()));
    if (auto ok = requireText(event.agentId, QStringLiteral("agent id"), 100); !ok)
        return std::unexpected(ok.error().withSubject(m_conn.subject()));
    auto metadata = canonicalJsonObject(event.metadataJson, QStringLiteral("audit metadata"));
    if (!metadata)
        return std::unexpected(metadata.error().withSubject(m_conn.subject()));
    const Dialect& d = m_conn.dialect();
    const qint64 when = event.timestamp.value_or(nowMicros());
    auto optional = [](const QString& s) { return s.isEmpty() ? QVariant() : QVariant(s); };
    qint64 id = 0;
    auto ok = runWrite(m_conn, [&](WriteAttempt&) -> Status {
        auto r = m_conn.scalar(
            QStringLiteral("INSERT INTO audit_log (\"timestamp\", event_type, agent_id, "
                           "session_id, resource, action, result, metadata) VALUES (%1, ?, ?, ?, "
                           "?, ?, ?, %2) RETURNING id")
                .arg(d.timestampParameter(), d.jsonParameter()),
            {d.timestampBinding(when, serverTimestampShape(u"audit_log", u"timestamp")),
             event.eventType, event.agentId, optional(event.sessionId), optional(event.resource),
             optional(event.action), optional(event.result),
             metadata->isEmpty() ? QStringLiteral("{}") : *metadata});
        if (!r)
            return std::unexpected(r.error());
        id = r->toLongLong();
        return {};
    });
    if (!ok)
        return std::unexpected(ok.error());
    return id;
}

Result<QList<AuditEvent>> AuditStore::query(const AuditQuery& query) {
    if (query.limit < 1)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("limit must be at least 1"),
                    m_conn.subject());
    const Dialect& d = m_conn.dialect();
    QStringList where;
    QVariantList binds;
    auto equals = [&](const char* column, const QString& value) {
        if (value.isEmpty())
            return;
        where << QStringLiteral("%1 = ?").arg(QLatin1String(column));
        binds << value;
    };
    equals("agent_id", query.agentId);
    equals("event_type", query.eventType);
    equals("session_id", query.sessionId);
    if (query.since) {
        where << d.timestampCompare(QStringLiteral("\"timestamp\""), QStringLiteral(">="));
        binds << d.timestampCompareBinding(*query.since);
    }
    if (query.until) {
        where << d.timestampCompare(QStringLiteral("\"timestamp\""), QStringLiteral("<"));
        binds << d.timestampCompareBinding(*query.until);
    }
    binds << query.limit;
    const QString sql =
        QStringLiteral("SELECT id, %1, event_type, agent_id, session_id, resource, action, "
                       "result, %2 FROM audit_log%3 ORDER BY id DESC LIMIT ?")
            .arg(d.timestampSelect(QStringLiteral("\"timestamp\"")),
                 d.engine() == Engine::Postgres ? QStringLiteral("CAST(metadata AS TEXT)")
                                                : QStringLiteral("metadata"),
                 where.isEmpty() ? QString()
                                 : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND ")));
    auto q = m_conn.exec(sql, binds);
    if (!q)
        return std::unexpected(q.error());
    QList<AuditEvent> out;
    while (q->next()) {
        AuditEvent e;
        e.id = q->value(0).toLongLong();
        e.timestamp = readTimestamp(q->value(1));
        e.eventType = readText(q->value(2));
        e.agentId = readText(q->value(3));
        e.sessionId = readText(q->value(4));
        e.resource = readText(q->value(5));
        e.action = readText(q->value(6));
        e.result = readText(q->value(7));
        e.metadataJson = readText(q->value(8));
        out << e;
    }
    return out;
}

} // namespace ctx
