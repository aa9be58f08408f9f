#pragma once

#include "core/db/SqlScript.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace ctx::ui {

class DatabaseSession;
class QueryResultModel;
class SqlEditor;

// The SQL console: run the whole script, the selection or the statement under the
// cursor (Ctrl+Enter) on its own connection, see the failing statement marked with
// the error, browse the result lazily, cancel a running query, recall history
// (per database). Read-only unless the window is in write mode.
class SqlConsole : public QWidget {
    Q_OBJECT
public:
    enum class Scope { All, Selection, Current };
    explicit SqlConsole(QWidget* parent = nullptr);

    void setSession(DatabaseSession* session, const QString& historyKey);
    void setCompletionWords(const QStringList& words);
    void run(Scope scope);
    void cancel();
    bool isRunning() const { return m_running; }

    SqlEditor* editor() const { return m_editor; }
    QueryResultModel* result() const { return m_result; }
    QTableView* resultView() const { return m_table; }
    QString errorText() const;
    QString infoText() const;
    QStringList history() const;
    // The statements whose result the grid shows (for exporting it in full).
    QList<SqlStatement> resultStatements() const { return m_resultStatements; }

signals:
    void finished(bool ok);

private:
    void setRunning(bool running);
    SqlLexRules lexRules() const;
    void remember(const QString& sql);
    void loadHistory();

    QPointer<DatabaseSession> m_session;
    QString m_historyKey;
    SqlEditor* m_editor;
    QComboBox* m_history;
    QPushButton* m_runAll;
    QPushButton* m_runSelection;
    QPushButton* m_runCurrent;
    QPushButton* m_cancel;
    QLabel* m_mode;
    QLabel* m_error;
    QLabel* m_info;
    QTableView* m_table;
    QueryResultModel* m_result;
    bool m_running = false;
    QList<SqlStatement> m_resultStatements;
    QList<SqlStatement> m_pending;
    quint64 m_generation = 0;
};

} // namespace ctx::ui
