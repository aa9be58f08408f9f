// The SQL console in read-only mode writes nothing, whatever the text: a corpus of
// bypass attempts (transaction control, session settings, functions that act outside
// the transaction, PRAGMA writes in every syntax, ATTACH, VACUUM INTO, extensions,
// quoting the splitter might misread) runs as the console runs it, on both engines,
// and the data, the session and the files around the database stay as they were.
#include "core/db/SqlScript.h"
#include "core/inspect/PgStatementRunner.h"
#include "core/inspect/QueryRunner.h"
#include "tst_store_fixture.h"

#include <QCryptographicHash>
#include <QDir>
#include <QtTest>
#include <libpq-fe.h>

using namespace ctx;
using namespace ctx::test;

class TestConsoleReadOnly : public QObject {
    Q_OBJECT

    StoreFixture f;
    std::unique_ptr<Connection> ro;
    QString session;

    bool pg() const { return engineUnderTest() == Engine::Postgres; }

    // Everything a write could change, read on the writable connection.
    QString state() const {
        QStringList parts;
        for (const char* sql :
             {"SELECT count(*) FROM audit_log", "SELECT count(*) FROM messages",
              "SELECT coalesce(max(id), 0) FROM messages", "SELECT count(*) FROM sessions",
              "SELECT coalesce(sum(length(content)), 0) FROM messages"}) {
            auto v = f.conn->scalar(QString::fromLatin1(sql));
            parts << (v ? v->toString() : v.error().message);
        }
        if (pg()) {
            for (const char* sql :
                 {"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                  "(SELECT oid FROM pg_database WHERE datname = current_database())",
                  "SELECT count(*) FROM pg_largeobject_metadata",
                  "SELECT last_value FROM messages_id_seq"}) {
                auto v = f.conn->scalar(QString::fromLatin1(sql));
                parts << (v ? v->toString() : v.error().message);
            }
        } else {
            QDir dir(QFileInfo(f.db->url().filePath()).absolutePath());
            parts << dir.entryList(QDir::Files | QDir::Hidden, QDir::Name).join(QLatin1Char(','));
        }
        return parts.join(QLatin1Char('|'));
    }

    // What the read-only connection itself must still be.
    QString sessionState() const {
        const QString sql = pg() ? QStringLiteral("SELECT current_setting("
                                                  "'default_transaction_read_only')")
                                 : QStringLiteral("PRAGMA query_only");
        auto v = ro->scalar(sql);
        QString s = v ? v->toString() : v.error().message;
        if (!pg()) {
            auto n = ro->scalar(QStringLiteral("SELECT count(*) FROM pragma_database_list"));
            s += QLatin1Char('|') + (n ? n->toString() : n.error().message);
        }
        return s;
    }

    // Runs a script as the console does: split with the connection's rules, run.
    std::expected<QueryOutcome, QueryFailure> console(const QString& script) {
        QueryRunner runner(*ro);
        return runner.run(SqlScript::split(script, runner.lexRules()));
    }

