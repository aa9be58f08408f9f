#include "MainWindow.h"

#include "charts/ActivityChartView.h"
#include "console/SqlConsole.h"
#include "models/MessageTableModel.h"
#include "ui/app/PasswordRequest.h"
#include "ui/app/PasswordVault.h"
#include "ui/app/RecentDatabases.h"
#include "views/ExportRunner.h"
#include "views/MessageFilterBar.h"
#include "views/MessagePane.h"
#include "views/MessagesView.h"
#include "views/RecordListView.h"
#include "views/SchemaView.h"
#include "views/SearchView.h"
#include "views/SessionsView.h"
#include "workers/DatabaseSession.h"
#include "workers/LiveFollow.h"

#include <QCloseEvent>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace ctx::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_vault(new PasswordVault(this))
    , m_export(new ExportRunner(this))
    , m_errorBanner(new QLabel)
    , m_splitter(new QSplitter(Qt::Horizontal))
    , m_tabs(new QTabWidget)
    , m_sessions(new SessionsView)
    , m_messages(new MessagesView)
    , m_pane(new MessagePane)
    , m_search(new SearchView)
    , m_memory(makeMemoryView())
    , m_audit(makeAuditView())
    , m_tokens(makeTokensView())
    , m_activity(new ActivityChartView)
    , m_console(new SqlConsole)
    , m_schema(new SchemaView) {
    m_follow = new LiveFollow(this);
    setWindowTitle(tr("Context Studio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/context-studio.svg")));
    buildLayout();
    buildStatusBar();
    buildActions();
    connectViews();
    restoreLayout();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildLayout() {
    m_tabs->addTab(m_messages, tr("&Messages"));
    m_tabs->addTab(m_search, tr("&Search"));
    m_tabs->addTab(m_memory, tr("Memory"));
    m_tabs->addTab(m_audit, tr("Audit log"));
    m_tabs->addTab(m_tokens, tr("Tokens"));
    m_tabs->addTab(m_activity, tr("Activity"));
    m_tabs->addTab(m_console, tr("SQL console"));
    m_tabs->addTab(m_schema, tr("Schema"));
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_sessions);
    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(m_pane);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 5);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setSizes({430, 770, 360});
    m_errorBanner->setWordWrap(true);
    m_errorBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorBanner->setStyleSheet(QStringLiteral(
        "QLabel { background: #f8d7da; color: #721c24; padding: 6px; border-radius: 3px; }"));
    m_errorBanner->hide();
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    resize(1580, 960);
}

void MainWindow::connectViews() {
    connect(m_sessions, &SessionsView::sessionSelected, this,
            [this](const QString& id) { onSessionSelected(id, false); });
    connect(m_sessions, &SessionsView::mostRecentSelected, this,
            [this](const QString& id) { onSessionSelected(id, true); });
    connect(m_follow, &LiveFollow::newMessages, this, &MainWindow::onNewMessages);
    connect(m_follow, &LiveFollow::sessionsChanged, m_sessions, &SessionsView::reload);
    connect(m_sessions, &SessionsView::failed, this, &MainWindow::showError);
    connect(m_sessions, &SessionsView::agentsLoaded, this, [this] {
        // The agents follow the counts: "view as" learns the shown session's now.
        if (!m_messages->sessionId().isEmpty())
            m_messages->filterBar()->setAgents(m_sessions->agentsOf(m_messages->sessionId()));
    });
    connect(m_messages, &MessagesView::messageSelected, m_pane,
            qOverload<qint64, const Viewer&>(&MessagePane::showMessage));
    // One "view as" for every view: the pane, search and activity read through the
    // same eyes as the list (export takes the list's query).
    connect(m_messages, &MessagesView::viewerChanged, this, [this](const Viewer& viewer) {
        m_pane->setViewer(viewer);
        m_follow->setViewer(viewer);
        m_search->setViewer(viewer);
        m_activity->setViewer(viewer);
    });
    connect(m_messages, &MessagesView::statusChanged, this, [this](const QString& s) {
        m_status = s;
        statusBar()->showMessage(s);
    });
    connect(m_search, &SearchView::messageSelected, m_pane,
            qOverload<qint64, const Viewer&>(&MessagePane::showMessage));
    connect(m_activity, &ActivityChartView::filterRequested, this,
            [this](const QString& sender, qint64 since, qint64 until) {
                m_messages->filterBar()->setSender(sender);
                m_messages->filterBar()->setTimeRange(since, until);
                m_messages->applyFilters();
                showTab(MessagesTab);
            });
    connect(m_schema, &SchemaView::completionWordsReady, m_console,
            &SqlConsole::setCompletionWords);
    connect(m_export, &ExportRunner::finished, this, [this](bool ok, const QString& message) {
        if (ok) {
            clearError();
            statusBar()->showMessage(message, 10000);
        } else {
            showError(message);
        }
    });
    connect(m_vault, &PasswordVault::unavailable, this, [this](const QString& reason) {
        statusBar()->showMessage(
            tr("No keychain available (%1): passwords will be asked for each time").arg(reason),
            15000);
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == ActivityTab && m_activity->activity().hours.isEmpty())
            m_activity->reload();
    });
}

