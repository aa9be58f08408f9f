#include "Store.h"
#include "StoreValues.h"
#include "WriteTransaction.h"

#include <QRegularExpression>

namespace ctx {

using namespace store;

namespace {

constexpr qint64 kMaxTtlSeconds = 31536000; // one year, the server's limit

QString memoryColumns(const Dialect& d) {
    return QStringLiteral("id, agent_id, session_id, key, value, %1, %2, %3, %4")
        .arg(d.engine() == Engine::Postgres ? QStringLiteral("CAST(metadata AS TEXT)")
                                            : QStringLiteral("metadata"),
             d.timestampSelect(QStringLiteral("created_at")),
             d.timestampSelect(QStringLiteral("updated_at")),
             d.timestampSelect(QStringLiteral("expires_at")));
}

MemoryEntry readEntry(const Row& q) {
    MemoryEntry e;
    e.id = q.value(0).toLongLong();
    e.agentId = readText(q.value(1));
    e.sessionId = readText(q.value(2));
    e.key = readText(q.value(3));
    e.value = readText(q.value(4));
    e.metadataJson = readText(q.value(5));
    e.createdAt = readTimestamp(q.value(6));
    e.updatedAt = readTimestamp(q.value(7));
    e.expiresAt = readTimestamp(q.value(8));
    return e;
}

// Entries that have not expired: no expiry, or an expiry after now.
QString notExpired(const Dialect& d) {
    return QStringLiteral("(expires_at IS NULL OR %1)")
        .arg(d.timestampCompare(QStringLiteral("expires_at"), QStringLiteral(">")));
}

Status validateWrite(const MemoryWrite& w) {
    if (auto ok = requireText(w.agentId, QStringLiteral("agent id"), 100); !ok)
        return ok;
    if (!MemoryStore::isValidKey(w.key))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("invalid memory key '%1' (1–255 characters, no whitespace)")
                        .arg(w.key.left(80)));
    if (w.value.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("memory value must not be empty"));
    if (w.ttlSeconds < 0 || w.ttlSeconds > kMaxTtlSeconds)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("ttl must be between 0 and %1 seconds, got %2")
                        .arg(kMaxTtlSeconds)
                        .arg(w.ttlSeconds));
    if (!w.sessionId.isEmpty() && !SessionStore::isValidId(w.sessionId))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("invalid session id '%1'").arg(w.sessionId.left(80)));
    return {};
}

} // namespace

bool MemoryStore::isValidKey(const QString& key) {
    static const QRegularExpression space(QStringLiteral("\\s"));
    return !key.isEmpty() && characterCount(key) <= 255 && !key.contains(space);
}

Status MemoryStore::set(const MemoryWrite& write) {
    if (auto ok = validateWrite(write); !ok)
        return std::unexpected(ok.error().withSubject(m_conn.subject()));
    auto metadata = canonicalJsonObject(write.metadataJson, QStringLiteral("memory metadata"));
    if (!metadata)
        return std::unexpected(metadata.error().withSubject(m_conn.subject()));
    MemoryWrite w = write;
    w.metadataJson = metadata->isEmpty() ? QStringLiteral("{}") : *metadata;
    return setOnce(w);
}

