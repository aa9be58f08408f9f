#pragma once

#include "core/store/StoreTypes.h"

#include <QPointer>
#include <QWidget>
#include <functional>

class QLineEdit;
class QTableView;
class QSortFilterProxyModel;

namespace ctx::ui {

class DatabaseSession;
class RecordTableModel;

// The sessions of a database: purpose, creator, active flag, message count, agents,
// last activity; sortable by any column (last activity first), filtered by any text.
// It fills in three steps: the sessions at once, then their counts and last activity
// (selecting the most recently active session when nothing is selected), then their
// agents.
class SessionsView : public QWidget {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        PurposeColumn,
        CreatorColumn,
        ActiveColumn,
        MessagesColumn,
        AgentsColumn,
        LastActivityColumn
    };
    explicit SessionsView(QWidget* parent = nullptr);

    // fast: lists the sessions at once; slow: computes counts and agents afterwards.
    void setSession(DatabaseSession* fast, DatabaseSession* slow = nullptr);
    void reload();
    bool selectSession(const QString& id);
    QString currentSessionId() const;
    QString largestSessionId() const;
    // The session with the latest activity (message, or creation when it has none).
    QString mostRecentSessionId() const;
    QStringList agentsOf(const QString& id) const;
    // Its messages as counted with the list (every visibility); -1 before the counts.
    qint64 messageCountOf(const QString& id) const;
    int sessionCount() const;
    bool isListed() const { return m_listed; }
    bool hasCounts() const { return m_hasCounts; }
    bool hasAgents() const { return m_hasAgents; }
    QTableView* table() const { return m_table; }
    QLineEdit* filterEdit() const { return m_filter; }

signals:
    void sessionSelected(const QString& id);
    // Nothing was selected when the full list arrived: the most recently active session
    // is selected for the user (a first screen with something on it).
    void mostRecentSelected(const QString& id);
    void listed(int sessions);       // the sessions, before their message counts
    void loaded(int sessions);       // with message counts and last activity
    void agentsLoaded(int sessions); // then with the agents of each session too
    void failed(const QString& message);

private:
    void showSessions(const QList<SessionInfo>& sessions);
    void loadCounts();
    void loadAgents();
    void listOnSlowWorker(SessionDetail detail,
                          std::function<void(const QList<SessionInfo>&)> then);
    void slowDone(); // the counts and agents passes ended: once more if a reload came
    QPointer<DatabaseSession> m_session;
    QPointer<DatabaseSession> m_slow;
    bool m_restoring = false;
    bool m_choosing = false; // selecting the most recent session for the user
    bool m_listed = false;
    bool m_hasCounts = false;
    bool m_hasAgents = false;
    bool m_slowRunning = false; // the counts or agents pass is queued or running
    bool m_slowAgain = false;   // a reload came meanwhile
    QList<SessionInfo> m_shown;
    QLineEdit* m_filter;
    QTableView* m_table;
    RecordTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
};

} // namespace ctx::ui
