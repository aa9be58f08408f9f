// Issue 20 item 2, the inspector: while the server writes the open file (WAL mode, its
// writer with a 5 ms busy timeout, one transaction per message), the shown session's
// new messages appear within a second when the last one is selected, are counted as
// unread when the user reads elsewhere, new sessions join the list, and the writer
// never meets SQLITE_BUSY.
#include "support/LegacyFixtures.h"
#include "support/SourceWriter.h"
#include "ui/MainWindow.h"
#include "ui/models/MessageTableModel.h"
#include "ui/views/MessagesView.h"
#include "ui/views/SessionsView.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;
using namespace ctx::ui;

class TestUiFollow : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // Commits messages first..last one by one while the window's event loop runs.
    static QStringList write(SourceWriter& writer, int first, int last) {
        QStringList failures;
        for (int n = first; n <= last; ++n) {
            const QByteArray answer = writer.sql(liveMessageInsert(n));
            if (answer != "ok")
                failures << QString::fromUtf8(answer);
            QCoreApplication::processEvents();
        }
        return failures;
    }

private slots:
    void followsTheServerWhileItWrites() {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        const QString path = m_dir.filePath(QStringLiteral("live.db"));
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3b));
        QVERIFY(execSql(path, {QStringLiteral("PRAGMA journal_mode=WAL")}));
        SourceWriter writer(path);
        QVERIFY(writer.started());
        QCOMPARE(writer.sql("PRAGMA busy_timeout = 5; SELECT count(*) FROM sessions"), "ok");
        QVERIFY(QFile::exists(path + "-wal") && QFile::exists(path + "-shm")); // a server runs

        MainWindow w;
        w.show();
        QSignalSpy loaded(w.sessionsView(), &SessionsView::loaded);
        w.openDatabase(path);
        QVERIFY(loaded.wait(30000));
        QVERIFY(w.followAction()->isChecked());
        MessageTableModel* model = w.messagesView()->model();
        QCOMPARE(w.messagesView()->sessionId(), fixture::kSessionB); // the most recent
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown() && w.messagesView()->isAtEnd(), 30000);

        // At the end of the list: every message shows up, the last one selected.
        QElapsedTimer sinceLast;
        QStringList failures = write(writer, 1, 200);
        sinceLast.start();
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("; ")));
        QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown() && model->total() == 201, 10000);
        qInfo("the last of 200 messages appeared %lld ms after its commit", sinceLast.elapsed());
        QTRY_COMPARE_WITH_TIMEOUT(w.messagesView()->table()->currentIndex().row(), 200, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(model->messageAt(200) != nullptr, 10000);
        for (int n = 1; n <= 200; ++n) { // each once, in order (row 0: session B's own)
            QVERIFY(model->messageAt(n));
            QCOMPARE(model->messageAt(n)->content, QStringLiteral("live %1").arg(n));
        }
        QCOMPARE(w.unreadCount(), 0);

        // Reading an earlier message: new ones are counted, the list stays still.
        QVERIFY(model->messageAt(199));
        w.messagesView()->jumpToRow(199);
        failures = write(writer, 201, 203);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("; ")));
        QTRY_COMPARE_WITH_TIMEOUT(w.unreadCount(), 3, 10000);
        QCOMPARE(model->total(), qint64(201));
        QCOMPARE(w.messagesView()->table()->currentIndex().row(), 199);

        // A new session joins the list.
        const int sessions = w.sessionsView()->sessionCount();
        QCOMPARE(writer.sql("INSERT INTO sessions (id, purpose, created_by) VALUES "
                            "('session_1111111111111111', 'new', 'live-agent')"),
                 "ok");
        QTRY_COMPARE_WITH_TIMEOUT(w.sessionsView()->sessionCount(), sessions + 1, 10000);
        QCOMPARE(w.messagesView()->sessionId(), fixture::kSessionB); // still the same one
    }
};

int main(int argc, char** argv) {
    if (const int code = SourceWriter::runIfWriter(argc, argv); code >= 0)
        return code;
    QApplication app(argc, argv);
    TestUiFollow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_ui_follow.moc"