    QString dirFile(const char* name) const {
        return QFileInfo(f.db->url().filePath()).absolutePath() + QLatin1Char('/') +
               QString::fromLatin1(name);
    }

private slots:
    void initTestCase() {
        QFile::remove(QStringLiteral("/tmp/ctx-console-ro-copy"));
        const QString why = f.init(QStringLiteral("console_ro"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        session = f.newSession();
        for (int i = 0; i < 60; ++i)
            QVERIFY(f.add(session, QStringLiteral("agent"), QStringLiteral("message %1").arg(i)) >
                    0);
        for (int i = 0; i < 5; ++i)
            QVERIFY(f.conn->run(QStringLiteral("INSERT INTO audit_log (event_type, agent_id) "
                                               "VALUES ('login', ?)"),
                                {QStringLiteral("agent%1").arg(i)}));
        auto c = f.db->connect(true);
        QVERIFY2(c, c ? "" : qPrintable(c.error().oneLine()));
        ro = std::move(*c);
        QVERIFY(ro->isReadOnly());
    }

    void bypassAttemptsChangeNothing_data() {
        QTest::addColumn<QString>("script");
        const QStringList corpus{
            // transaction control, alone and smuggled behind quoting the splitter may misread
            // (alone it writes nothing, but it would end the read-only transaction: refused
            // by the token guard, whatever the other layers would do with what follows)
            QStringLiteral("COMMIT"),
            QStringLiteral("END"),
            QStringLiteral("ROLLBACK"),
            QStringLiteral("ABORT"),
            QStringLiteral("SELECT E'\\''; COMMIT; BEGIN READ WRITE; DELETE FROM audit_log; "
                           "COMMIT; SELECT 'x'"),
            QStringLiteral("COMMIT; DELETE FROM audit_log"),
            QStringLiteral("END; BEGIN; DELETE FROM audit_log; COMMIT"),
            QStringLiteral("ROLLBACK; BEGIN READ WRITE; DELETE FROM audit_log"),
            QStringLiteral("BEGIN READ WRITE; DELETE FROM audit_log"),
            QStringLiteral("START TRANSACTION READ WRITE; DELETE FROM audit_log"),
            QStringLiteral("/* /* nested */ SELECT */ COMMIT; DELETE FROM audit_log"),
            QStringLiteral("SELECT $$;$$; COMMIT; DELETE FROM audit_log"),
            QStringLiteral("SELECT $t$ ' $t$; COMMIT; DELETE FROM audit_log"),
            QStringLiteral("SELECT 'a\\'; COMMIT; DELETE FROM audit_log; --'"),
            QStringLiteral("SELECT \"x;\" FROM (SELECT 1 AS \"x;\") s; COMMIT; DELETE FROM "
                           "audit_log"),
            QStringLiteral("SAVEPOINT a; RELEASE a; DELETE FROM audit_log"),
            QStringLiteral("BEGIN IMMEDIATE; DELETE FROM audit_log; COMMIT"),
            // session settings
            QStringLiteral("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"),
            QStringLiteral("SET default_transaction_read_only = off"),
            QStringLiteral("SELECT set_config('default_transaction_read_only', 'off', false)"),
            QStringLiteral("SELECT pg_catalog.set_config('transaction_read_only', 'off', false)"),
            QStringLiteral("RESET ALL"),
            // server-side programs, files and procedures
            QStringLiteral("COPY audit_log TO PROGRAM 'true'"),
            QStringLiteral("COPY (SELECT 1) TO '/tmp/ctx-console-ro-copy'"),
            QStringLiteral("DO $$BEGIN DELETE FROM audit_log; END$$"),
            QStringLiteral("DO $x$ BEGIN COMMIT; END $x$"),
            QStringLiteral("CALL cleanup()"),
            QStringLiteral("PREPARE p AS DELETE FROM audit_log; EXECUTE p"),
            // functions acting outside the transaction
            QStringLiteral("SELECT lo_import('/etc/hostname')"),
            QStringLiteral("SELECT lo_create(0)"),
            QStringLiteral("SELECT pg_advisory_lock(42)"),
            QStringLiteral("SELECT pg_try_advisory_lock(42)"),
            QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                           "pg_backend_pid() AND datname = current_database()"),
            QStringLiteral("SELECT \"pg_terminate_backend\"(0)"),
            QStringLiteral("SELECT nextval('messages_id_seq')"),
            QStringLiteral("SELECT dblink_exec('dbname=x', 'DELETE FROM audit_log')"),
            QStringLiteral("NOTIFY ch; LISTEN ch"),
            QStringLiteral("LOCK TABLE messages"),
            // plain writes, direct and hidden in a CTE or EXPLAIN ANALYZE
            QStringLiteral("DELETE FROM audit_log"),
            QStringLiteral("TRUNCATE audit_log"),
            QStringLiteral("WITH d AS (DELETE FROM audit_log RETURNING 1) SELECT count(*) FROM d"),
            QStringLiteral("EXPLAIN ANALYZE DELETE FROM audit_log"),
            QStringLiteral("SELECT * FROM audit_log FOR UPDATE"),
            QStringLiteral("CREATE TEMP TABLE t(x int)"),
            QStringLiteral("INSERT INTO audit_log (event_type, agent_id) VALUES ('x', 'y')"),
            QStringLiteral("REINDEX; ANALYZE"),
            // SQLite: pragmas that set, in every syntax, attached files, extensions
            QStringLiteral("PRAGMA query_only = 0; DELETE FROM audit_log"),
            QStringLiteral("PRAGMA query_only(0); DELETE FROM audit_log"),
            QStringLiteral("PRAGMA main.query_only(false); DELETE FROM audit_log"),
            QStringLiteral("PRAGMA \"query_only\" = OFF"),
            QStringLiteral("PRAGMA journal_mode = DELETE"),
            QStringLiteral("PRAGMA journal_mode(DELETE)"),
            QStringLiteral("PRAGMA user_version = 7"),
            QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"),
            QStringLiteral("ATTACH DATABASE '%1' AS evil").arg(dirFile("evil.db")),
            QStringLiteral("ATTACH 'file:%1?mode=rwc' AS evil; CREATE TABLE evil.t(x)")
                .arg(dirFile("evil2.db")),
            QStringLiteral("VACUUM INTO '%1'").arg(dirFile("copy.db")),
            QStringLiteral("SELECT load_extension('/nonexistent')"),
            QStringLiteral("SELECT writefile('%1', 'x')").arg(dirFile("w.txt")),
        };
        for (int i = 0; i < corpus.size(); ++i)
            QTest::newRow(qPrintable(QStringLiteral("%1: %2").arg(i).arg(corpus.at(i).left(50))))
                << corpus.at(i);
    }

    void bypassAttemptsChangeNothing() {
        QFETCH(QString, script);
        const QString before = state();
        const QString roBefore = sessionState();
        const auto r = console(script);
        QCOMPARE(state(), before);
        QCOMPARE(sessionState(), roBefore);
        QVERIFY2(!r, "a write or a transaction change ran without an error");
        // Transaction control alone is refused before it is sent, with a message that
        // says why (the server or SQLite would refuse it too, less clearly).
        static const QRegularExpression alone(QStringLiteral("^(COMMIT|END|ROLLBACK|ABORT)$"));
        if (alone.match(script).hasMatch())
            QVERIFY2(
                r.error().error.message.contains(QStringLiteral("read-only mode does not run")),
                qPrintable(r.error().error.oneLine()));
        // The connection is still usable and still read-only.
        auto n = ro->scalar(QStringLiteral("SELECT count(*) FROM audit_log"));
        QVERIFY2(n, n ? "" : qPrintable(n.error().oneLine()));
        QCOMPARE(n->toInt(), 5);
        QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/ctx-console-ro-copy")));
    }

    // Even text that reaches the server whole (a splitter bug) cannot carry a second
    // statement: the extended protocol refuses it.
    void postgresRefusesSeveralStatementsInOneMessage() {
        if (!pg())
            QSKIP("PostgreSQL protocol");
        const QString before = state();
        auto r = PgStatementRunner(*ro).run(
            QStringLiteral("SELECT 1; COMMIT; BEGIN READ WRITE; DELETE FROM audit_log; COMMIT"),
            true, {}, nullptr);
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(QStringLiteral("multiple commands")),
                 qPrintable(r.error().message));
        QCOMPARE(state(), before);
        QCOMPARE(PQtransactionStatus(ro->pgHandle()), PQTRANS_IDLE);
    }

