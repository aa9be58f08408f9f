// What the window shows belongs to the open database and to the viewer (issue 17
// items 14 and 15): opening another database resets every view, model, cache and
// pending page of the old one; "view as" an agent applies the list's visibility rules
// in the pane, the thread, search, the activity chart and the export.
#include "core/db/Connection.h"
#include "support/LegacyFixtures.h"
#include "ui/MainWindow.h"
#include "ui/charts/ActivityChartView.h"
#include "ui/models/MessageTableModel.h"
#include "ui/models/RecordTableModel.h"
#include "ui/views/ExportRunner.h"
#include "ui/views/MessageFilterBar.h"
#include "ui/views/MessagePane.h"
#include "ui/views/MessagesView.h"
#include "ui/views/RecordListView.h"
#include "ui/views/SearchView.h"
#include "ui/views/SessionsView.h"

#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QThread>
#include <QTreeWidget>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

namespace {
const QString kSessionOfB = QStringLiteral("session_bbbbbbbbbbbbbbbb");
const QString kGemini = QStringLiteral("gemini-research");

QSet<qint64> idsIn(QTreeWidget* tree) {
    QSet<qint64> ids;
    QList<QTreeWidgetItem*> todo;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        todo << tree->topLevelItem(i);
    while (!todo.isEmpty()) {
        QTreeWidgetItem* item = todo.takeFirst();
        ids << item->data(0, Qt::UserRole).toLongLong();
        for (int i = 0; i < item->childCount(); ++i)
            todo << item->child(i);
    }
    return ids;
}

QSet<qint64> hitIds(SearchView* view) {
    QSet<qint64> ids;
    for (int r = 0; r < view->model()->rowCount(); ++r)
        ids << view->model()->rowAt(r).key.toLongLong();
    return ids;
}
} // namespace

