#pragma once

#include "core/db/DatabaseUrl.h"
#include "ui/workers/DatabaseSession.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QToolButton;
class QAction;

namespace ctx::ui {

class ActivityChartView;
class DatabaseSession;
class ExportRunner;
class LiveFollow;
class MessagePane;
class MessagesView;
class PasswordVault;
class RecordListView;
class SchemaView;
class SearchView;
class SessionsView;
class SqlConsole;

// The inspector's window: wires the views to the open database. Sessions on the
// left, the views in tabs, the selected message on the right. All database work
// runs on the sessions' worker threads.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Tab {
        MessagesTab,
        SearchTab,
        MemoryTab,
        AuditTab,
        TokensTab,
        ActivityTab,
        ConsoleTab,
        SchemaTab
    };
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens asynchronously; the current database stays until the new one is open.
    void openDatabase(const QString& urlText, bool writeMode = false);
    // The same with a URL that may hold its password (asked for when it does not).
    void openDatabase(const DatabaseUrl& url, bool writeMode = false);
    void showOpenDialog();
    // Reopens the current database in the other mode (after asking, unless told not to).
    void setWriteMode(bool write, bool confirm = true);
    bool isWriteMode() const;
    void showTab(Tab tab);
    static int tabFromName(const QString& name); // -1 when unknown

    QString statusText() const;
    QString rowCountsText() const; // "2 sessions · 6 messages" once they are counted
    QString errorText() const;
    DatabaseSession* session() const { return m_session; }
    DatabaseSession* consoleSession() const { return m_consoleSession; }
    SessionsView* sessionsView() const { return m_sessions; }
    MessagesView* messagesView() const { return m_messages; }
    MessagePane* messagePane() const { return m_pane; }
    SearchView* searchView() const { return m_search; }
    SqlConsole* console() const { return m_console; }
    SchemaView* schemaView() const { return m_schema; }
    ActivityChartView* activityView() const { return m_activity; }
    RecordListView* memoryView() const { return m_memory; }
    RecordListView* auditView() const { return m_audit; }
    RecordListView* tokensView() const { return m_tokens; }
    QTabWidget* tabs() const { return m_tabs; }
    QAction* followAction() const { return m_followAction; }
    int unreadCount() const { return m_unread; }

signals:
    void databaseOpened();
    void databaseFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildLayout();
    void buildActions();
    void buildStatusBar();
    void connectViews();
    void connectWithPassword(const DatabaseUrl& url, bool writeMode);
    void startSession(const DatabaseUrl& url, bool writeMode);
    void adoptSession(DatabaseSession* session);
    void showError(const QString& message);
    void clearError();
    void updateStatus();
    // latest: the session was chosen for the user; show its latest messages.
    void onSessionSelected(const QString& id, bool latest);
    // The server committed messages to the shown session: shown at once when following
    // at the end of the list, else counted as unread until Ctrl+J.
    void onNewMessages(const QString& sessionId, int count);
    void exportMessages();
    void exportQueryResult();
    void restoreLayout();
    void saveLayout();

    QPointer<DatabaseSession> m_session;
    QPointer<DatabaseSession> m_consoleSession;
    QPointer<DatabaseSession> m_statsSession; // aggregates: session counts, charts, lists
    // The message list's exact count and anchors: neither its pages nor the aggregates
    // (the sessions list counts every session's messages when a database opens) wait.
    QPointer<DatabaseSession> m_listSession;
    QPointer<DatabaseSession> m_opening;
    PasswordVault* m_vault;
    ExportRunner* m_export;
    QLabel* m_errorBanner;
    QSplitter* m_splitter;
    QTabWidget* m_tabs;
    SessionsView* m_sessions;
    MessagesView* m_messages;
    MessagePane* m_pane;
    SearchView* m_search;
    RecordListView* m_memory;
    RecordListView* m_audit;
    RecordListView* m_tokens;
    ActivityChartView* m_activity;
    SqlConsole* m_console;
    SchemaView* m_schema;
    QLabel* m_engineLabel;
    QLabel* m_rowsLabel;
    QLabel* m_modeLabel;
    QLabel* m_busyLabel;
    QProgressBar* m_progress;
    QToolButton* m_cancelButton;
    QAction* m_writeAction = nullptr;
    QAction* m_followAction = nullptr;
    LiveFollow* m_follow = nullptr;
    int m_unread = 0;
    QString m_status;
    QString m_error;
};

} // namespace ctx::ui
