// Issue 20 item 2: `ctxdb messages DB SESSION --follow` prints each message as the
// server commits it, once and in order, and the server's writer (WAL mode, a 5 ms busy
// timeout, one transaction per message) never meets SQLITE_BUSY: the follower holds no
// lock or read transaction between its polls. Also when the file had no -wal or -shm
// when following began (opened immutable), and on PostgreSQL.
#include "core/transfer/Migrator.h"
#include "support/LegacyFixtures.h"
#include "support/SourceWriter.h"
#include "support/TestDatabases.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::test;

namespace {

constexpr int kWritten = 200;

// A running `ctxdb messages … --follow --json`: the JSON lines it printed so far.
class Follower {
public:
    explicit Follower(const QString& url) {
        m_process.setProgram(qEnvironmentVariable("CTXDB_BIN"));
        m_process.setArguments({"messages", url, fixture::kSessionB, "--follow", "--json"});
        m_process.start();
    }
    ~Follower() {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    bool started() { return m_process.waitForStarted(10000); }
    // Waits until `count` lines arrived (or the process ended); returns them.
    QList<QJsonObject> waitFor(int count, int timeoutMs = 30000) {
        QElapsedTimer t;
        t.start();
        while (m_lines.size() < count && t.elapsed() < timeoutMs &&
               m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(100);
            m_buffer += m_process.readAllStandardOutput();
            qsizetype nl;
            while ((nl = m_buffer.indexOf('\n')) >= 0) {
                m_lines << QJsonDocument::fromJson(m_buffer.left(nl)).object();
                m_buffer.remove(0, nl + 1);
            }
        }
        return m_lines;
    }
    QByteArray errors() { return m_process.readAllStandardError(); }

private:
    QProcess m_process;
    QByteArray m_buffer;
    QList<QJsonObject> m_lines;
};

} // namespace

class TestMessagesFollow : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // The writer commits kWritten messages one by one; every answer must be "ok".
    static QStringList writeAll(SourceWriter& writer) {
        QStringList failures;
        for (int n = 1; n <= kWritten; ++n) {
            const QByteArray answer = writer.sql(liveMessageInsert(n));
            if (answer != "ok")
                failures << QString::fromUtf8(answer);
        }
        return failures;
    }
    // The page's one message of session B (id 6), then every live one once, in order.
    static void expectAll(const QList<QJsonObject>& lines) {
        QCOMPARE(lines.size(), 1 + kWritten);
        QCOMPARE(lines.first().value("id").toInt(), 6);
        for (int n = 1; n <= kWritten; ++n) {
            QCOMPARE(lines[n].value("content").toString(), QStringLiteral("live %1").arg(n));
            QVERIFY(lines[n].value("id").toInt() > lines[n - 1].value("id").toInt());
        }
    }

private Q_SLOTS:
    void followsALiveWalWriterWhoNeverWaits() {
        const QString path = m_dir.filePath("live.db");
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3b));
        QVERIFY(execSql(path, {"PRAGMA journal_mode=WAL"}));
        SourceWriter writer(path);
        QVERIFY(writer.started());
        QCOMPARE(writer.sql("PRAGMA busy_timeout = 5; SELECT count(*) FROM sessions"), "ok");
        Follower follow(path);
        QVERIFY(follow.started());
        QCOMPARE(follow.waitFor(1).size(), 1); // the page: session B's one message
        const QStringList failures = writeAll(writer);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("; ")));
        const auto lines = follow.waitFor(1 + kWritten);
        QVERIFY2(lines.size() == 1 + kWritten, follow.errors().constData());
        expectAll(lines);
        // A checkpoint that resets the WAL is not held back by the follower.
        const QByteArray cp = writer.checkpoint();
        QVERIFY2(cp.startsWith("ok 0 "), cp.constData());
    }

    // Nothing had the file open when following began: no -wal, no -shm, so it was
    // opened immutable; it is opened again once the server's writer makes them.
    void followsAFileTheServerOpensLater() {
        const QString path = m_dir.filePath("later.db");
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3b));
        QVERIFY(execSql(path, {"PRAGMA journal_mode=WAL"}));
        QVERIFY(!QFile::exists(path + "-wal") && !QFile::exists(path + "-shm"));
        Follower follow(path);
        QVERIFY(follow.started());
        QCOMPARE(follow.waitFor(1).size(), 1);
        SourceWriter writer(path);
        QVERIFY(writer.started());
        QCOMPARE(writer.sql("PRAGMA busy_timeout = 5"), "ok");
        const QStringList failures = writeAll(writer);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("; ")));
        const auto lines = follow.waitFor(1 + kWritten);
        QVERIFY2(lines.size() == 1 + kWritten, follow.errors().constData());
        expectAll(lines);
    }

    void followsPostgres() {
        auto db = ScratchDatabase::create(Engine::Postgres, "follow");
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine())); // no server: FAIL, never skip
        const QString path = m_dir.filePath("pgsrc.db");
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3b));
        MigrateOptions o;
        o.sourcePath = path;
        o.target = (*db)->url();
        auto migrated = Migrator::run(o);
        QVERIFY2(migrated, migrated ? "" : qPrintable(migrated.error().oneLine()));
        auto conn = (*db)->connect(false);
        QVERIFY(conn);
        Follower follow(urlWithPassword((*db)->url()));
        QVERIFY(follow.started());
        QCOMPARE(follow.waitFor(1).size(), 1);
        for (int n = 1; n <= kWritten; ++n)
            QVERIFY((*conn)->exec(QString::fromUtf8(liveMessageInsert(n, true))));
        const auto lines = follow.waitFor(1 + kWritten);
        QVERIFY2(lines.size() == 1 + kWritten, follow.errors().constData());
        expectAll(lines);
    }
};

int main(int argc, char** argv) {
    if (const int code = SourceWriter::runIfWriter(argc, argv); code >= 0)
        return code;
    QCoreApplication app(argc, argv);
    TestMessagesFollow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_messages_follow.moc"
