// context-studio: the desktop inspector.
#include "core/Version.h"
#include "ui/MainWindow.h"
#include "ui/app/Automation.h"
#include "ui/views/MessageFilterBar.h"
#include "ui/views/MessagesView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Context Studio"));
    QApplication::setOrganizationName(QStringLiteral("Context Studio"));
    QApplication::setApplicationVersion(QStringLiteral(CTX_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.contextstudio.ContextStudio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Inspect shared-context-server databases (SQLite files and PostgreSQL)"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("database"),
                                 QStringLiteral("A file path or URL to open (read-only)."));
    const QCommandLineOption write(QStringLiteral("write"),
                                   QStringLiteral("Open with write access."));
    const QCommandLineOption session(QStringLiteral("select-session"),
                                     QStringLiteral("Select a session: an id or 'largest'."),
                                     QStringLiteral("id"));
    const QCommandLineOption jumpEnd(QStringLiteral("jump-to-end"),
                                     QStringLiteral("Jump to the last message."));
    const QCommandLineOption row(QStringLiteral("select-row"),
                                 QStringLiteral("Select a row of the message list."),
                                 QStringLiteral("n"));
    const QCommandLineOption message(QStringLiteral("show-message"),
                                     QStringLiteral("Show a message in the pane."),
                                     QStringLiteral("id"));
    const QCommandLineOption tab(QStringLiteral("tab"),
                                 QStringLiteral("Show a tab: messages, search, memory, audit, "
                                                "tokens, activity, console, schema."),
                                 QStringLiteral("name"));
    const QCommandLineOption paneTab(QStringLiteral("pane-tab"),
                                     QStringLiteral("Message pane tab: content, metadata, raw, "
                                                    "thread."),
                                     QStringLiteral("name"));
    const QCommandLineOption search(QStringLiteral("search"),
                                    QStringLiteral("Search all messages."), QStringLiteral("text"));
    const QCommandLineOption sql(QStringLiteral("sql"), QStringLiteral("Run SQL in the console."),
                                 QStringLiteral("sql"));
    const QCommandLineOption shot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a PNG of the window when done, then quit."),
                                  QStringLiteral("file"));
    const QCommandLineOption quit(QStringLiteral("quit"), QStringLiteral("Quit when done."));
    const QCommandLineOption viewAs(QStringLiteral("as"),
                                    QStringLiteral("View as an agent: every view shows what it "
                                                   "may see (public, its own private and "
                                                   "agent_only)."),
                                    QStringLiteral("agent"));
    parser.addOptions(
        {write, session, jumpEnd, row, message, tab, paneTab, search, sql, shot, quit, viewAs});
    parser.process(app);

    ctx::ui::MainWindow window;
    window.show();
    if (const QString agent = parser.value(viewAs).trimmed(); !agent.isEmpty()) {
        window.messagesView()->filterBar()->setViewer(ctx::Viewer::asAgent(agent));
        window.messagesView()->applyFilters(); // every view takes the viewer now
    }

    ctx::ui::AutomationOptions options;
    options.open = parser.positionalArguments().value(0);
    options.write = parser.isSet(write);
    options.session = parser.value(session);
    options.jumpToEnd = parser.isSet(jumpEnd);
    options.row = parser.isSet(row) ? parser.value(row).toInt() : -1;
    options.message = parser.value(message).toLongLong();
    options.tab = parser.value(tab);
    options.paneTab = parser.value(paneTab);
    options.search = parser.value(search);
    options.sql = parser.value(sql);
    options.screenshot = parser.value(shot);
    options.quit = parser.isSet(quit);
    auto* automation = new ctx::ui::Automation(&window, options);
    if (!options.open.isEmpty())
        QTimer::singleShot(0, automation, &ctx::ui::Automation::start);
    else
        QTimer::singleShot(0, &window, &ctx::ui::MainWindow::showOpenDialog);
    const int rc = app.exec();
    return rc != 0 ? rc : automation->exitCode();
}
