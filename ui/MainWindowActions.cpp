// The window's menus, shortcuts, status bar and export commands.
#include "MainWindow.h"

#include "console/SqlConsole.h"
#include "views/ExportRunner.h"
#include "views/MessagesView.h"
#include "views/OpenDialog.h"
#include "views/RecordListView.h"
#include "views/SchemaView.h"
#include "views/SearchView.h"
#include "views/SessionsView.h"
#include "wizard/MigrationTools.h"
#include "workers/DatabaseSession.h"

#include <QApplication>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QProgressBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>

namespace ctx::ui {

void MainWindow::buildActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto add = [this](QMenu* menu, const QString& text, const QKeySequence& keys, auto slot) {
        QAction* a = menu->addAction(text);
        a->setShortcut(keys);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    bar->addAction(add(file, tr("&Open…"), QKeySequence::Open, [this] { showOpenDialog(); }));
    QAction* reload = add(file, tr("&Reload"), QKeySequence(Qt::Key_F5), [this] {
        m_sessions->reload();
        m_messages->applyFilters();
        m_schema->reload();
        for (RecordListView* v : {m_memory, m_audit, m_tokens})
            v->reload();
    });
    bar->addAction(reload);
    file->addSeparator();
    bar->addAction(add(file, tr("&Export message list…"), QKeySequence(Qt::CTRL | Qt::Key_E),
                       [this] { exportMessages(); }));
    add(file, tr("Export &query result…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
        [this] { exportQueryResult(); });
    file->addSeparator();
    m_writeAction = add(file, tr("&Write mode"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W),
                        [this](bool on) { setWriteMode(on); });
    m_writeAction->setCheckable(true);
    m_writeAction->setToolTip(tr("Reopen the database with write access (default read-only)"));
    bar->addSeparator();
    bar->addAction(m_writeAction);
    file->addSeparator();
    add(file, tr("&Quit"), QKeySequence::Quit, [this] { close(); });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    add(view, tr("Filter &sessions"), QKeySequence(Qt::CTRL | Qt::Key_K), [this] {
        m_sessions->filterEdit()->setFocus();
        m_sessions->filterEdit()->selectAll();
    });
    add(view, tr("&Find in all messages"), QKeySequence::Find, [this] {
        showTab(SearchTab);
        m_search->focusQuery();
    });
    add(view, tr("Jump to the &end of the list"), QKeySequence(Qt::CTRL | Qt::Key_J), [this] {
        showTab(MessagesTab);
        if (m_unread > 0) { // the new messages are read again, then the end shown
            m_unread = 0;
            const QString id = m_messages->sessionId();
            m_messages->showLatest(id, m_sessions->agentsOf(id), m_sessions->messageCountOf(id));
            return;
        }
        m_messages->jumpToEnd();
    });
    m_followAction = add(view, tr("F&ollow new messages"), QKeySequence(), [] {});
    m_followAction->setCheckable(true);
    m_followAction->setChecked(true);
    m_followAction->setToolTip(tr("While the last message is selected, messages the server "
                                  "commits appear within a second; otherwise they are counted"));
    add(view, tr("&Cancel running query"), QKeySequence(Qt::CTRL | Qt::Key_Period), [this] {
        if (m_session)
            m_session->interrupt();
        if (m_consoleSession)
            m_consoleSession->interrupt();
    });
    view->addSeparator();
    for (int i = 0; i < m_tabs->count(); ++i) {
        QString name = m_tabs->tabText(i);
        name.remove(QLatin1Char('&'));
        add(view, name, QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)),
            [this, i] { m_tabs->setCurrentIndex(i); });
    }
    installMigrationTools(this, menuBar()->addMenu(tr("&Tools")));
}

void MainWindow::buildStatusBar() {
    m_engineLabel = new QLabel;
    m_rowsLabel = new QLabel;
    m_modeLabel = new QLabel;
    m_busyLabel = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setMaximumWidth(260);
    m_progress->hide();
    m_cancelButton = new QToolButton;
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->hide();
    connect(m_cancelButton, &QToolButton::clicked, this, [this] {
        if (m_session)
            m_session->interrupt();
    });
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
    statusBar()->addPermanentWidget(m_busyLabel);
    statusBar()->addPermanentWidget(m_engineLabel);
    statusBar()->addPermanentWidget(m_rowsLabel);
    statusBar()->addPermanentWidget(m_modeLabel);
}

void MainWindow::updateStatus() {
    if (!m_session) {
        m_engineLabel->setText(tr("No database"));
        m_rowsLabel->clear();
        m_modeLabel->clear();
        m_busyLabel->clear();
        m_status = tr("Open a database with Ctrl+O");
        return;
    }
    const OpenInfo& info = m_session->info();
    m_engineLabel->setText(
        info.schema.serverSchema || info.schema.serverTables
            ? tr("%1 %2 · schema %3")
                  .arg(engineName(info.engine), info.serverVersion, schemaVersionLabel(info.schema))
            : tr("%1 %2 · schema %3 (%4)")
                  .arg(engineName(info.engine), info.serverVersion)
                  .arg(info.schema.version)
                  .arg(info.schema.variant));
    QStringList counts;
    for (const auto& [table, n] : info.health.rowCounts)
        if (table == QLatin1String("sessions") || table == QLatin1String("messages"))
            counts << tr("%1 %2").arg(QLocale().toString(n), table);
    m_rowsLabel->setText(counts.join(QStringLiteral(" · ")));
    const bool ro = m_session->isReadOnly();
    m_modeLabel->setText(ro ? tr("READ-ONLY") : tr("WRITE MODE"));
    m_modeLabel->setStyleSheet(ro ? QString()
                                  : QStringLiteral("QLabel { color: white; background: #c0392b; "
                                                   "padding: 0 6px; font-weight: bold; }"));
    m_busyLabel->setText(m_session->pendingJobs() > 0 ? tr("working…") : QString());
    if (m_status.isEmpty() || m_status.startsWith(tr("Open a database")))
        m_status = tr("%1 · %2").arg(engineName(info.engine), ro ? tr("read-only") : tr("write"));
}

void MainWindow::showOpenDialog() {
    OpenDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted || dialog.urlText().isEmpty())
        return;
    openDatabase(dialog.urlText(), dialog.writeMode());
}

void MainWindow::exportMessages() {
    if (!m_session || m_messages->sessionId().isEmpty()) {
        showError(tr("Select a session first: the export writes its filtered message list"));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export messages"), m_messages->sessionId() + QStringLiteral(".csv"),
        tr("CSV (*.csv);;JSON (*.json)"));
    if (!path.isEmpty())
        m_export->exportMessages(m_session, m_messages->currentQuery(), path);
}

void MainWindow::exportQueryResult() {
    if (!m_consoleSession || m_console->resultStatements().isEmpty()) {
        showError(tr("Run a query in the SQL console first"));
        return;
    }
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export query result"), QStringLiteral("result.csv"),
                                     tr("CSV (*.csv);;JSON (*.json)"));
    if (!path.isEmpty())
        m_export->exportQuery(m_consoleSession, m_console->resultStatements(), path);
}

} // namespace ctx::ui