    void readsStillWork() {
        QStringList readers{QStringLiteral("SELECT count(*) FROM messages"),
                            QStringLiteral("EXPLAIN SELECT * FROM messages"),
                            QStringLiteral("/* c */ -- d\n SELECT 'it''s', 2")};
        if (pg())
            readers << QStringLiteral("SHOW server_version")
                    << QStringLiteral("SELECT E'a\\'b', $$x;y$$, $q$;$q$")
                    << QStringLiteral("/* a /* b */ c */ SELECT 1");
        else
            readers << QStringLiteral("PRAGMA table_info(messages)")
                    << QStringLiteral("PRAGMA main.table_info(messages)")
                    << QStringLiteral("PRAGMA user_version")
                    << QStringLiteral("SELECT [id] FROM messages LIMIT 1");
        for (const QString& sql : readers) {
            QueryRunner runner(*ro);
            auto r = runner.run(SqlScript::split(sql, runner.lexRules()));
            QVERIFY2(r, r ? "" : qPrintable(sql + ": " + r.error().error.oneLine()));
            QVERIFY2(r->hasRows, qPrintable(sql));
            bool atEnd = false;
            QVERIFY2(!runner.fetch(10, &atEnd).isEmpty(), qPrintable(sql));
        }
    }

    // A result larger than the bound is cut, and the database is let go at once: no
    // transaction (PostgreSQL) and no read lock on the WAL (SQLite) outlives run().
    void boundedResultLetsTheDatabaseGo() {
        ResultBound bound;
        bound.maxRows = 10;
        QueryRunner runner(*ro, bound);
        auto r = runner.run({SqlStatement{QStringLiteral("SELECT id, content FROM messages ORDER "
                                                         "BY id"),
                                          0, 1}});
        QVERIFY2(r, r ? "" : qPrintable(r.error().error.oneLine()));
        QVERIFY(r->truncated);
        QCOMPARE(r->rowsRead, 10);
        if (pg()) {
            QCOMPARE(PQtransactionStatus(ro->pgHandle()), PQTRANS_IDLE);
        } else {
            QVERIFY(f.add(session, QStringLiteral("agent"), QStringLiteral("after")) > 0);
            auto busy = f.conn->scalar(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
            QVERIFY2(busy, busy ? "" : qPrintable(busy.error().oneLine()));
            QCOMPARE(busy->toInt(), 0);
        }
        bool atEnd = false;
        const auto rows = runner.fetch(7, &atEnd);
        QCOMPARE(rows.size(), 7);
        QVERIFY(!atEnd);
        QCOMPARE(rows.first().value(1).toString(), QStringLiteral("message 0"));
        QCOMPARE(runner.fetch(7, &atEnd).size(), 3);
        QVERIFY(atEnd);
    }
};

QTEST_GUILESS_MAIN(TestConsoleReadOnly)
#include "tst_console_read_only.moc"
