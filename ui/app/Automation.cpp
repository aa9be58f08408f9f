#include "Automation.h"

#include "ui/MainWindow.h"
#include "ui/charts/ActivityChartView.h"
#include "ui/console/SqlConsole.h"
#include "ui/console/SqlEditor.h"
#include "ui/models/MessageTableModel.h"
#include "ui/views/MessagePane.h"
#include "ui/views/MessagesView.h"
#include "ui/views/SchemaView.h"
#include "ui/views/SearchView.h"
#include "ui/views/SessionsView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>
#include <QTableView>
#include <QTextStream>
#include <QTimer>

namespace ctx::ui {

namespace {
constexpr int kTimeoutMs = 120000;
QElapsedTimer& clock() {
    static QElapsedTimer timer;
    if (!timer.isValid())
        timer.start();
    return timer;
}
void say(const QString& line) {
    QTextStream(stderr) << "automation: [" << clock().elapsed() << " ms] " << line << Qt::endl;
}
} // namespace

Automation::Automation(MainWindow* window, AutomationOptions options)
    : QObject(window)
    , m_window(window)
    , m_options(std::move(options)) {}

template <class Sender, class Signal>
void Automation::waitFor(Sender* sender, Signal signal, std::function<void()> next,
                         const QString& what) {
    auto done = std::make_shared<bool>(false);
    auto conn = std::make_shared<QMetaObject::Connection>();
    *conn = connect(sender, signal, this, [done, conn, next] {
        if (*done)
            return;
        *done = true;
        QObject::disconnect(*conn);
        QTimer::singleShot(0, next);
    });
    QTimer::singleShot(kTimeoutMs, this, [this, done, what] {
        if (*done)
            return;
        *done = true;
        say(QStringLiteral("timed out waiting for %1").arg(what));
        m_exitCode = 1;
        finish();
    });
}

void Automation::start() {
    clock();
    if (m_options.open.isEmpty()) {
        finish();
        return;
    }
    connect(m_window, &MainWindow::databaseFailed, this, [this](const QString& message) {
        say(QStringLiteral("open failed: %1").arg(message));
        m_exitCode = 1;
        QTimer::singleShot(m_options.settleMs, this, &Automation::finish);
    });
    waitFor(
        m_window, &MainWindow::databaseOpened, [this] { afterOpen(); },
        QStringLiteral("the database to open"));
    m_window->openDatabase(m_options.open, m_options.write);
}

void Automation::afterOpen() {
    say(QStringLiteral("database open"));
    // "largest" needs the message counts; an explicit id only the list.
    const bool needCounts = m_options.session == QLatin1String("largest");
    SessionsView* sessions = m_window->sessionsView();
    if (needCounts ? sessions->hasCounts() : sessions->isListed()) {
        afterSessions(); // they came before we started waiting
        return;
    }
    waitFor(
        m_window->sessionsView(), needCounts ? &SessionsView::loaded : &SessionsView::listed,
        [this] { afterSessions(); }, QStringLiteral("the sessions"));
}

void Automation::afterSessions() {
    say(QStringLiteral("sessions listed"));
    if (m_options.session.isEmpty()) {
        showTabAndAct();
        return;
    }
    const QString id = m_options.session == QLatin1String("largest")
                           ? m_window->sessionsView()->largestSessionId()
                           : m_options.session;
    waitFor(
        m_window->messagesView()->model(), &MessageTableModel::totalKnown, [this] { afterRows(); },
        QStringLiteral("the first rows"));
    if (!m_window->sessionsView()->selectSession(id)) {
        say(QStringLiteral("no session %1").arg(id));
        m_exitCode = 1;
        finish();
    }
}

void Automation::afterRows() {
    say(QStringLiteral("first rows"));
    MessagesView* view = m_window->messagesView();
    const int rows = view->model()->rowCount();
    int row = m_options.row >= 0 ? std::min(m_options.row, rows - 1) : 0;
    if (m_options.jumpToEnd)
        row = rows - 1;
    if (rows == 0) {
        showTabAndAct();
        return;
    }
    waitFor(
        m_window->messagePane(), &MessagePane::loaded, [this] { afterMessage(); },
        QStringLiteral("the message pane"));
    view->jumpToRow(row);
    if (m_options.message > 0) // shown after the row's own message
        QTimer::singleShot(300, this, [this] {
            waitFor(
                m_window->messagePane(), &MessagePane::loaded, [this] { afterMessage(); },
                QStringLiteral("the requested message"));
            m_window->messagePane()->showMessage(m_options.message);
        });
}

void Automation::afterMessage() {
    say(QStringLiteral("message shown"));
    if (m_options.message > 0 && m_window->messagePane()->currentMessageId() != m_options.message)
        return; // the requested message follows
    const QString t = m_options.paneTab.toLower();
    if (t == QLatin1String("metadata"))
        m_window->messagePane()->showTab(MessagePane::MetadataTab);
    else if (t == QLatin1String("raw"))
        m_window->messagePane()->showTab(MessagePane::RawTab);
    else if (t == QLatin1String("thread"))
        m_window->messagePane()->showTab(MessagePane::ThreadTab);
    showTabAndAct();
}

void Automation::showTabAndAct() {
    const int tab = MainWindow::tabFromName(m_options.tab);
    if (tab >= 0)
        m_window->showTab(MainWindow::Tab(tab));
    if (!m_options.search.isEmpty()) {
        m_window->showTab(MainWindow::SearchTab);
        waitFor(
            m_window->searchView(), &SearchView::finished, [this] { finish(); },
            QStringLiteral("the search"));
        m_window->searchView()->search(m_options.search);
        return;
    }
    if (!m_options.sql.isEmpty()) {
        m_window->showTab(MainWindow::ConsoleTab);
        SqlConsole* console = m_window->console();
        console->editor()->setText(m_options.sql);
        waitFor(
            console, &SqlConsole::finished, [this] { finish(); }, QStringLiteral("the query"));
        // The console's own connection opens in parallel; give it a moment.
        QTimer::singleShot(1500, this, [console] { console->run(SqlConsole::Scope::All); });
        return;
    }
    if (tab == MainWindow::ActivityTab) {
        waitFor(
            m_window->activityView(), &ActivityChartView::loaded, [this] { finish(); },
            QStringLiteral("the chart"));
        return;
    }
    finish();
}

void Automation::finish() {
    QTimer::singleShot(m_options.settleMs, this, [this] {
        if (!m_options.screenshot.isEmpty()) {
            const QPixmap shot = m_window->grab();
            if (!shot.save(m_options.screenshot)) {
                say(QStringLiteral("cannot write %1").arg(m_options.screenshot));
                m_exitCode = 1;
            } else {
                say(QStringLiteral("saved %1").arg(m_options.screenshot));
            }
        }
        if (m_options.quit || !m_options.screenshot.isEmpty())
            QApplication::exit(m_exitCode);
    });
}

} // namespace ctx::ui
