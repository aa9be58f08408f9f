// ctxdb assess/migrate as a user runs them: kill -9 during the load then --resume,
// a PostgreSQL connection dropped mid-run, wrong URLs, JSON events.
#include "core/legacy/DemoWriter.h"
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::test;

namespace {

constexpr qint64 kMessages = 50000;

QJsonObject lastJsonLine(const QByteArray& out) {
    const QList<QByteArray> lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last()).object();
}

qint64 count(const Connection& c, const QString& sql) {
    auto v = c.scalar(sql);
    return v ? v->toLongLong() : -1;
}

} // namespace

class TestMigrateCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_demo;
    DemoSummary m_rows;

    std::unique_ptr<ScratchDatabase> scratch(const QString& tag) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine())); // no server: FAIL, never skip
        return std::move(*db);
    }

    // Starts a migration and returns once it has committed its first batch of messages
    // (a progress event of the messages table with rows done).
    void startAndWaitForProgress(QProcess& p, const QStringList& args) {
        p.start(QString::fromLocal8Bit(qgetenv("CTXDB_BIN")), args);
        QVERIFY(p.waitForStarted());
        auto messagesCommitted = [](const QByteArray& line) {
            const QJsonObject e = QJsonDocument::fromJson(line).object();
            return e.value("event").toString() == "progress" &&
                   e.value("table").toString() == "messages" && e.value("rows_done").toDouble() > 0;
        };
        for (bool committed = false; !committed;) {
            QVERIFY2(p.state() == QProcess::Running || p.canReadLine(),
                     "migrate ended before its first checkpoint");
            if (!p.canReadLine())
                p.waitForReadyRead(100);
            while (p.canReadLine() && !committed)
                committed = messagesCommitted(p.readLine());
        }
    }

    void verifyComplete(const ScratchDatabase& db) {
        auto conn = db.connect();
        QVERIFY(conn.has_value());
        const Connection& c = **conn;
        QCOMPARE(count(c, "SELECT count(*) FROM messages"), kMessages);
        QCOMPARE(count(c, "SELECT count(DISTINCT id) FROM messages"), kMessages);
        QCOMPARE(count(c, "SELECT max(id) FROM messages"), kMessages);
        QCOMPARE(count(c, "SELECT count(*) FROM sessions"), m_rows.sessions);
        QCOMPARE(count(c, "SELECT count(*) FROM agent_memory"), m_rows.memory);
        QCOMPARE(count(c, "SELECT count(*) FROM audit_log"), m_rows.audit);
        QCOMPARE(count(c, "SELECT count(*) FROM secure_tokens"), m_rows.tokens);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(!qgetenv("CTXDB_BIN").isEmpty());
        m_demo = m_dir.filePath("demo.db");
        DemoOptions o;
        o.path = m_demo;
        o.messages = kMessages;
        auto written = DemoWriter::write(o);
        QVERIFY(written.has_value());
        m_rows = *written;
    }

    void killDuringLoadThenResume() {
        auto db = scratch("migkill");
        const FileFingerprint before = FileFingerprint::of(m_demo);
        const QString target =
            QString::fromLocal8Bit(qgetenv("CTX_TEST_PG_URL")).section('/', 0, -2) + '/' +
            db->url().database();
        QProcess p;
        startAndWaitForProgress(
            p, {"migrate", m_demo, target, "--json", "--batch-rows", "500", "--jobs", "2"});
        p.kill(); // SIGKILL: no cleanup, no rollback in the client
        p.waitForFinished();
        {
            auto conn = db->connect();
            QVERIFY(conn.has_value());
            const qint64 partial = count(**conn, "SELECT count(*) FROM messages");
            QVERIFY2(partial > 0 && partial < kMessages, qPrintable(QString::number(partial)));
            // Data and checkpoints agree: rows loaded == rows the checkpoints say are done.
            QCOMPARE(count(**conn, "SELECT sum(rows_done) FROM ctx_transfer_progress WHERE "
                                   "table_name = 'messages'"),
                     partial);
        }
        const CliResult plain = runCtxdb({"migrate", m_demo, target});
        QCOMPARE(plain.exitCode, 1);
        QVERIFY(plain.all().contains("--resume"));
        const CliResult resumed = runCtxdb({"migrate", m_demo, target, "--resume", "--json"});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QJsonObject summary = lastJsonLine(resumed.out);
        QCOMPARE(summary.value("event").toString(), QStringLiteral("summary"));
        QCOMPARE(summary.value("status").toString(), QStringLiteral("ok"));
        QVERIFY(summary.value("resumed").toBool());
        for (const QJsonValue& t : summary.value("tables").toArray()) {
            const QJsonObject o = t.toObject();
            QVERIFY(o.contains("name") && o.contains("seconds") && o.contains("rejected"));
            QCOMPARE(o.value("target_rows").toDouble(), o.value("source_rows").toDouble());
        }
        verifyComplete(*db);
        QCOMPARE(FileFingerprint::of(m_demo), before);
    }

    void droppedConnectionFailsClearlyAndResumes() {
        auto db = scratch("migdrop");
        const QString target =
            QString::fromLocal8Bit(qgetenv("CTX_TEST_PG_URL")).section('/', 0, -2) + '/' +
            db->url().database();
        QProcess p;
        startAndWaitForProgress(
            p, {"migrate", m_demo, target, "--json", "--batch-rows", "500", "--jobs", "1"});
        {
            auto admin = db->connect();
            QVERIFY(admin.has_value());
            auto killed = (*admin)->exec(
                QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                               "datname = current_database() AND pid <> pg_backend_pid()"));
            QVERIFY(killed.has_value());
        }
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError().trimmed();
        QCOMPARE(err.count('\n'), 0); // one line
        QVERIFY2(err.contains("--resume") && err.contains("127.0.0.1"), err.constData());
        QVERIFY(!err.contains(db->url().password().toUtf8()) || db->url().password().isEmpty());
        const CliResult resumed = runCtxdb({"migrate", m_demo, target, "--resume"});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        verifyComplete(*db);
    }

    void unreachableServerOneLine() {
        const FileFingerprint before = FileFingerprint::of(m_demo);
        const CliResult r =
            runCtxdb({"migrate", m_demo, "postgresql://ctx:sekret@127.0.0.1:1/nowhere"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        QVERIFY(r.err.contains("127.0.0.1"));
        QVERIFY(!r.all().contains("sekret"));
        QCOMPARE(FileFingerprint::of(m_demo), before);
        const QString missingDb =
            QString::fromLocal8Bit(qgetenv("CTX_TEST_PG_URL")).section('/', 0, -2) +
            "/ctx_no_such_database";
        const CliResult r2 = runCtxdb({"migrate", m_demo, missingDb});
        QCOMPARE(r2.exitCode, 1);
        QCOMPARE(r2.err.trimmed().count('\n'), 0);
        const CliResult usage = runCtxdb({"migrate", m_demo});
        QCOMPARE(usage.exitCode, 2);
    }

    void assessJson() {
        const CliResult r = runCtxdb({"assess", m_demo, "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("variant").toString(), QStringLiteral("3b"));
        QVERIFY(o.value("quick_check_ok").toBool());
        bool sawShapes = false;
        for (const QJsonValue& h : o.value("hazards").toArray())
            sawShapes |= h.toObject().value("hazard").toString() == "timestamp_shape";
        QVERIFY(sawShapes);
        QVERIFY(o.value("estimated_seconds").toDouble() > 0);
        const CliResult missing = runCtxdb({"assess", m_dir.filePath("nope.db")});
        QCOMPARE(missing.exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestMigrateCli)
#include "tst_migrate_cli.moc"
