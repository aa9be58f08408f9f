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

// An index of messages that leads with session_id and holds every one of `columns`
// (SQLite then answers a per-session aggregate from the index alone), or empty.
QString sessionIndexCovering(const Connection& conn, const QStringList& columns) {
    QStringList quoted;
    for (const QString& c : columns)
        quoted << QLatin1Char('\'') + c + QLatin1Char('\'');
    auto found = conn.scalar(
        QStringLiteral("SELECT l.name FROM pragma_index_list('messages') AS l WHERE l.partial = 0 "
                       "AND (SELECT name FROM pragma_index_info(l.name) WHERE seqno = 0) = "
                       "'session_id' AND (SELECT count(*) FROM pragma_index_info(l.name) WHERE "
                       "name IN (%1)) = %2 ORDER BY l.name LIMIT 1")
            .arg(quoted.join(QLatin1Char(',')))
            .arg(columns.size()));
    return found && found->isValid() ? found->toString() : QString();
}

// How the per-session aggregate reads a SQLite file's messages. With no index holding
// what it needs, SQLite would walk idx_messages_session_id and fetch each row from the
// table at random (25 s on 1M messages); one sequential pass (NOT INDEXED) takes 2 s.
// With one, it is named, so that no statistics steer the planner back to that walk.
QString messagesSource(const Connection& conn, SessionDetail detail) {
    if (conn.engine() != Engine::Sqlite)
        return QStringLiteral("messages");
    QStringList needed{QStringLiteral("timestamp")};
    if (detail == SessionDetail::WithAgents)
        needed << QStringLiteral("sender");
    const QString index = sessionIndexCovering(conn, needed);
    return index.isEmpty()
               ? QStringLiteral("messages NOT INDEXED")
               : QStringLiteral("messages INDEXED BY \"%1\"")
                     .arg(QString(index).replace(QLatin1Char('"'), QLatin1String("\"\"")));
}

// Counts, newest message time and (WithAgents) distinct senders per session, in one
// pass over the messages.
Status addActivity(const Connection& conn, QList<SessionInfo>& sessions, const QString& onlyId,
                   SessionDetail detail) {
    const Dialect& d = conn.dialect();
    const bool agents = detail == SessionDetail::WithAgents;
    QString sql =
        QStringLiteral("SELECT session_id, %1, count(*), max(%2) FROM %3")
            .arg(agents ? QStringLiteral("sender") : QStringLiteral("NULL"),
                 d.epochSecondsOf(QStringLiteral("\"timestamp\"")),
                 onlyId.isEmpty() ? messagesSource(conn, detail) : QStringLiteral("messages"));
    QVariantList binds;
    if (!onlyId.isEmpty()) {
        sql += QStringLiteral(" WHERE session_id = ?");
        binds << onlyId;
    }
    sql += agents ? QStringLiteral(" GROUP BY session_id, sender ORDER BY session_id, sender")
                  : QStringLiteral(" GROUP BY session_id");
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
        if (agents)
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
    if (auto ok = addActivity(m_conn, one, id, SessionDetail::WithAgents); !ok)
        return std::unexpected(ok.error());
    return one.first();
}

Result<QList<SessionInfo>> SessionStore::list(int limit, SessionDetail detail) {
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
    if (auto ok = addActivity(m_conn, sessions, {}, detail); !ok)
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