// Look up, then update or insert, in one write transaction: works for global keys
// even on legacy files without a unique index for them. On PostgreSQL two writers
// may both insert; the partial unique index refuses the second, which retries and
// then finds the row.
Status MemoryStore::setOnce(const MemoryWrite& w) {
    const Dialect& d = m_conn.dialect();
    const bool global = w.sessionId.isEmpty();
    const QString scope =
        global ? QStringLiteral("session_id IS NULL") : QStringLiteral("session_id = ?");
    QVariantList scopeBinds{w.agentId, w.key};
    if (!global)
        scopeBinds << w.sessionId;
    return runWrite(m_conn, [&](WriteAttempt& attempt) -> Status {
        const qint64 now = nowMicros();
        if (!global) {
            auto s =
                m_conn.scalar(QStringLiteral("SELECT 1 FROM sessions WHERE id = ?"), {w.sessionId});
            if (!s)
                return std::unexpected(s.error());
            if (!s->isValid())
                return fail(ErrorCode::NotFound, QStringLiteral("no session '%1'").arg(w.sessionId),
                            m_conn.subject());
        }
        QList<qint64> ids;
        bool live = false;
        auto existing = m_conn.forEachRow(
            QStringLiteral("SELECT id, %1 FROM agent_memory WHERE agent_id = ? AND key = ? AND "
                           "%2 ORDER BY id")
                .arg(notExpired(d), scope),
            QVariantList{d.timestampCompareBinding(now)} + scopeBinds, [&](const Row& row) {
                ids << row.value(0).toLongLong();
                live = live || store::readBool(row.value(1), false);
                return true;
            });
        if (!existing)
            return std::unexpected(existing.error());
        if (live && !w.overwrite)
            return fail(ErrorCode::Conflict,
                        QStringLiteral("memory key '%1' exists for agent '%2' (overwrite is off)")
                            .arg(w.key, w.agentId),
                        m_conn.subject());
        const QVariant expires =
            w.ttlSeconds > 0 ? d.timestampBinding(now + w.ttlSeconds * 1000000) : QVariant();
        const QVariant stamp = d.timestampBinding(now);
        const QVariant updated =
            d.timestampBinding(now, serverTimestampShape(u"agent_memory", u"updated_at"));
        if (!ids.isEmpty()) { // update the first; legacy duplicates of a global key go
            if (ids.size() > 1) {
                for (qsizetype i = 1; i < ids.size(); ++i)
                    if (auto r = m_conn.run(QStringLiteral("DELETE FROM agent_memory WHERE id = ?"),
                                            {ids[i]});
                        !r)
                        return std::unexpected(r.error());
            }
            // created_at keeps its instant but takes the canonical shape, so that the
            // legacy CHECK (expires_at > created_at) compares like with like.
            return m_conn.run(
                QStringLiteral("UPDATE agent_memory SET value = ?, metadata = %1, updated_at = %2, "
                               "expires_at = %2, created_at = %3 WHERE id = ?")
                    .arg(d.jsonParameter(), d.timestampParameter(),
                         d.canonicalTimestampOf(QStringLiteral("created_at"))),
                {w.value, w.metadataJson, updated, expires, ids.first()});
        }
        attempt.retryConflict = true; // a concurrent writer may have inserted it first
        return m_conn.run(
            QStringLiteral("INSERT INTO agent_memory (agent_id, session_id, key, value, metadata, "
                           "created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, %1, %2, %2, "
                           "%2)")
                .arg(d.jsonParameter(), d.timestampParameter()),
            {w.agentId, global ? QVariant() : QVariant(w.sessionId), w.key, w.value, w.metadataJson,
             stamp, updated, expires});
    });
}

Result<std::optional<MemoryEntry>> MemoryStore::get(const QString& agentId, const QString& key,
                                                    const QString& sessionId) {
    if (!isValidKey(key))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("invalid memory key '%1' (1–255 characters, no whitespace)")
                        .arg(key.left(80)),
                    m_conn.subject());
    const Dialect& d = m_conn.dialect();
    QVariantList binds{agentId, key};
    QString scope = QStringLiteral("session_id IS NULL");
    if (!sessionId.isEmpty()) {
        scope = QStringLiteral("session_id = ?");
        binds << sessionId;
    }
    binds << d.timestampCompareBinding(nowMicros());
    std::optional<MemoryEntry> entry;
    auto read = m_conn.forEachRow(
        QStringLiteral("SELECT %1 FROM agent_memory WHERE agent_id = ? AND key = ? AND %2 AND %3 "
                       "ORDER BY id DESC LIMIT 1")
            .arg(memoryColumns(d), scope, notExpired(d)),
        binds, [&entry](const Row& row) {
            entry = readEntry(row);
            return false;
        });
    if (!read)
        return std::unexpected(read.error());
    return entry;
}

Result<QList<MemoryEntry>> MemoryStore::list(const MemoryQuery& query) {
    if (query.limit < 1)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("limit must be at least 1"),
                    m_conn.subject());
    const Dialect& d = m_conn.dialect();
    QStringList where{QStringLiteral("1 = 1")};
    QVariantList binds;
    if (!query.includeExpired) {
        where << notExpired(d);
        binds << d.timestampCompareBinding(nowMicros());
    }
    if (!query.agentId.isEmpty()) {
        where << QStringLiteral("agent_id = ?");
        binds << query.agentId;
    }
    if (query.global) {
        where << QStringLiteral("session_id IS NULL");
    } else if (!query.sessionId.isEmpty()) {
        where << QStringLiteral("session_id = ?");
        binds << query.sessionId;
    }
    if (!query.prefix.isEmpty()) { // a prefix compare, so that % and _ mean themselves
        where << QStringLiteral("substr(key, 1, %1) = ?").arg(characterCount(query.prefix));
        binds << query.prefix;
    }
    binds << query.limit;
    // The same order on both engines: global entries before session ones (NULL sorts
    // differently in SQLite and PostgreSQL, so it is spelled out).
    auto q = m_conn.exec(QStringLiteral("SELECT %1 FROM agent_memory WHERE %2 ORDER BY agent_id, "
                                        "key, CASE WHEN session_id IS NULL THEN 0 ELSE 1 END, "
                                        "session_id, id LIMIT ?")
                             .arg(memoryColumns(d), where.join(QStringLiteral(" AND "))),
                         binds);
    if (!q)
        return std::unexpected(q.error());
    QList<MemoryEntry> out;
    while (q->next())
        out << readEntry(QueryRow(*q));
    return out;
}

} // namespace ctx
