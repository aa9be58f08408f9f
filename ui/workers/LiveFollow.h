#pragma once

#include "core/db/Connection.h"
#include "core/store/StoreTypes.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <memory>

namespace ctx::ui {

class DatabaseSession;

// Follows the open database while the server writes it. Every 500 ms, on the session's
// worker, it asks whether anything committed (core's MessageFollower: PRAGMA
// data_version on SQLite, the ids above the last seen on PostgreSQL) and holds no lock
// or read transaction between polls, so the server's writers never wait on the
// inspector. It reports the shown session's new messages and a changed number of
// sessions; one poll runs at a time.
class LiveFollow : public QObject {
    Q_OBJECT
public:
    explicit LiveFollow(QObject* parent = nullptr);
    ~LiveFollow() override;
    void setSession(DatabaseSession* session); // nullptr: stop
    void setSessionId(const QString& id);      // the session whose messages count
    void setViewer(const Viewer& viewer);
    static constexpr int kIntervalMs = 500;

signals:
    void newMessages(const QString& sessionId, int count);
    void sessionsChanged(qint64 sessions);

private:
    struct State;
    void poll();
    void restart();
    static bool start(State& state, const Connection& conn, const QString& sessionId,
                      const Viewer& viewer);
    QTimer m_timer;
    QPointer<DatabaseSession> m_session;
    QString m_sessionId;
    Viewer m_viewer;
    bool m_polling = false;
    std::shared_ptr<State> m_state; // used on the worker only, one poll at a time
};

} // namespace ctx::ui