void MainWindow::onNewMessages(const QString& sessionId, int count) {
    if (sessionId != m_messages->sessionId())
        return;
    if (m_followAction->isChecked() && m_unread == 0 && m_messages->isAtEnd()) {
        m_messages->showLatest(sessionId, m_sessions->agentsOf(sessionId),
                               m_sessions->messageCountOf(sessionId));
        return;
    }
    m_unread += count;
    statusBar()->showMessage(
        tr("%n new message(s) in %1 — Ctrl+J shows them", nullptr, m_unread).arg(sessionId));
}

void MainWindow::onSessionSelected(const QString& id, bool latest) {
    m_follow->setSessionId(id);
    m_unread = 0;
    if (latest)
        m_messages->showLatest(id, m_sessions->agentsOf(id), m_sessions->messageCountOf(id));
    else
        m_messages->showSession(id, m_sessions->agentsOf(id), m_sessions->messageCountOf(id));
    m_search->setCurrentSessionId(id);
    m_activity->setCurrentSessionId(id);
    if (m_tabs->currentIndex() == ActivityTab)
        m_activity->reload();
}

int MainWindow::tabFromName(const QString& name) {
    static const QStringList names{QStringLiteral("messages"), QStringLiteral("search"),
                                   QStringLiteral("memory"),   QStringLiteral("audit"),
                                   QStringLiteral("tokens"),   QStringLiteral("activity"),
                                   QStringLiteral("console"),  QStringLiteral("schema")};
    return int(names.indexOf(name.toLower()));
}

void MainWindow::showTab(Tab tab) {
    m_tabs->setCurrentIndex(int(tab));
}

QString MainWindow::rowCountsText() const {
    return m_rowsLabel->text();
}

QString MainWindow::statusText() const {
    return m_error.isEmpty() ? m_status : m_error;
}

QString MainWindow::errorText() const {
    return m_error;
}

void MainWindow::showError(const QString& message) {
    m_error = message;
    m_errorBanner->setText(message);
    m_errorBanner->show();
    statusBar()->showMessage(message);
}

void MainWindow::clearError() {
    m_error.clear();
    m_errorBanner->hide();
}

void MainWindow::openDatabase(const QString& urlText, bool writeMode) {
    auto url = DatabaseUrl::parse(urlText.trimmed());
    if (!url) {
        showError(url.error().oneLine());
        emit databaseFailed(url.error().oneLine());
        return;
    }
    connectWithPassword(*url, writeMode);
}

void MainWindow::openDatabase(const DatabaseUrl& url, bool writeMode) {
    connectWithPassword(url, writeMode);
}

void MainWindow::connectWithPassword(const DatabaseUrl& given, bool writeMode) {
    PasswordRequest::complete(this, m_vault, given, [this, writeMode](const DatabaseUrl& url) {
        startSession(url, writeMode);
    });
}

void MainWindow::startSession(const DatabaseUrl& url, bool writeMode) {
    delete m_opening;
    auto* session = new DatabaseSession(url, !writeMode, this);
    m_opening = session;
    statusBar()->showMessage(tr("Opening %1…").arg(url.redacted()));
    connect(session, &DatabaseSession::opened, this, [this, session] {
        if (m_opening != session)
            return;
        m_opening = nullptr;
        adoptSession(session);
    });
    connect(session, &DatabaseSession::openFailed, this, [this, session](const Error& e) {
        if (m_opening == session)
            m_opening = nullptr;
        session->deleteLater();
        showError(e.oneLine());
        emit databaseFailed(e.oneLine());
    });
    session->open();
}