class TestIsolation : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_fileA;
    QString m_fileB;

    static bool openAndWait(MainWindow& w, const QString& url) {
        QSignalSpy sessions(w.sessionsView(), &SessionsView::loaded);
        w.openDatabase(url);
        return sessions.wait(30000);
    }

    static bool selectRowOf(MainWindow& w, qint64 id) {
        MessageTableModel* model = w.messagesView()->model();
        for (int r = 0; r < model->rowCount(); ++r)
            if (const Message* m = model->messageAt(r); m && m->id == id) {
                QSignalSpy loaded(w.messagePane(), &MessagePane::loaded);
                w.messagesView()->jumpToRow(r);
                return loaded.wait(30000) && w.messagePane()->currentMessageId() == id;
            }
        return false;
    }

    static bool searchAndWait(MainWindow& w, const QString& text) {
        QSignalSpy done(w.searchView(), &SearchView::finished);
        w.searchView()->search(text);
        return done.wait(60000);
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_CACHE_HOME", m_dir.filePath(QStringLiteral("cache")).toUtf8());
        m_fileA = m_dir.filePath(QStringLiteral("a.db"));
        m_fileB = m_dir.filePath(QStringLiteral("b.db"));
        QVERIFY(writeLegacyFile(m_fileA, LegacyVersion::V3b));
        QVERIFY(writeLegacyFile(m_fileB, LegacyVersion::V3b));
        // B: the same message ids with other content, another session id, one memory
        // entry and one audit row fewer.
        ConnectionOptions writable;
        writable.readOnly = false;
        auto b = Connection::open(DatabaseUrl::sqliteFile(m_fileB), writable);
        QVERIFY(b.has_value());
        QVERIFY((*b)->execAll(
                        {QStringLiteral("PRAGMA foreign_keys = OFF"),
                         QStringLiteral("UPDATE messages SET content = 'from B: ' || content"),
                         QStringLiteral("UPDATE sessions SET id = '%1' WHERE id = '%2'")
                             .arg(kSessionOfB, fixture::kSessionA),
                         QStringLiteral("UPDATE messages SET session_id = '%1' WHERE session_id = "
                                        "'%2'")
                             .arg(kSessionOfB, fixture::kSessionA),
                         QStringLiteral("DELETE FROM agent_memory WHERE id = (SELECT min(id) FROM "
                                        "agent_memory)"),
                         QStringLiteral("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM "
                                        "audit_log)")})
                    .has_value());
    }

    // Item 14: select a session, a message, search, chart; with pages of A still queued
    // (A's worker is busy), open B: nothing of A is shown, and A's pages never land.
    void openingAnotherDatabaseForgetsTheOldOne() {
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, m_fileA));
        MessageTableModel* model = w.messagesView()->model();
        model->setPageSize(2); // five rows in three pages
        QVERIFY(w.sessionsView()->selectSession(fixture::kSessionA));
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown(), 30000);
        QCOMPARE(model->total(), qint64(5));
        QVERIFY(w.messagesView()->countText().contains(fixture::kSessionA));
        QVERIFY(selectRowOf(w, 1));
        QVERIFY(w.messagePane()->contentView()->toPlainText().contains("Hello from claude"));
        QVERIFY(searchAndWait(w, QStringLiteral("reply")));
        QVERIFY(w.searchView()->hitCount() > 0);
        QSignalSpy charted(w.activityView(), &ActivityChartView::loaded);
        w.showTab(MainWindow::ActivityTab);
        QVERIFY(charted.wait(30000));
        QCOMPARE(w.activityView()->activity().total, qint64(5));
        QTRY_COMPARE_WITH_TIMEOUT(w.memoryView()->model()->rowCount(), fixture::kMemory, 30000);

        // A's worker is busy; the pages asked for now wait behind it (one page cached:
        // the others are asked for again).
        w.session()->run<int>(
            &w,
            [](WorkerContext&) {
                QThread::msleep(1500);
                return 0;
            },
            [](const int&) {});
        model->setMaxCachedPages(1);
        for (int row = 0; row < 5; ++row)
            model->data(model->index(row, MessageTableModel::ContentColumn));
        QTRY_VERIFY_WITH_TIMEOUT(model->pagesInFlight() > 0, 10000);

        QVERIFY(openAndWait(w, m_fileB));
        QTest::qWait(300); // anything of A still on its way would arrive now
        // B opens on its most recent session (its renamed one, whose updated_at the
        // rename's trigger moved to now; issue 20 item 4) at its latest message: what is
        // shown is B's, never a page of A's.
        QCOMPARE(w.messagesView()->sessionId(), kSessionOfB);
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown() && model->total() == 5, 30000);
        for (int row = 0; row < model->rowCount(); ++row)
            if (const Message* m = model->messageAt(row))
                QVERIFY2(m->content.startsWith("from B: "), qPrintable(m->content));
        QVERIFY2(!w.messagesView()->countText().contains(fixture::kSessionA),
                 qPrintable(w.messagesView()->countText()));
        QVERIFY2(!w.statusText().contains(fixture::kSessionA), qPrintable(w.statusText()));
        QTRY_COMPARE_WITH_TIMEOUT(w.messagePane()->currentMessageId(), qint64(5), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.messagePane()->contentView()->toPlainText().startsWith("from B: "), 30000);
        QVERIFY(!w.messagePane()->contentView()->toPlainText().contains("Hello from claude"));
        QCOMPARE(w.searchView()->hitCount(), 0);
        // The chart (its tab is current) follows B's session now; it reads only B.
        QCOMPARE(w.sessionsView()->sessionCount(), fixture::kSessions);
        QVERIFY(w.sessionsView()->agentsOf(fixture::kSessionA).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(w.memoryView()->model()->rowCount(), fixture::kMemory - 1, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(w.auditView()->model()->rowCount(), fixture::kAudit - 1, 30000);

        // B's own rows: its session, its heading, its message 1.
        QVERIFY(w.sessionsView()->selectSession(kSessionOfB));
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown(), 30000);
        QCOMPARE(model->total(), qint64(5));
        QVERIFY(w.messagesView()->countText().contains(kSessionOfB));
        model->data(model->index(0, MessageTableModel::ContentColumn)); // back to the top
        QTRY_VERIFY_WITH_TIMEOUT(model->messageAt(0) != nullptr, 30000);
        QVERIFY(selectRowOf(w, 1));
        QVERIFY(w.messagePane()->contentView()->toPlainText().startsWith("from B: Hello"));
        QVERIFY(searchAndWait(w, QStringLiteral("reply")));
        for (int r = 0; r < w.searchView()->model()->rowCount(); ++r)
            QCOMPARE(w.searchView()->model()->rowAt(r).values.value(0).toString(), kSessionOfB);
    }

    // Item 15: as gemini-research (public, plus its own private and agent_only) the pane,
    // the thread, search, the chart and the export show what the list shows, never
    // claude-main's private note (3) or the admin_only message (5).
    void viewAsAppliesToEveryView() {
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, m_fileA));
        MessageTableModel* model = w.messagesView()->model();
        QVERIFY(w.sessionsView()->selectSession(fixture::kSessionA));
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown() && model->total() == 5, 30000);
        QVERIFY(selectRowOf(w, 1));
        QCOMPARE(idsIn(w.messagePane()->threadTree()), (QSet<qint64>{1, 2, 3}));
        QVERIFY(searchAndWait(w, QStringLiteral("Admins")));
        QCOMPARE(hitIds(w.searchView()), QSet<qint64>{5});

        // View as the agent: the list, and with it every other view.
        QSignalSpy reloaded(w.messagePane(), &MessagePane::loaded);
        QSignalSpy searched(w.searchView(), &SearchView::finished);
        w.messagesView()->filterBar()->setViewer(Viewer::asAgent(kGemini));
        w.messagesView()->applyFilters();
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown() && model->total() == 3, 30000);
        // The message shown is read again, as the agent.
        QTRY_VERIFY_WITH_TIMEOUT(reloaded.count() > 0, 30000);
        QCOMPARE(w.messagePane()->currentMessageId(), qint64(1));
        QCOMPARE(idsIn(w.messagePane()->threadTree()), (QSet<qint64>{1, 2}));
        // The search shown is run again, as the agent.
        QTRY_VERIFY_WITH_TIMEOUT(searched.count() > 0, 60000);
        QCOMPARE(w.searchView()->hitCount(), 0);
        QVERIFY(searchAndWait(w, QStringLiteral("note")));
        QVERIFY(!hitIds(w.searchView()).contains(3));
        QVERIFY(searchAndWait(w, QStringLiteral("reply")));
        QCOMPARE(hitIds(w.searchView()), QSet<qint64>{2});

        // The pane, asked for hidden messages by id (thread, --show-message, a search
        // hit): nothing of them is shown.
        for (qint64 hidden : {3, 5}) {
            QSignalSpy failed(w.messagePane(), &MessagePane::failed);
            w.messagePane()->showMessage(hidden);
            QVERIFY(failed.wait(30000));
            QCOMPARE(w.messagePane()->currentMessageId(), qint64(0));
            QVERIFY(w.messagePane()->contentView()->toPlainText().isEmpty());
            QCOMPARE(w.messagePane()->threadTree()->topLevelItemCount(), 0);
            QCOMPARE(w.messagePane()->rawTree()->topLevelItemCount(), 0);
        }

        // The chart counts what the agent may see: 1, 2 and its own agent_only 4.
        QSignalSpy charted(w.activityView(), &ActivityChartView::loaded);
        w.showTab(MainWindow::ActivityTab);
        QVERIFY(charted.wait(30000));
        QCOMPARE(w.activityView()->activity().total, qint64(3));
        QVERIFY(!w.activityView()->activity().agents.contains(QStringLiteral("admin-console")));

        // The export writes the list as the agent sees it.
        const QString path = m_dir.filePath(QStringLiteral("as-agent.csv"));
        ExportRunner runner(&w);
        QSignalSpy exported(&runner, &ExportRunner::finished);
        runner.exportMessages(w.session(), w.messagesView()->currentQuery(), path);
        QVERIFY(exported.wait(30000));
        QVERIFY(exported.first().at(0).toBool());
        QFile csv(path);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QSet<qint64> written;
        for (int i = 1; i < lines.size(); ++i)
            written << lines.at(i).split(',').value(0).toLongLong();
        QCOMPARE(written, (QSet<qint64>{1, 2, 4}));

        // Back to admin: everything again.
        QSignalSpy again(w.activityView(), &ActivityChartView::loaded);
        w.messagesView()->filterBar()->setViewer(Viewer::asAdmin());
        w.messagesView()->applyFilters();
        QVERIFY(again.wait(30000));
        QCOMPARE(w.activityView()->activity().total, qint64(5));
    }
};

QTEST_MAIN(TestIsolation)
#include "tst_ui_isolation.moc"
