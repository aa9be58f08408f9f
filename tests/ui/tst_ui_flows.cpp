// The inspector's main flows, offscreen: open a legacy file, select a session,
// filter, open a thread, run a query, and see one readable error line for a bad
// file and for a write attempt in read-only mode (the file stays untouched).
#include "support/LegacyFixtures.h"
#include "ui/MainWindow.h"
#include "ui/compare/CompareView.h"
#include "ui/console/SqlConsole.h"
#include "ui/console/SqlEditor.h"
#include "ui/models/MessageTableModel.h"
#include "ui/models/QueryResultModel.h"
#include "ui/models/RecordTableModel.h"
#include "ui/schemaview/SchemaMigrationsView.h"
#include "ui/views/MessageFilterBar.h"
#include "ui/views/MessagePane.h"
#include "ui/views/MessagesView.h"
#include "ui/views/RecordListView.h"
#include "ui/views/SchemaView.h"
#include "ui/views/SessionsView.h"
#include "ui/wizard/MigrationWizard.h"
#include "ui/workers/DatabaseSession.h"

#include <QApplication>
#include <QFile>
#include <QFontDatabase>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

class TestFlows : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_file;

    bool openAndWait(MainWindow& w, const QString& url) {
        QSignalSpy sessions(w.sessionsView(), &SessionsView::loaded);
        w.openDatabase(url);
        return sessions.wait(30000);
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8()); // history
        m_file = m_dir.filePath(QStringLiteral("chat_history.db"));
        QVERIFY(writeLegacyFile(m_file, LegacyVersion::V3b));
    }

    void openSelectFilterAndThread() {
        const auto before = FileFingerprint::of(m_file);
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, m_file));
        QCOMPARE(w.sessionsView()->sessionCount(), fixture::kSessions);
        QVERIFY(w.errorText().isEmpty());
        QVERIFY(!w.isWriteMode());

        // Select session A: its messages arrive in the lazy table.
        MessageTableModel* model = w.messagesView()->model();
        QVERIFY(w.sessionsView()->selectSession(fixture::kSessionA));
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown(), 30000);
        QCOMPARE(model->total(), qint64(5));

        // Filter: only private messages.
        w.messagesView()->filterBar()->setVisibility(QStringLiteral("private"));
        w.messagesView()->applyFilters();
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown() && model->total() == 1, 30000);
        QCOMPARE(model->messageAt(0)->id, qint64(3));

        // Select it: the pane shows content, metadata, raw values and the thread
        // (message 3 replies to 2, which replies to 1).
        QSignalSpy loaded(w.messagePane(), &MessagePane::loaded);
        w.messagesView()->jumpToRow(0);
        QVERIFY(loaded.wait(30000));
        QVERIFY(w.messagePane()->contentView()->toPlainText().contains(
            QStringLiteral("My private note")));
        QTreeWidget* thread = w.messagePane()->threadTree();
        QCOMPARE(thread->topLevelItemCount(), 1);
        QCOMPARE(thread->topLevelItem(0)->data(0, Qt::UserRole).toLongLong(), qint64(1));
        QTreeWidgetItem* raw = w.messagePane()
                                   ->rawTree()
                                   ->findItems(QStringLiteral("timestamp"), Qt::MatchExactly)
                                   .value(0);
        QVERIFY(raw);
        QCOMPARE(raw->text(2), QStringLiteral("TEXT")); // '2025-01-01 00:06:00' as stored

        // Navigate the thread: activating the root shows message 1.
        QSignalSpy again(w.messagePane(), &MessagePane::loaded);
        emit thread->itemActivated(thread->topLevelItem(0), 0);
        QVERIFY(again.wait(30000));
        QCOMPARE(w.messagePane()->currentMessageId(), qint64(1));
        QVERIFY(w.messagePane()->metadataTree()->topLevelItemCount() > 0);

        // View as an agent: gemini-research sees the public ones and its own agent_only.
        w.messagesView()->filterBar()->clear();
        w.messagesView()->filterBar()->setViewer(
            Viewer::asAgent(QStringLiteral("gemini-research")));
        w.messagesView()->applyFilters();
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown() && model->total() == 3, 30000);

        // Memory: the expired entry is dimmed.
        QTRY_VERIFY_WITH_TIMEOUT(w.memoryView()->model()->rowCount() == fixture::kMemory, 30000);
        bool dimmed = false;
        for (int r = 0; r < w.memoryView()->model()->rowCount(); ++r)
            dimmed = dimmed || w.memoryView()->model()->rowAt(r).dimmed;
        QVERIFY(dimmed);
        QTRY_COMPARE_WITH_TIMEOUT(w.auditView()->model()->rowCount(), fixture::kAudit, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(w.tokensView()->model()->rowCount(), fixture::kTokens, 30000);

        // Schema: version 3, variant 3b.
        QTRY_VERIFY_WITH_TIMEOUT(w.schemaView()->tree()->topLevelItemCount() == 4, 30000);
        QVERIFY(w.schemaView()->summaryText().contains(QStringLiteral("3b")));
        w.close();
        QVERIFY(FileFingerprint::of(m_file) == before);
    }

    // Issue 20 item 4: the first screen has something on it. Session B's messages are
    // the latest (2025-08-20), though A comes first by id and holds more.
    void openingSelectsTheMostRecentSessionAtItsLatestMessage() {
        const QString path = m_dir.filePath(QStringLiteral("recent.db"));
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3b));
        QVERIFY(execSql(path, {QStringLiteral("INSERT INTO messages (id, session_id, sender, "
                                              "sender_type, content, visibility, timestamp) "
                                              "VALUES (7, '%1', 'claude-main', 'claude', 'Later', "
                                              "'public', 1755691300), (8, '%1', 'claude-main', "
                                              "'claude', 'Latest', 'public', 1755691400)")
                                   .arg(fixture::kSessionB)}));
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, path));
        QCOMPARE(w.sessionsView()->currentSessionId(), fixture::kSessionB);
        MessageTableModel* model = w.messagesView()->model();
        QTRY_VERIFY_WITH_TIMEOUT(
            model->isTotalKnown() && model->query().sessionId == fixture::kSessionB, 30000);
        QCOMPARE(model->total(), qint64(3));
        QTRY_COMPARE_WITH_TIMEOUT(w.messagesView()->table()->currentIndex().row(), 2, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(model->messageAt(2), 30000);
        QCOMPARE(model->messageAt(2)->id, qint64(8));
        QTRY_COMPARE_WITH_TIMEOUT(w.messagePane()->currentMessageId(), qint64(8), 30000);
        // A session the user picks is shown from its start.
        QVERIFY(w.sessionsView()->selectSession(fixture::kSessionA));
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown() && model->total() == 5, 30000);
        QCOMPARE(w.messagesView()->table()->currentIndex().row(), -1);
    }

    // Issue 19 item 4: on a legacy file the agents of each session take a pass over the
    // whole table (a minute on ten million messages). The list's counts, the first
    // screen and the jobs behind them do not wait for it; the agents follow, and "view
    // as" learns the shown session's.
    void theFirstScreenDoesNotWaitForTheAgents() {
        MainWindow w;
        w.show();
        SessionsView* sessions = w.sessionsView();
        bool agentsAtCounts = true;
        QString selectedAtCounts;
        connect(sessions, &SessionsView::loaded, this, [&] {
            agentsAtCounts = sessions->hasAgents() ||
                             !sessions->agentsOf(sessions->currentSessionId()).isEmpty();
            selectedAtCounts = sessions->currentSessionId();
        });
        QSignalSpy agents(sessions, &SessionsView::agentsLoaded);
        w.openDatabase(m_file);
        QVERIFY(agents.wait(30000));
        QVERIFY(!agentsAtCounts);
        QVERIFY(!selectedAtCounts.isEmpty());
        QCOMPARE(sessions->messageCountOf(fixture::kSessionA), qint64(5));
        const QStringList expected = sessions->agentsOf(w.messagesView()->sessionId());
        QVERIFY(!expected.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(w.messagesView()->filterBar()->agents(), expected, 10000);
        // The status bar's row counts come from the stats worker, after the rest.
        QTRY_COMPARE_WITH_TIMEOUT(w.rowCountsText(), QStringLiteral("2 sessions · 6 messages"),
                                  10000);
    }

    // A live server's new sessions reload the list. The counts and agents passes (a
    // minute on ten million messages) are never queued once per reload: reloads that
    // come while they run give one more pass after, not one each.
    void reloadsWhileCountingRunTheCountsOnceMore() {
        auto url = DatabaseUrl::parse(m_file);
        QVERIFY(url.has_value());
        DatabaseSession fast(*url, true), slow(*url, true);
        fast.open();
        slow.open();
        SessionsView view;
        QSignalSpy counted(&view, &SessionsView::loaded);
        QSignalSpy agents(&view, &SessionsView::agentsLoaded);
        view.setSession(&fast, &slow);
        for (int i = 0; i < 5; ++i)
            view.reload();
        QTRY_COMPARE_WITH_TIMEOUT(agents.count(), 2, 30000);
        QTest::qWait(500); // a third pass, were one queued, would end now
        QCOMPARE(agents.count(), 2);
        QCOMPARE(counted.count(), 2);
        QCOMPARE(view.messageCountOf(fixture::kSessionA), qint64(5));
    }

    void consoleRunsAQueryAndRefusesWritesInReadOnlyMode() {
        const auto before = FileFingerprint::of(m_file);
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, m_file));
        SqlConsole* console = w.console();
        QTRY_VERIFY_WITH_TIMEOUT(w.consoleSession() && w.consoleSession()->isOpen(), 30000);

        console->editor()->setText(QStringLiteral(
            "SELECT id, sender FROM messages ORDER BY id;\nSELECT count(*) FROM sessions;"));
        console->editor()->setCursorPosition(0, 5); // inside the first statement
        QSignalSpy done(console, &SqlConsole::finished);
        console->run(SqlConsole::Scope::Current);
        QVERIFY(done.wait(30000));
        QCOMPARE(done.takeFirst().at(0).toBool(), true);
        QTRY_VERIFY_WITH_TIMEOUT(console->result()->isComplete(), 30000);
        QCOMPARE(console->result()->rowCount(), fixture::kMessages);
        QCOMPARE(console->result()->columns(), (QStringList{"id", "sender"}));

        // A failing statement is marked on its line, with the error.
        console->editor()->setText(
            QStringLiteral("SELECT 1;\nSELECT * FROM no_such_table;\nSELECT 2;"));
        console->run(SqlConsole::Scope::All);
        QVERIFY(done.wait(30000));
        QCOMPARE(done.takeFirst().at(0).toBool(), false);
        QVERIFY(console->editor()->hasErrorMark());
        QCOMPARE(console->editor()->errorLine(), 1);
        QVERIFY(console->errorText().contains(QStringLiteral("no_such_table")));

        // Writes are refused while read-only; the file stays byte-for-byte the same.
        console->editor()->setText(QStringLiteral("DELETE FROM messages;"));
        console->run(SqlConsole::Scope::All);
        QVERIFY(done.wait(30000));
        QCOMPARE(done.takeFirst().at(0).toBool(), false);
        QVERIFY2(
            console->errorText().contains(QStringLiteral("readonly"), Qt::CaseInsensitive) ||
                console->errorText().contains(QStringLiteral("read-only"), Qt::CaseInsensitive),
            qPrintable(console->errorText()));
        console->editor()->setText(QStringLiteral("PRAGMA query_only = 0;"));
        console->run(SqlConsole::Scope::All);
        QVERIFY(done.wait(30000));
        QVERIFY(console->errorText().contains(QStringLiteral("write mode")));
        QVERIFY(!console->history().isEmpty());
        w.close();
        QVERIFY(FileFingerprint::of(m_file) == before);
    }

    void errorsAreOneReadableLine() {
        MainWindow w;
        w.show();
        QSignalSpy failed(&w, &MainWindow::databaseFailed);

        const QString text = m_dir.filePath(QStringLiteral("notes.db"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("this is not a database at all, just some text\n").repeated(200));
        f.close();
        w.openDatabase(text);
        QVERIFY(failed.wait(30000));
        QVERIFY(!w.errorText().isEmpty());
        QVERIFY(!w.errorText().contains(QLatin1Char('\n')));
        QVERIFY2(w.errorText().contains(QStringLiteral("notes.db")), qPrintable(w.errorText()));

        w.openDatabase(m_dir.filePath(QStringLiteral("missing.db")));
        QVERIFY(failed.wait(30000));
        QVERIFY(w.errorText().contains(QStringLiteral("missing.db")));

        w.openDatabase(QStringLiteral("postgresql://nobody:secret@127.0.0.1:1/none"));
        QVERIFY(failed.wait(30000));
        QVERIFY(!w.errorText().contains(QStringLiteral("secret")));
        QVERIFY(!w.errorText().isEmpty());

        // The application keeps running: a good file still opens afterwards.
        QVERIFY(openAndWait(w, m_file));
        QVERIFY(w.errorText().isEmpty());
    }

    // Tools: each entry opens its window on the open database, and nothing is written.
    void toolsMenuOpensTheMigrationTools() {
        const auto before = FileFingerprint::of(m_file);
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, m_file));
        QMenu* tools = nullptr;
        for (QAction* a : w.menuBar()->actions())
            if (a->text() == QStringLiteral("&Tools"))
                tools = a->menu();
        QVERIFY(tools);
        auto trigger = [&](const QString& start) {
            for (QAction* a : tools->actions())
                if (a->text().remove(QLatin1Char('&')).startsWith(start)) {
                    a->trigger();
                    return true;
                }
            return false;
        };
        QVERIFY(trigger(QStringLiteral("Migrate to PostgreSQL")));
        auto* wizard = w.findChild<MigrationWizard*>();
        QVERIFY(wizard && wizard->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(wizard->state().sourcePath(), m_file, 30000);
        QVERIFY(trigger(QStringLiteral("Compare databases")));
        auto* compare = w.findChild<CompareView*>();
        QVERIFY(compare && compare->isVisible());
        QVERIFY(!compare->isRunning()); // nothing runs before the user asks
        QVERIFY(trigger(QStringLiteral("Schema migrations")));
        auto* schema = w.findChild<SchemaMigrationsView*>();
        QVERIFY(schema && schema->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(schema->status().has_value(), 30000);
        QCOMPARE(schema->status()->info.version, 3);
        QVERIFY(!schema->status()->pending.isEmpty());
        w.close();
        QVERIFY(FileFingerprint::of(m_file) == before);
    }

    // What the pane renders for a message holding a code block, not what Qt's importer
    // does on its own, and whatever monospace font the desktop has: the block is a code
    // block and asks for the system's fixed-pitch font (a font with a double-width glyph,
    // such as Noto Sans Mono, is not "fixed pitch" to QFontInfo, and failed the old test).
    void markdownCodeBlocksAreMonospaced() {
        const QString file = m_dir.filePath(QStringLiteral("code.db"));
        QVERIFY(writeLegacyFile(file, LegacyVersion::V3b));
        qint64 id = -1;
        {
            ConnectionOptions writable;
            writable.readOnly = false;
            auto conn = Connection::open(DatabaseUrl::sqliteFile(file), writable);
            QVERIFY(conn);
            auto made = (*conn)->scalar(
                QStringLiteral("INSERT INTO messages (session_id, sender, content, visibility, "
                               "message_type, timestamp) VALUES (?, 'claude-main', ?, 'public', "
                               "'agent_response', 1735690500) RETURNING id"),
                {fixture::kSessionA, QStringLiteral("Text\n\n```sql\nSELECT 1;\n```\n")});
            QVERIFY(made);
            id = made->toLongLong();
        }
        DatabaseSession session(DatabaseUrl::sqliteFile(file), true);
        QSignalSpy opened(&session, &DatabaseSession::opened);
        session.open();
        QVERIFY(opened.wait(30000));
        MessagePane pane;
        pane.setSession(&session);
        QSignalSpy loaded(&pane, &MessagePane::loaded);
        pane.showMessage(id);
        QVERIFY(loaded.wait(30000));
        const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        bool sawCode = false;
        QTextDocument* doc = pane.contentView()->document();
        for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
            if (!b.text().contains(QStringLiteral("SELECT 1;")))
                continue;
            sawCode = true;
            QCOMPARE(b.blockFormat().stringProperty(QTextFormat::BlockCodeLanguage),
                     QStringLiteral("sql"));
            for (auto it = b.begin(); !it.atEnd(); ++it) {
                const QTextCharFormat f = it.fragment().charFormat();
                QVERIFY2(
                    f.fontFixedPitch() || f.fontFamilies().toStringList().contains(fixed.family()),
                    qPrintable(f.fontFamilies().toStringList().join(',') + " / " + fixed.family()));
            }
        }
        QVERIFY(sawCode);
    }
};

QTEST_MAIN(TestFlows)
#include "tst_ui_flows.moc"
