#pragma once

#include "StoreFeatures.h"
#include "StoreTypes.h"
#include "core/db/Connection.h"

#include <QSet>

namespace ctx {

// A session's new messages as they commit, for `ctxdb messages --follow` and the
// inspector's following: each message once, in id order, as the viewer may see it.
// It holds no lock and no read transaction between polls, so the server's writers
// never wait on it and its WAL can reset (../shared/DESIGN.md). On SQLite a poll asks
// PRAGMA data_version (it moves when another connection commits) and reads only when
// it moved. On PostgreSQL ids are taken from a sequence before their transaction
// commits, so one can appear below an id already seen: each poll reads the ids above
// the newest seen minus kLateWindow (never below where following began) and skips
// those it has returned.
class MessageFollower {
public:
    MessageFollower(const Connection& conn, const QString& sessionId, const Viewer& viewer,
                    qint64 afterId);
    // The messages committed since the last poll (at most kBatch; poll again for more).
    Result<QList<Message>> poll();
    qint64 lastId() const { return m_lastId; }
    // The highest message id of the session now (0 when it has none): follow after it.
    static Result<qint64> latestId(const Connection& conn, const QString& sessionId);

    static constexpr int kBatch = 1000;
    static constexpr qint64 kLateWindow = 1000;

private:
    Result<bool> changedSinceLastPoll();
    const Connection& m_conn;
    QString m_sessionId;
    Viewer m_viewer;
    qint64 m_lastId = 0;
    qint64 m_floor = 0; // the id following began after: never looked below
    std::optional<qint64> m_dataVersion;
    std::optional<StoreFeatures> m_features;
    QSet<qint64> m_recent; // PostgreSQL: ids returned within the late window
};

} // namespace ctx
