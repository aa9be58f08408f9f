#include "MessageRows.h"

#include "StoreValues.h"
#include "core/values/Timestamp.h"

namespace ctx::store {

namespace {
QString col(const QString& alias, const char* name) {
    const QString quoted = Dialect::quoteIdentifier(QLatin1String(name));
    return alias.isEmpty() ? quoted : alias + QLatin1Char('.') + quoted;
}
} // namespace

QString messageColumns(const Dialect& dialect, const StoreFeatures& features,
                       const QString& alias) {
    QStringList cols{
        col(alias, "id"), col(alias, "session_id"), col(alias, "sender"),
        features.senderType ? col(alias, "sender_type") : QStringLiteral("NULL"),
        col(alias, "content"), col(alias, "visibility"), col(alias, "message_type"),
        dialect.engine() == Engine::Postgres
            ? QStringLiteral("CAST(%1 AS TEXT) AS ctx_metadata").arg(col(alias, "metadata"))
            : col(alias, "metadata"),
        // Aliased: PostgreSQL would name the CAST "timestamp", and an ORDER BY
        // "timestamp" would then sort the text instead of walking the index.
        dialect.timestampSelect(col(alias, "timestamp")) + QStringLiteral(" AS ctx_timestamp"),
        col(alias, "parent_message_id")};
    return cols.join(QStringLiteral(", "));
}

Message readMessage(const Row& q, int first) {
    Message m;
    m.id = q.value(first).toLongLong();
    m.sessionId = readText(q.value(first + 1));
    m.sender = readText(q.value(first + 2));
    // NULL (old rows) and a missing column (version 1) mean the server's default.
    m.senderType =
        q.value(first + 3).isNull() ? QStringLiteral("generic") : readText(q.value(first + 3));
    m.content = readText(q.value(first + 4));
    m.visibility = readText(q.value(first + 5));
    m.messageType = readText(q.value(first + 6));
    m.metadataJson = readText(q.value(first + 7));
    m.rawTimestamp = RawValue::fromVariant(q.value(first + 8));
    m.timestamp = Timestamp::parse(m.rawTimestamp).micros;
    m.parentId = readOptionalId(q.value(first + 9));
    return m;
}

void SqlWhere::add(const QString& condition, const QVariantList& values) {
    conditions << condition;
    binds << values;
}

QString SqlWhere::text() const {
    if (conditions.isEmpty())
        return {};
    return QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
}

void addVisibility(SqlWhere& where, const Viewer& viewer, const QString& alias) {
    if (viewer.admin)
        return;
    const QString vis = col(alias, "visibility");
    where.add(QStringLiteral("(%1 = 'public' OR (%1 IN ('private', 'agent_only') AND %2 = ?))")
                  .arg(vis, col(alias, "sender")),
              {viewer.agentId});
}

void addMessageFilter(SqlWhere& where, const Dialect& dialect, const StoreFeatures& features,
                      const QString& sessionId, const Viewer& viewer, const MessageFilter& filter,
                      const QString& alias) {
    if (!sessionId.isEmpty())
        where.add(col(alias, "session_id") + QStringLiteral(" = ?"), {sessionId});
    addVisibility(where, viewer, alias);
    if (!filter.sender.isEmpty())
        where.add(col(alias, "sender") + QStringLiteral(" = ?"), {filter.sender});
    if (!filter.senderType.isEmpty()) {
        if (features.senderType)
            where.add(col(alias, "sender_type") + QStringLiteral(" = ?"), {filter.senderType});
        else
            where.add(QStringLiteral("1 = 0")); // version 1: no row has a type
    }
    if (!filter.visibility.isEmpty())
        where.add(col(alias, "visibility") + QStringLiteral(" = ?"), {filter.visibility});
    if (!filter.messageType.isEmpty())
        where.add(col(alias, "message_type") + QStringLiteral(" = ?"), {filter.messageType});
    if (filter.since)
        where.add(dialect.timestampCompare(col(alias, "timestamp"), QStringLiteral(">=")),
                  {dialect.timestampCompareBinding(*filter.since)});
    if (filter.until)
        where.add(dialect.timestampCompare(col(alias, "timestamp"), QStringLiteral("<")),
                  {dialect.timestampCompareBinding(*filter.until)});
}

} // namespace ctx::store