void MainWindow::adoptSession(DatabaseSession* session) {
    const DatabaseUrl url = session->url();
    clearError();
    if (url.isPostgres() && url.hasPassword())
        m_vault->offer(RecentDatabases::storable(url), url.password(), url.passwordSource());
    RecentDatabases::add(url);
    DatabaseSession* previous = m_session;
    DatabaseSession* previousConsole = m_consoleSession;
    DatabaseSession* previousStats = m_statsSession;
    DatabaseSession* previousList = m_listSession;
    // Four connections, each on its own thread: interactive reads (pages, the
    // message pane, search), slow aggregates (session counts, charts, lists), the
    // message list's count and anchors, and the SQL console, so that none waits behind
    // another.
    // Every view forgets the old database: its rows, selection, heading, caches and
    // pending work (answers still on their way are dropped by generation, and the old
    // sessions, deleted below, deliver nothing more).
    m_status.clear();
    statusBar()->clearMessage();
    m_statsSession = new DatabaseSession(url, session->isReadOnly(), this);
    m_statsSession->open();
    m_session = session;
    m_listSession = new DatabaseSession(url, session->isReadOnly(), this);
    m_listSession->open();
    m_consoleSession = new DatabaseSession(url, session->isReadOnly(), this);
    m_consoleSession->open();
    m_sessions->setSession(session, m_statsSession);
    m_follow->setSession(session);
    m_unread = 0;
    m_messages->setSession(session);
    m_messages->model()->setAnchorSession(m_listSession);
    m_pane->setSession(session);
    m_search->setSession(session);
    for (RecordListView* v : {m_memory, m_audit, m_tokens}) {
        v->setSession(m_statsSession);
        v->reload();
    }
    m_activity->setSession(m_statsSession);
    m_schema->setSession(session);
    m_schema->reload();
    m_console->setSession(m_consoleSession, RecentDatabases::storable(url));
    connect(session, &DatabaseSession::busyChanged, this, &MainWindow::updateStatus);
    connect(session, &DatabaseSession::healthChanged, this, &MainWindow::updateStatus);
    session->countRowsOn(m_statsSession);
    connect(session, &DatabaseSession::progress, this,
            [this](const QString& task, qint64 done, qint64 total) {
                const bool active = !task.isEmpty();
                m_progress->setVisible(active);
                m_cancelButton->setVisible(active);
                if (active) {
                    m_progress->setMaximum(int(std::min<qint64>(total, INT_MAX)));
                    m_progress->setValue(int(std::min<qint64>(done, INT_MAX)));
                    m_progress->setFormat(task + QStringLiteral(" %p%"));
                }
            });
    setWindowTitle(tr("%1 — Context Studio").arg(url.displayName()));
    delete previous;
    delete previousConsole;
    delete previousStats;
    delete previousList;
    if (m_writeAction)
        m_writeAction->setChecked(!session->isReadOnly());
    updateStatus();
    statusBar()->showMessage(
        tr("Opened %1 (%2)")
            .arg(url.redacted(), session->isReadOnly() ? tr("read-only") : tr("write mode")),
        8000);
    emit databaseOpened();
}

bool MainWindow::isWriteMode() const {
    return m_session && !m_session->isReadOnly();
}

void MainWindow::setWriteMode(bool write, bool confirm) {
    if (!m_session || write == isWriteMode()) {
        if (m_writeAction)
            m_writeAction->setChecked(isWriteMode());
        return;
    }
    if (write && confirm &&
        QMessageBox::question(this, tr("Write mode"),
                              tr("Reopen %1 with write access? Statements in the SQL console "
                                 "will then change the database.")
                                  .arg(m_session->url().redacted())) != QMessageBox::Yes) {
        m_writeAction->setChecked(false);
        return;
    }
    startSession(m_session->url(), write);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveLayout();
    event->accept();
}

void MainWindow::restoreLayout() {
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(s.value(QStringLiteral("window/mainSplitter")).toByteArray());
}

void MainWindow::saveLayout() {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/mainSplitter"), m_splitter->saveState());
}

} // namespace ctx::ui
