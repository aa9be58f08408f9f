#pragma once

#include "core/store/StoreTypes.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTableView;
class QToolButton;

namespace ctx::ui {

class DatabaseSession;
class RecordTableModel;
class SearchIndexBuild;

// Full-text search across all sessions (or the current one), hits ranked with the
// matched words highlighted. On a SQLite file whose index is far behind (never built:
// minutes at ten million messages) a search answers at once from the newest messages,
// read for up to kFirstAnswerMs, while SearchIndexBuild builds the side cache on its
// own thread with progress and a Stop button; when it is done the search runs again
// through the index. A small backlog is indexed on the worker first. Hits are what the
// current viewer ("view as") may see; a new viewer searches again.
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
    // Whether the hits shown came from the index (false: from the newest messages only).
    bool lastAnswerIndexed() const { return m_lastIndexed; }
    bool isBuildingIndex() const;
    QString infoText() const;
    static constexpr int kFirstAnswerMs = 1500;
    // How long a search without the index reads the newest messages (tests: 0, one range).
    void setFirstAnswerMs(int ms) { m_firstAnswerMs = ms; }

signals:
    void messageSelected(qint64 id, const ctx::Viewer& viewer);
    void finished(int hits);
    // The background index build ended (ok: the search shown is being run again).
    void indexBuildFinished(bool ok);
    void failed(const QString& message);

private:
    void runSearch(const SearchQuery& q, quint64 gen, bool firstAnswer);
    void showBuildProgress(qint64 done, qint64 total);
    void onBuildFinished(bool ok, bool cancelled, const QString& message);
    QPointer<DatabaseSession> m_session;
    QString m_currentSession;
    Viewer m_viewer;
    QString m_lastText; // the search whose hits are shown
    QLineEdit* m_query;
    QCheckBox* m_thisSession;
    QLabel* m_info;
    QTableView* m_table;
    RecordTableModel* m_model;
    QProgressBar* m_buildProgress;
    QToolButton* m_stopBuild;
    SearchIndexBuild* m_build;
    quint64 m_generation = 0;
    qint64 m_lastMs = -1;
    bool m_lastIndexed = true;
    int m_firstAnswerMs = kFirstAnswerMs;
};

} // namespace ctx::ui
