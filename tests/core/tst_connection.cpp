// Connections: engine settings, a read-only mode that provably never writes the file
// while seeing rows that live only in the -wal file, and PostgreSQL settings.
#include "core/db/Connection.h"
#include "core/db/WalCheckpointer.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtConcurrent>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestConnection : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void sqliteWriteSettings() {
        const QString path = m_dir.filePath("w.db");
        ConnectionOptions o;
        o.readOnly = false;
        o.createIfMissing = true;
        o.busyTimeoutMs = 1234;
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path), o);
        QVERIFY(conn);
        QCOMPARE((*conn)->scalar("PRAGMA journal_mode")->toString(), QString("wal"));
        QCOMPARE((*conn)->scalar("PRAGMA foreign_keys")->toInt(), 1);
        QCOMPARE((*conn)->scalar("PRAGMA busy_timeout")->toInt(), 1234);
        QCOMPARE((*conn)->scalar("PRAGMA cache_size")->toInt(), -32768); // browsing default
        QVERIFY((*conn)->sqliteHandle() != nullptr);
        // A one-pass reader keeps SQLite's small default, read-only or not.
        o.readOnly = true;
        o.sqliteCacheKiB = ConnectionOptions::kScanCacheKiB;
        auto scan = Connection::open(DatabaseUrl::sqliteFile(path), o);
        QVERIFY(scan);
        QCOMPARE((*scan)->scalar("PRAGMA cache_size")->toInt(), -2000);
    }

    // Commits never checkpoint: the background checkpointer moves the WAL into the
    // file. Without it the file would stay at its first size (every new page lives in
    // the -wal) until the last connection closes.
    void writersLeaveCheckpointsToTheBackground() {
        const QString path = m_dir.filePath("ckpt.db");
        auto conn = openWritableSqlite(path);
        QVERIFY(conn);
        auto second = openWritableSqlite(path);
        QVERIFY(second);
        WalCheckpointer* ckpt = (*conn)->walCheckpointer();
        QVERIFY(ckpt != nullptr);
        QCOMPARE((*second)->walCheckpointer(), ckpt); // one per file in this process
        QVERIFY((*conn)->exec("CREATE TABLE t (x TEXT)").has_value());
        const qint64 sizeBefore = QFileInfo(path).size();
        const QString row(3000, QLatin1Char('x'));
        for (int i = 0; i < 3000; ++i) // about 2300 pages of 4 KB
            QVERIFY((*conn)->exec("INSERT INTO t VALUES (?)", {row}).has_value());
        ckpt->waitIdle();
        QVERIFY(ckpt->checkpointsDone() >= 1);
        QVERIFY2(QFileInfo(path).size() > sizeBefore + 4 * 1024 * 1024,
                 qPrintable(QString::number(QFileInfo(path).size())));
        QCOMPARE((*second)->scalar("SELECT count(*) FROM t")->toInt(), 3000);
        auto reader = Connection::open(DatabaseUrl::sqliteFile(path)); // read-only by default
        QVERIFY(reader);
        QVERIFY((*reader)->walCheckpointer() == nullptr); // read-only: never writes
    }

    void readOnlyNeverWritesAndSeesWal() {
        const QString path = m_dir.filePath("ro.db");
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3b));
        QVERIFY(execSqlIntoWalOnly(
            path, {QStringLiteral("INSERT INTO messages (session_id, sender, content) VALUES "
                                  "('%1', 'late-agent', 'only in the wal')")
                       .arg(fixture::kSessionA)}));
        QVERIFY(QFileInfo(path + "-wal").size() > 0);
        const FileFingerprint db = FileFingerprint::of(path);
        const FileFingerprint wal = FileFingerprint::of(path + "-wal");
        {
            auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
            QVERIFY(conn);
            QVERIFY((*conn)->isReadOnly());
            QCOMPARE((*conn)->scalar("SELECT count(*) FROM messages")->toInt(),
                     fixture::kMessages + 1);
            QCOMPARE(
                (*conn)->scalar("SELECT sender FROM messages ORDER BY id DESC LIMIT 1")->toString(),
                QString("late-agent"));
            auto write = (*conn)->exec("DELETE FROM messages");
            QVERIFY(!write);
        }
        QVERIFY(FileFingerprint::of(path) == db);
        QVERIFY(FileFingerprint::of(path + "-wal") == wal);
    }

    void badFiles_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << "empty.db" << QByteArray() << int(ErrorCode::NotADatabase)
                               << "empty file";
        QTest::newRow("text") << "notes.txt" << QByteArray("hello\nworld\n")
                              << int(ErrorCode::NotADatabase) << "not a SQLite database";
        QTest::newRow("short") << "short.db" << QByteArray("SQLite format 3\0abc", 19)
                               << int(ErrorCode::Corrupt) << "truncated";
    }
    void badFiles() {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(int, code);
        QFETCH(QString, reason);
        const QString path = m_dir.filePath(name);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        const FileFingerprint before = FileFingerprint::of(path);
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        QVERIFY(!conn);
        QCOMPARE(int(conn.error().code), code);
        QVERIFY2(conn.error().oneLine().contains(reason), qPrintable(conn.error().oneLine()));
        QVERIFY(conn.error().oneLine().startsWith(path));
        QVERIFY(FileFingerprint::of(path) == before);
    }

    void missingFileIsNotCreated() {
        const QString path = m_dir.filePath("missing.db");
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        QVERIFY(!conn);
        QCOMPARE(conn.error().code, ErrorCode::NotFound);
        QVERIFY(!QFileInfo::exists(path));
        auto dir = Connection::open(DatabaseUrl::sqliteFile(m_dir.path()));
        QVERIFY(!dir);
        QVERIFY(dir.error().oneLine().contains("directory"));
    }

    void oneConnectionPerThread() {
        const QString path = m_dir.filePath("threads.db");
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3b));
        QList<QFuture<int>> futures;
        for (int i = 0; i < 4; ++i)
            futures << QtConcurrent::run([path] {
                auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
                return conn ? (*conn)->scalar("SELECT count(*) FROM sessions")->toInt() : -1;
            });
        for (auto& f : futures)
            QCOMPARE(f.result(), fixture::kSessions);
    }

    void postgresSettings() {
        auto server = postgresServer();
        QVERIFY2(server, server ? "" : qPrintable(server.error().oneLine()));
        DatabaseUrl url = *server;
        url.setParameter("application_name", "ctx-test-app");
        url.setParameter("sslmode", "disable");
        auto conn = Connection::open(url);
        QVERIFY2(conn, conn ? "" : qPrintable(conn.error().oneLine()));
        QCOMPARE((*conn)->scalar("SELECT current_setting('application_name')")->toString(),
                 QString("ctx-test-app"));
        QCOMPARE((*conn)->scalar("SELECT current_setting('TimeZone')")->toString(), QString("UTC"));
        QCOMPARE(
            (*conn)->scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")->toBool(),
            false);
        QVERIFY((*conn)->pgHandle() != nullptr);
        // Read-only by default: the server refuses writes.
        auto write = (*conn)->exec("CREATE TABLE ctx_should_not_exist (id int)");
        QVERIFY(!write);
        // sslmode is honoured: with require the session is encrypted, or, when the
        // server has no TLS (the sandbox's default), the connection fails clearly.
        url.setParameter("sslmode", "require");
        auto tls = Connection::open(url);
        if (tls) {
            QCOMPARE((*tls)
                         ->scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                         ->toBool(),
                     true);
        } else {
            QCOMPARE(tls.error().code, ErrorCode::ConnectionFailed);
            QVERIFY(tls.error().oneLine().contains("SSL", Qt::CaseInsensitive));
            QVERIFY(!tls.error().oneLine().contains(url.password()));
        }
    }

    void postgresBadTargets() {
        auto server = postgresServer();
        QVERIFY(server);
        DatabaseUrl wrongPw = *server;
        wrongPw.setPassword("definitely-wrong");
        auto a = Connection::open(wrongPw);
        QVERIFY(!a);
        QCOMPARE(a.error().code, ErrorCode::ConnectionFailed);
        QVERIFY(a.error().oneLine().contains("password authentication failed"));
        QVERIFY(!a.error().oneLine().contains("definitely-wrong"));
        auto b = Connection::open(server->withDatabase("no_such_database_here"));
        QVERIFY(!b);
        QVERIFY(b.error().oneLine().contains("no_such_database_here"));
        auto c = Connection::open(*DatabaseUrl::parse("postgresql://u:pw@127.0.0.1:1/db"));
        QVERIFY(!c);
        QCOMPARE(c.error().code, ErrorCode::ConnectionFailed);
        QVERIFY(!c.error().oneLine().contains('\n'));
    }
};

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
