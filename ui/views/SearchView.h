#pragma once

#include "core/store/StoreTypes.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace ctx::ui {

class DatabaseSession;
class RecordTableModel;

// Full-text search across all sessions (or the current one), hits ranked with the
// matched words highlighted. The first search builds the index on the worker with
// progress (a side cache file for read-only SQLite sources). Hits are what the current
// viewer ("view as") may see; a new viewer searches again.
class SearchView : public QWidget {
    Q_OBJECT
public:
    explicit SearchView(QWidget* parent = nullptr);

    // Another database: no hits, no pending search, no selected session.
    void setSession(DatabaseSession* session);
    void setCurrentSessionId(const QString& id) { m_currentSession = id; }
    void setViewer(const Viewer& viewer);
    const Viewer& viewer() const { return m_viewer; }
    void search(const QString& text);
    void focusQuery();
    int hitCount() const;
    QTableView* table() const { return m_table; }
    RecordTableModel* model() const { return m_model; }
    qint64 lastSearchMs() const { return m_lastMs; }

signals:
    void messageSelected(qint64 id, const ctx::Viewer& viewer);
    void finished(int hits);
    void failed(const QString& message);

private:
    QPointer<DatabaseSession> m_session;
    QString m_currentSession;
    Viewer m_viewer;
    QString m_lastText; // the search whose hits are shown
    QLineEdit* m_query;
    QCheckBox* m_thisSession;
    QLabel* m_info;
    QTableView* m_table;
    RecordTableModel* m_model;
    quint64 m_generation = 0;
    qint64 m_lastMs = -1;
};

} // namespace ctx::ui
