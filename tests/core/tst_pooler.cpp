// PostgreSQL through a transaction-mode pooler (the sandbox's pgbouncer, as Supabase's
// port 6543 or RDS Proxy hand it out): the pooler is detected, and nothing the product
// does depends on a session, since each transaction may get another server connection.
// Needs scripts/pg-sandbox run --pooler (CTX_TEST_PG_POOLER_URL); scripts/test does that.
#include "core/schema/MigrationLock.h"
#include "core/schema/SchemaMigrator.h"
#include "core/store/Store.h"
#include "core/transfer/Migrator.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

// r must be a variable: the macro reads it more than once.
#define CTX_VERIFY_OK(r)                                                                           \
    QVERIFY2((r).has_value(), (r).has_value() ? "" : qPrintable((r).error().oneLine()))

class TestPooler : public QObject {
    Q_OBJECT
    DatabaseUrl m_direct; // the server's own port, for this test's database
    DatabaseUrl m_pooled; // the same database through pgbouncer
    DatabaseUrl m_server;
    QString m_name;

    std::unique_ptr<Connection> open(const DatabaseUrl& url, bool readOnly = false) {
        ConnectionOptions o;
        o.readOnly = readOnly;
        auto c = Connection::open(url, o);
        if (!c)
            qWarning("%s", qPrintable(c.error().oneLine()));
        return c ? std::move(*c) : nullptr;
    }

    // Another client takes the server connection the pooler would hand out next (it
    // gives back the one released last) and keeps it in a transaction: the next
    // transaction of any other client runs on another server connection.
    std::unique_ptr<Connection> occupyLastServerConnection() {
        auto other = open(m_pooled);
        if (other && (!other->begin() || !other->scalar(QStringLiteral("SELECT 1"))))
            return nullptr;
        return other;
    }

private slots:
    void initTestCase() {
        const QString pooler = QString::fromLocal8Bit(qgetenv("CTX_TEST_PG_POOLER_URL"));
        QVERIFY2(!pooler.isEmpty(), "CTX_TEST_PG_POOLER_URL is not set: run the tests through "
                                    "scripts/test (scripts/pg-sandbox run --pooler)");
        auto server = postgresSessionPort();
        CTX_VERIFY_OK(server);
        m_server = *server;
        m_name = QStringLiteral("ctxtest_pooler_%1").arg(QCoreApplication::applicationPid());
        const Status created = createPostgresDatabase(m_server, m_name);
        CTX_VERIFY_OK(created);
        m_direct = m_server.withDatabase(m_name);
        auto pooled = DatabaseUrl::parse(pooler);
        CTX_VERIFY_OK(pooled);
        m_pooled = pooled->withDatabase(m_name);
    }

    void detected() {
        auto direct = open(m_direct);
        auto pooled = open(m_pooled);
        QVERIFY(direct && pooled);
        QVERIFY(!direct->throughPooler());
        QVERIFY(pooled->throughPooler());
    }

    // Qt's driver PREPAREs with SQL: a kept statement lives on one server connection, and
    // its EXECUTE in a later transaction reaches another ("prepared statement
    // qpsqlpstmt_N does not exist").
    void keptStatementsSurviveAnotherServerConnection() {
        auto conn = open(m_pooled);
        QVERIFY(conn);
        const QString sql = QStringLiteral("SELECT ?::int + 1");
        auto first = conn->scalar(sql, {41});
        CTX_VERIFY_OK(first);
        QCOMPARE(first->toInt(), 42);
        auto exec = conn->exec(QStringLiteral("SELECT ?::text || ?"), {QStringLiteral("a"), 1});
        CTX_VERIFY_OK(exec);
        auto other = occupyLastServerConnection();
        QVERIFY(other);
        auto again = conn->scalar(sql, {1});
        CTX_VERIFY_OK(again);
        QCOMPARE(again->toInt(), 2);
        auto execAgain =
            conn->exec(QStringLiteral("SELECT ?::text || ?"), {QStringLiteral("b"), 2});
        CTX_VERIFY_OK(execAgain);
        QVERIFY(execAgain->next());
        QCOMPARE(execAgain->value(0).toString(), QStringLiteral("b2"));
        other->rollback();
    }

