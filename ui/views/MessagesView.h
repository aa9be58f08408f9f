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
    void showSession(const QString& sessionId, const QStringList& agents = {});
    // The same, then its latest message once the count is known.
    void showLatest(const QString& sessionId, const QStringList& agents = {});
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
    void updateCount();
    void syncViewer();

    QPointer<DatabaseSession> m_session;
    QString m_sessionId;
    bool m_endWhenCounted = false; // showLatest: jump to the last row once counted
    Viewer m_viewer;
    MessageFilterBar* m_filters;
    QTableView* m_table;
    QLabel* m_count;
    MessageTableModel* m_model;
};

} // namespace ctx::ui
