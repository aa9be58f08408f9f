// ctxdb's foundation commands as a user runs them: help, version, exit codes,
// one-line errors for bad input that leave everything as it was, schema commands
// and the deterministic demo writer.
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestCliFoundation : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString writeFile(const QString& name, const QByteArray& content) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(content);
        return path;
    }

    static void verifyOneLineError(const CliResult& r, int code, const QString& subject,
                                   const QString& reason) {
        QCOMPARE(r.exitCode, code);
        QVERIFY2(r.out.isEmpty(), r.out.constData());
        const QString err = QString::fromUtf8(r.err).trimmed();
        QVERIFY2(!err.contains('\n'), qPrintable(err));
        QVERIFY2(err.contains(subject), qPrintable(err));
        QVERIFY2(err.contains(reason, Qt::CaseInsensitive), qPrintable(err));
    }

private Q_SLOTS:
    void helpAndVersion() {
        auto v = runCtxdb({"--version"});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith("ctxdb "));
        auto h = runCtxdb({"--help"});
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains("schema"));
        QVERIFY(h.out.contains("demo"));
        QVERIFY(h.out.contains("Exit codes"));
        auto sh = runCtxdb({"schema", "--help"});
        QCOMPARE(sh.exitCode, 0);
        QVERIFY(sh.out.contains("Usage: ctxdb schema"));
        QVERIFY(sh.out.contains("--backup"));
    }

    void usageErrorsExitTwo() {
        QCOMPARE(runCtxdb({}).exitCode, 2);
        QCOMPARE(runCtxdb({"frobnicate"}).exitCode, 2);
        QCOMPARE(runCtxdb({"schema", "status"}).exitCode, 2);
        QCOMPARE(runCtxdb({"schema", "explode", "x.db"}).exitCode, 2);
        QCOMPARE(runCtxdb({"schema", "status", "x.db", "--no-such-option"}).exitCode, 2);
        QCOMPARE(runCtxdb({"demo"}).exitCode, 2);
        QCOMPARE(runCtxdb({"demo", "--out", m_dir.filePath("n.db"), "--messages", "many"}).exitCode,
                 2);
        QVERIFY(!QFileInfo::exists(m_dir.filePath("n.db")));
    }

    void badSqliteInputs_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << "missing"
                                 << "no such file";
        QTest::newRow("empty") << "empty"
                               << "empty file";
        QTest::newRow("text") << "text"
                              << "not a SQLite database";
        QTest::newRow("truncated") << "truncated"
                                   << "";
        QTest::newRow("other app") << "other"
                                   << "not a shared-context-server database";
        QTest::newRow("directory") << "directory"
                                   << "directory";
    }
    void badSqliteInputs() {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QString path;
        if (kind == "missing") {
            path = m_dir.filePath("missing.db");
        } else if (kind == "empty") {
            path = writeFile("empty.db", {});
        } else if (kind == "text") {
            path = writeFile("notes.db", "just some notes\n");
        } else if (kind == "truncated") {
            const QString full = m_dir.filePath("full.db");
            QVERIFY(writeLegacyFile(full, LegacyVersion::V3b));
            QFile f(full);
            QVERIFY(f.open(QIODevice::ReadOnly));
            path = writeFile("truncated.db", f.read(3 * 4096 + 100));
        } else if (kind == "other") {
            path = m_dir.filePath("other.db");
            QVERIFY(writeLegacyFile(path, LegacyVersion::V1, false));
            QVERIFY(execSql(path, {"DROP VIEW active_sessions_with_activity", "DROP TABLE messages",
                                   "DROP TABLE sessions", "CREATE TABLE invoices (id INTEGER)"}));
        } else {
            path = m_dir.filePath("adir");
            QDir().mkpath(path);
        }
        const FileFingerprint before = FileFingerprint::of(path);
        const QStringList siblings = QDir(m_dir.path()).entryList(QDir::Files);
        for (const QString& action : {QString("status"), QString("plan"), QString("upgrade")}) {
            auto r = runCtxdb({"schema", action, path});
            verifyOneLineError(r, 1, path, reason);
            QVERIFY(r.err.startsWith("ctxdb: "));
        }
        QVERIFY(FileFingerprint::of(path) == before);
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), siblings); // nothing created
    }

    void badPostgresTargets() {
        auto server = postgresServer();
        QVERIFY2(server, server ? "" : qPrintable(server.error().oneLine()));
        const QString pw = server->password();
        DatabaseUrl wrong = *server;
        wrong.setPassword("not-the-password");
        QString wrongText = wrong.redacted().replace("***", "not-the-password");
        auto r = runCtxdb({"schema", "status", wrongText});
        verifyOneLineError(r, 1, QStringLiteral("postgresql://%1:***@").arg(server->user()),
                           "password authentication failed");
        QVERIFY(!r.all().contains("not-the-password"));
        QString missingDb = server->withDatabase("nope_not_here").redacted().replace("***", pw);
        r = runCtxdb({"schema", "upgrade", missingDb});
        verifyOneLineError(r, 1, "nope_not_here", "does not exist");
        QVERIFY(!r.all().contains(pw));
        r = runCtxdb({"schema", "status", "postgresql://ctx:secret@127.0.0.1:1/db"});
        verifyOneLineError(r, 1, "127.0.0.1:1", "cannot connect");
        QVERIFY(!r.all().contains("secret"));
    }

    void schemaStatusPlanUpgrade() {
        const QString path = m_dir.filePath("legacy.db");
        QVERIFY(writeLegacyFile(path, LegacyVersion::V2));
        auto st = runCtxdb({"schema", "status", path, "--json"});
        QCOMPARE(st.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(st.out).object();
        QCOMPARE(o["version"].toInt(), 2);
        QCOMPARE(o["variant"].toString(), QString("2"));
        QCOMPARE(o["engine"].toString(), QString("sqlite"));
        QCOMPARE(o["pending"].toArray().size(), 3);
        const FileFingerprint before = FileFingerprint::of(path);
        auto plan = runCtxdb({"schema", "plan", path});
        QCOMPARE(plan.exitCode, 0);
        QVERIFY(plan.out.contains("-- migration 3 (secure_tokens)"));
        QVERIFY(plan.out.contains("CREATE TABLE IF NOT EXISTS secure_tokens"));
        QVERIFY(FileFingerprint::of(path) == before);
        QVERIFY(QFile::copy(path, path + ".original")); // what the backup must hold
        auto up = runCtxdb({"schema", "upgrade", path, "--backup", path + ".before"});
        QCOMPARE(up.exitCode, 0);
        QVERIFY(up.out.contains("upgraded from version 2 to 5"));
        QVERIFY(up.out.contains("verified backup"));
        // The backup holds the source as it was before the upgrade, row for row, and
        // no longer matches the upgraded file.
        QCOMPARE(contentDigest(path + ".before"), contentDigest(path + ".original"));
        QVERIFY(contentDigest(path) != contentDigest(path + ".original"));
        auto again = runCtxdb({"schema", "status", path});
        QVERIFY(again.out.contains("none — up to date"));
    }

    void demoIsDeterministic() {
        const QString a = m_dir.filePath("demo-a.db");
        const QString b = m_dir.filePath("demo-b.db");
        const QString c = m_dir.filePath("demo-c.db");
        QCOMPARE(runCtxdb({"demo", "--out", a, "--messages", "3000", "--seed", "7"}).exitCode, 0);
        QCOMPARE(runCtxdb({"demo", "--out", b, "--messages", "3000", "--seed", "7"}).exitCode, 0);
        auto cj = runCtxdb({"demo", "--out", c, "--messages", "3000", "--seed", "8", "--json"});
        QCOMPARE(cj.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(cj.out).object()["messages"].toInt(), 3000);
        QCOMPARE(contentDigest(a), contentDigest(b));
        QVERIFY(contentDigest(a) != contentDigest(c));
        // Refuses to overwrite.
        auto again = runCtxdb({"demo", "--out", a, "--messages", "10"});
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains("file exists"));
        // The server's shapes: WAL mode, version 3b, mixed timestamp storage classes.
        auto st = runCtxdb({"schema", "status", a, "--json"});
        QCOMPARE(QJsonDocument::fromJson(st.out).object()["variant"].toString(), QString("3b"));
        auto conn = Connection::open(DatabaseUrl::sqliteFile(a));
        QVERIFY(conn);
        QCOMPARE((*conn)->scalar("PRAGMA journal_mode")->toString(), QString("wal"));
        QCOMPARE((*conn)->scalar("PRAGMA integrity_check")->toString(), QString("ok"));
        // Every message once, in id order, from the generator thread to the writer.
        QCOMPARE((*conn)
                     ->scalar("SELECT count(*) || ' ' || min(id) || ' ' || max(id) || ' ' || "
                              "sum(content LIKE 'Step ' || id || ':%') FROM messages")
                     ->toString(),
                 QString("3000 1 3000 3000"));
        auto shapes = (*conn)->scalar("SELECT count(DISTINCT typeof(timestamp)) FROM messages");
        QCOMPARE(shapes->toInt(), 3); // real, integer, text
        auto threads = (*conn)->scalar("SELECT count(*) FROM messages WHERE parent_message_id "
                                       "IS NOT NULL");
        QVERIFY(threads->toInt() > 0);
        auto vis = (*conn)->scalar("SELECT count(DISTINCT visibility) FROM messages");
        QCOMPARE(vis->toInt(), 4);
        auto ttl =
            (*conn)->scalar("SELECT count(*) FROM agent_memory WHERE expires_at IS NOT NULL");
        QVERIFY(ttl->toInt() > 0);
        QVERIFY((*conn)->scalar("SELECT count(*) FROM secure_tokens")->toInt() > 0);
        QVERIFY((*conn)->scalar("SELECT count(*) FROM audit_log")->toInt() > 0);
    }
};

QTEST_GUILESS_MAIN(TestCliFoundation)
#include "tst_cli_foundation.moc"