    // Values written into the statement arrive exactly: quotes, backslashes, bytes,
    // NULL, numbers, booleans, times, a ? inside a literal.
    void inlineValuesArriveExactly() {
        auto conn = open(m_pooled);
        QVERIFY(conn);
        const QString text = QStringLiteral("it's \\ a \"?\" ; DROP TABLE x; -- é\u2603");
        auto t = conn->scalar(QStringLiteral("SELECT ?::text"), {text});
        CTX_VERIFY_OK(t);
        QCOMPARE(t->toString(), text);
        const QByteArray bytes("\x00\x01'\\\xff", 5);
        auto b = conn->scalar(QStringLiteral("SELECT ?::bytea"), {bytes});
        CTX_VERIFY_OK(b);
        QCOMPARE(b->toByteArray(), bytes);
        auto n = conn->scalar(QStringLiteral("SELECT ? IS NULL"), {QVariant()});
        CTX_VERIFY_OK(n);
        QVERIFY(n->toBool());
        auto mixed = conn->scalar(QStringLiteral("SELECT format('%s|%s|%s|%s', ?, ?::float8 * 2, "
                                                 "'?', ?::bigint + 1)"),
                                  {true, 2.5, qint64(1) << 40});
        CTX_VERIFY_OK(mixed);
        QCOMPARE(mixed->toString(), QStringLiteral("t|5|?|1099511627777"));
        const QDateTime when = QDateTime::fromString("2026-12-06T10:11:12.345Z", Qt::ISODateWithMs);
        auto d = conn->scalar(QStringLiteral("SELECT extract(epoch FROM ?::timestamptz)"), {when});
        CTX_VERIFY_OK(d);
        QCOMPARE(d->toDouble(), when.toMSecsSinceEpoch() / 1000.0);
        auto wrong = conn->scalar(QStringLiteral("SELECT ?"), {1, 2});
        QVERIFY(!wrong);
    }

