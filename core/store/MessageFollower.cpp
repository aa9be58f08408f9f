#include "MessageFollower.h"

#include "MessageRows.h"

namespace ctx {

using namespace store;

MessageFollower::MessageFollower(const Connection& conn, const QString& sessionId,
                                 const Viewer& viewer, qint64 afterId)
    : m_conn(conn)
    , m_sessionId(sessionId)
    , m_viewer(viewer)
    , m_lastId(afterId)
    , m_floor(afterId) {}

Result<qint64> MessageFollower::latestId(const Connection& conn, const QString& sessionId) {
    auto v = conn.scalar(QStringLiteral("SELECT max(id) FROM messages WHERE session_id = ?"),
                         {sessionId});
    if (!v)
        return std::unexpected(v.error());
    return v->isNull() ? 0 : v->toLongLong();
}

Result<bool> MessageFollower::changedSinceLastPoll() {
    if (m_conn.engine() != Engine::Sqlite)
        return true;
    auto v = m_conn.scalar(QStringLiteral("PRAGMA data_version"));
    if (!v)
        return std::unexpected(v.error());
    const qint64 now = v->toLongLong();
    const bool changed = !m_dataVersion || *m_dataVersion != now;
    m_dataVersion = now;
    return changed;
}

Result<QList<Message>> MessageFollower::poll() {
    auto changed = changedSinceLastPoll();
    if (!changed)
        return std::unexpected(changed.error());
    if (!*changed)
        return QList<Message>{};
    if (!m_features)
        m_features = StoreFeatures::detect(m_conn);
    const bool pg = m_conn.engine() == Engine::Postgres;
    const qint64 from = pg ? std::max(m_floor, m_lastId - kLateWindow) : m_lastId;
    SqlWhere where;
    addMessageFilter(where, m_conn.dialect(), *m_features, m_sessionId, m_viewer, {});
    where.add(QStringLiteral("id > ?"), {from});
    QList<Message> fresh;
    {
        // Read to the end and let the statement go: no read transaction stays open.
        auto q = m_conn.exec(QStringLiteral("SELECT %1 FROM messages%2 ORDER BY id LIMIT %3")
                                 .arg(messageColumns(m_conn.dialect(), *m_features), where.text())
                                 .arg(kBatch + (pg ? m_recent.size() : 0)),
                             where.binds);
        if (!q)
            return std::unexpected(q.error());
        while (q->next()) {
            Message m = readMessage(*q);
            if (pg && m_recent.contains(m.id))
                continue;
            fresh << std::move(m);
            if (fresh.size() == kBatch)
                break;
        }
    }
    for (const Message& m : std::as_const(fresh)) {
        m_lastId = std::max(m_lastId, m.id);
        if (pg)
            m_recent.insert(m.id);
    }
    if (pg) // forget what fell below the window
        m_recent.removeIf([this](qint64 id) { return id <= m_lastId - kLateWindow; });
    if (fresh.size() == kBatch) // more may wait: read again next time whatever the version
        m_dataVersion.reset();
    return fresh;
}

} // namespace ctx
