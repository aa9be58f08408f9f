#pragma once

#include "core/store/StoreTypes.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QTableView;

namespace ctx::ui {

class DatabaseSession;
class MessageFilterBar;
class MessageTableModel;

// One session's messages: the filter bar over the lazy table. Its "view as" is the
// window's: viewerChanged() tells the other views (pane, search, activity).
class MessagesView : public QWidget {
    Q_OBJECT
public:
    explicit MessagesView(QWidget* parent = nullptr);

    // Another database: no session selected, no rows, no pending page, filters cleared
    // (the viewer stays).
    void setSession(DatabaseSession* session);
    // messageCount: the session's messages as the sessions list counted them (-1 when
    // unknown); shown as the estimate while the list counts the rows (admin, no filter).
    void showSession(const QString& sessionId, const QStringList& agents = {},
                     qint64 messageCount = -1);
    // The same from its newest page: its latest message is current as soon as it is
    // read, before the count.
    void showLatest(const QString& sessionId, const QStringList& agents = {},
                    qint64 messageCount = -1);
    QString sessionId() const { return m_sessionId; }
    void applyFilters();
    void jumpToEnd();
    // Nothing shown yet, or the last row is the current one: new rows may follow.
    bool isAtEnd() const;
    void jumpToRow(int row);

    MessageTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    MessageFilterBar* filterBar() const { return m_filters; }
    MessageQuery currentQuery() const;
    Viewer viewer() const { return m_viewer; }
    QString countText() const;

signals:
    void messageSelected(qint64 id, const ctx::Viewer& viewer);
    void statusChanged(const QString& text);
    void viewerChanged(const ctx::Viewer& viewer);

private:
    void showFrom(const QString& sessionId, const QStringList& agents, qint64 messageCount,
                  bool atEnd);
    void updateCount();
    void showEstimate();
    void syncViewer();
    // Rows inserted or removed above the rows on screen (the count corrected the
    // estimate): the same rows stay on screen.
    void rememberTopRow(int first);
    void keepTopRow(int first, int delta);

    QPointer<DatabaseSession> m_session;
    QString m_sessionId;
    bool m_endPending = false;     // showLatest: read from the end, then show the last row
    bool m_endWhenCounted = false; // jumpToEnd before the count: jump again once counted
    qint64 m_messageCount = -1;    // the sessions list's count of the session
    bool m_estimateGiven = false;  // the estimate shown is that count
    int m_topRow = -1;             // the first row on screen before rows were inserted
    Viewer m_viewer;
    MessageFilterBar* m_filters;
    QTableView* m_table;
    QLabel* m_count;
    MessageTableModel* m_model;
};

} // namespace ctx::ui