    // A read-only connection's session setting would stay on the server connection for
    // the next client, whose writes would then be refused.
    void readOnlyLeavesNothingOnTheServerConnection() {
        auto reader = open(m_pooled, true);
        QVERIFY(reader);
        auto one = reader->scalar(QStringLiteral("SELECT 1"));
        CTX_VERIFY_OK(one);
        auto writer = open(m_pooled);
        QVERIFY(writer);
        for (int i = 0; i < 3; ++i) { // the server connections the reader used
            auto made = writer->exec(QStringLiteral("CREATE TABLE IF NOT EXISTS ro_probe (x int)"));
            CTX_VERIFY_OK(made);
            auto put = writer->run(QStringLiteral("INSERT INTO ro_probe VALUES (?)"), {i});
            CTX_VERIFY_OK(put);
        }
        // The reader's own transactions are still read-only.
        const Status began = reader->begin(false);
        CTX_VERIFY_OK(began);
        auto refused = reader->exec(QStringLiteral("INSERT INTO ro_probe VALUES (9)"));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains("read-only"),
                 qPrintable(refused.error().message));
        reader->rollback();
    }

    // The migration lock through the pooler is a transaction's: a schema upgrade through
    // it runs, leaves no advisory lock behind on any server connection, and is refused
    // while a migrator on the session port holds the lock.
    void schemaUpgradeLockIsTheTransactions() {
        auto conn = open(m_pooled);
        QVERIFY(conn);
        auto direct = open(m_direct);
        QVERIFY(direct);
        auto held = direct->scalar(QStringLiteral("SELECT pg_try_advisory_lock(?)"),
                                   {MigrationLock::kAdvisoryKey});
        CTX_VERIFY_OK(held);
        QVERIFY(held->toBool());
        UpgradeOptions quick;
        quick.lockTimeoutMs = 300;
        auto refused = SchemaMigrator::applyPending(*conn, quick);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Locked);
        (void)direct->exec(QStringLiteral("SELECT pg_advisory_unlock_all()"));
        auto upgraded = SchemaMigrator::applyPending(*conn, {});
        CTX_VERIFY_OK(upgraded);
        QVERIFY(!upgraded->applied.isEmpty());
        auto locks = direct->scalar(QStringLiteral(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT "
            "oid FROM pg_database WHERE datname = current_database())"));
        CTX_VERIFY_OK(locks);
        QCOMPARE(locks->toInt(), 0);
        // Outside a transaction a pooled lock would hold nothing: refused, not pretended.
        MigrationLock bare(*conn);
        const Status outside = bare.acquire(100);
        QVERIFY(!outside);
    }

    // Search tunes the planner for its one query; through a pooler the settings are the
    // transaction's (SET LOCAL), none stays on the server connection for the next client.
    // (A session SET that its RESET undoes on the same server connection passes too: the
    // leak needs another client between the two, which this test cannot place.)
    void searchLeavesNoPlannerSettingBehind() {
        auto conn = open(m_pooled); // the database is at the latest version (above)
        QVERIFY(conn);
        SearchIndex index(*conn);
        const Status prepared = index.prepare(true);
        CTX_VERIFY_OK(prepared);
        for (const bool throughIndex : {true, false}) {
            SearchQuery query;
            query.text = throughIndex ? QStringLiteral("zebra") : QStringLiteral("a");
            auto hits = index.search(query);
            CTX_VERIFY_OK(hits);
            auto next = open(m_pooled); // gets the server connection released last
            QVERIFY(next);
            for (const char* setting :
                 {"enable_seqscan", "enable_indexscan", "enable_bitmapscan"}) {
                auto value = next->scalar(QStringLiteral("SHOW %1").arg(QLatin1String(setting)));
                CTX_VERIFY_OK(value);
                QCOMPARE(value->toString(), QStringLiteral("on"));
            }
        }
    }

    // A migration through the pooler tunes nothing on the server connections it used:
    // synchronous_commit = off would stay there for the pooler's other clients.
    void migrateLeavesNoSessionSettingBehind() {
        QTemporaryDir dir;
        const QString source = dir.filePath(QStringLiteral("legacy.db"));
        QVERIFY(writeLegacyFile(source, LegacyVersion::V3b));
        const QString name = m_name + QStringLiteral("_mig");
        const Status created = createPostgresDatabase(m_server, name);
        CTX_VERIFY_OK(created);
        MigrateOptions o;
        o.sourcePath = source;
        o.target = m_pooled.withDatabase(name);
        o.jobs = 2;
        auto migrated = Migrator::run(o);
        CTX_VERIFY_OK(migrated);
        QVERIFY(migrated->ok);
        // Hold every server connection of the pool in a transaction and look at each:
        // each setting as a new session on the server's own port has it.
        const QStringList settings{"synchronous_commit", "maintenance_work_mem",
                                   "max_parallel_maintenance_workers", "default_toast_compression"};
        auto fresh = open(m_direct);
        QVERIFY(fresh);
        QStringList expected, seen;
        for (const QString& setting : settings) {
            auto v = fresh->scalar(QStringLiteral("SHOW %1").arg(setting));
            CTX_VERIFY_OK(v);
            expected << setting + QLatin1Char('=') + v->toString();
        }
        std::vector<std::unique_ptr<Connection>> held;
        for (int i = 0; i < 8; ++i) {
            auto c = open(o.target);
            QVERIFY(c);
            const Status began = c->begin();
            CTX_VERIFY_OK(began);
            for (const QString& setting : settings) {
                auto v = c->scalar(QStringLiteral("SHOW %1").arg(setting));
                CTX_VERIFY_OK(v);
                const QString pair = setting + QLatin1Char('=') + v->toString();
                if (!expected.contains(pair))
                    seen << pair;
            }
            held.push_back(std::move(c));
        }
        for (const auto& c : held)
            c->rollback();
        held.clear();
        (void)dropPostgresDatabase(m_server, name);
        QVERIFY2(seen.isEmpty(), qPrintable(QStringLiteral("left behind: ") + seen.join(' ')));
    }

    void cleanupTestCase() {
        if (!m_name.isEmpty())
            (void)dropPostgresDatabase(m_server, m_name);
    }
};

QTEST_GUILESS_MAIN(TestPooler)
#include "tst_pooler.moc"
