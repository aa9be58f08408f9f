#include "Store.h"
#include "StoreValues.h"
#include "WriteTransaction.h"
#include "core/values/Timestamp.h"

#include <QHash>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <algorithm>

namespace ctx {

using namespace store;

namespace {

QString newSessionId() {
    const quint64 bits = QRandomGenerator::system()->generate64();
    return QStringLiteral("session_") + QStringLiteral("%1").arg(bits, 16, 16, QLatin1Char('0'));
}

QString sessionColumns(const Dialect& d) {
    return QStringLiteral("id, purpose, created_by, is_active, %1, %2, %3")
        .arg(d.timestampSelect(QStringLiteral("created_at")),
             d.timestampSelect(QStringLiteral("updated_at")),
             d.engine() == Engine::Postgres ? QStringLiteral("CAST(metadata AS TEXT)")
                                            : QStringLiteral("metadata"));
}

SessionInfo readSession(const QSqlQuery& q) {
    SessionInfo s;
    s.id = readText(q.value(0));
    s.purpose = readText(q.value(1));
    s.createdBy = readText(q.value(2));
    s.active = readBool(q.value(3), true);
    s.createdAt = readTimestamp(q.value(4));
    s.lastActivity = readTimestamp(q.value(5));
    if (!s.lastActivity)
        s.lastActivity = s.createdAt;
    s.metadataJson = readText(q.value(6));
    return s;
}

bool hasIndex(const Connection& conn, const QString& name) {
    auto found = conn.scalar(
        QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?"),
        {name});
    return found && found->toInt() > 0;
}

// Counts, newest message time and distinct senders per session, in one pass over the
// messages (an index-only scan where (session_id, sender, timestamp) is indexed).
Status addActivity(const Connection& conn, QList<SessionInfo>& sessions, const QString& onlyId) {
    const Dialect& d = conn.dialect();
    // Every session of a legacy SQLite file (no (session_id, sender, timestamp) index):
    // SQLite would walk idx_messages_session_id and fetch each row from the table at
    // random, 25 s on 1M messages; one sequential pass (NOT INDEXED) takes 2 s.
    const bool sequential = onlyId.isEmpty() && conn.engine() == Engine::Sqlite &&
                            !hasIndex(conn, QStringLiteral("idx_messages_session_sender_time"));
    QString sql = QStringLiteral("SELECT session_id, sender, count(*), max(%1) FROM messages%2")
                      .arg(d.epochSecondsOf(QStringLiteral("\"timestamp\"")),
                           sequential ? QStringLiteral(" NOT INDEXED") : QString());
    QVariantList binds;
    if (!onlyId.isEmpty()) {
        sql += QStringLiteral(" WHERE session_id = ?");
        binds << onlyId;
    }
    sql += QStringLiteral(" GROUP BY session_id, sender ORDER BY session_id, sender");
    auto q = conn.exec(sql, binds);
    if (!q)
        return std::unexpected(q.error());
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < sessions.size(); ++i)
        index.insert(sessions[i].id, i);
    while (q->next()) {
        const auto it = index.constFind(readText(q->value(0)));
        if (it == index.constEnd())
            continue;
        SessionInfo& s = sessions[*it];
        s.messageCount += q->value(2).toLongLong();
        s.agents << readText(q->value(1));
        bool ok = false;
        const double last = q->value(3).toDouble(&ok);
        if (ok && !q->value(3).isNull()) {
            const qint64 micros = Timestamp::fromEpochSeconds(last);
            if (!s.lastActivity || micros > *s.lastActivity || s.messageCount == 0)
                s.lastActivity = micros;
        }
    }
    return {};
}

} // namespace

bool SessionStore::isValidId(const QString& id) {
    static const QRegularExpression re(QStringLiteral("^session_[0-9a-f]{16}$"));
    return re.match(id).hasMatch();
}

Result<QString> SessionStore::create(const QString& purpose, const QString& createdBy,
                                     const QString& metadataJson) {
    if (auto ok = requireText(purpose, QStringLiteral("purpose"), 1000); !ok)
        return std::unexpected(ok.error().withSubject(m_conn.subject()));
    if (auto ok = requireText(createdBy, QStringLiteral("created_by"), 100); !ok)
        return std::unexpected(ok.error().withSubject(m_conn.subject()));
    auto metadata = canonicalJsonObject(metadataJson, QStringLiteral("session metadata"));
    if (!metadata)
        return std::unexpected(metadata.error().withSubject(m_conn.subject()));
    const Dialect& d = m_conn.dialect();
    const QString id = newSessionId();
    const QVariant now = d.timestampBinding(nowMicros());
    const QString sql =
        QStringLiteral("INSERT INTO sessions (id, purpose, created_by, is_active, metadata, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, %1, %2, %2)")
            .arg(d.jsonParameter(), d.timestampParameter());
    auto ok = runWrite(m_conn, [&](WriteAttempt&) {
        return toStatus(
            m_conn.exec(sql, {id, purpose, createdBy, true,
                              metadata->isEmpty() ? QVariant() : QVariant(*metadata), now, now}));
    });
    if (!ok)
        return std::unexpected(ok.error());
    return id;
}

Result<SessionInfo> SessionStore::get(const QString& id) {
    if (!isValidId(id))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("invalid session id '%1' (expected session_ + 16 lowercase "
                                   "hex digits)")
                        .arg(id.left(80)),
                    m_conn.subject());
    auto q = m_conn.exec(QStringLiteral("SELECT %1 FROM sessions WHERE id = ?")
                             .arg(sessionColumns(m_conn.dialect())),
                         {id});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, QStringLiteral("no session '%1'").arg(id),
                    m_conn.subject());
    QList<SessionInfo> one{readSession(*q)};
    if (auto ok = addActivity(m_conn, one, id); !ok)
        return std::unexpected(ok.error());
    return one.first();
}

Result<QList<SessionInfo>> SessionStore::list(int limit) {
    if (limit < 1)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("limit must be at least 1"),
                    m_conn.subject());
    auto q = m_conn.exec(
        QStringLiteral("SELECT %1 FROM sessions").arg(sessionColumns(m_conn.dialect())));
    if (!q)
        return std::unexpected(q.error());
    QList<SessionInfo> sessions;
    while (q->next())
        sessions << readSession(*q);
    if (auto ok = addActivity(m_conn, sessions, {}); !ok)
        return std::unexpected(ok.error());
    std::stable_sort(sessions.begin(), sessions.end(),
                     [](const SessionInfo& a, const SessionInfo& b) {
                         const qint64 x = a.lastActivity.value_or(LLONG_MIN);
                         const qint64 y = b.lastActivity.value_or(LLONG_MIN);
                         return x != y ? x > y : a.id < b.id;
                     });
    if (sessions.size() > limit)
        sessions.resize(limit);
    return sessions;
}

Status SessionStore::deactivate(const QString& id) {
    if (auto s = get(id); !s)
        return std::unexpected(s.error());
    const Dialect& d = m_conn.dialect();
    return runWrite(m_conn, [&](WriteAttempt&) {
        return toStatus(m_conn.exec(QStringLiteral("UPDATE sessions SET is_active = ?, "
                                                   "updated_at = %1 WHERE id = ?")
                                        .arg(d.timestampParameter()),
                                    {false, d.timestampBinding(nowMicros()), id}));
    });
}

} // namespace ctx
