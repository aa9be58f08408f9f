// The PostgreSQL target schema through the migrations, on the real server.
#include "core/schema/MigrationLock.h"
#include "core/schema/SchemaDetector.h"
#include "core/schema/SchemaMigrator.h"
#include "support/TestDatabases.h"

#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestSchemaPostgres : public QObject {
    Q_OBJECT
    std::unique_ptr<ScratchDatabase> m_db;

    std::unique_ptr<Connection> connect() {
        auto c = m_db->connect(false);
        if (!c)
            qFatal("%s", qPrintable(c.error().oneLine()));
        return std::move(*c);
    }

private Q_SLOTS:
    void init() {
        auto db = ScratchDatabase::create(Engine::Postgres, "schema");
        QVERIFY2(db, db ? "" : qPrintable(db.error().oneLine()));
        m_db = std::move(*db);
    }
    void cleanup() { m_db.reset(); }

    void freshTargetGetsServerSchema() {
        auto conn = connect();
        auto st = SchemaMigrator::status(*conn);
        QVERIFY(st);
        QVERIFY(st->info.empty);
        QCOMPARE(st->pending.first().version, 3);
        auto report = SchemaMigrator::applyPending(*conn, {});
        QVERIFY2(report, report ? "" : qPrintable(report.error().oneLine()));
        QCOMPARE(report->applied, (QList<int>{3, 4, 5, 6}));
        auto info = SchemaDetector::detect(*conn);
        QVERIFY(info);
        QCOMPARE(info->version, 6);
        QCOMPARE(info->history.size(), 4);
        // Column types as the server's PostgreSQL schema has them.
        auto type = [&](const QString& table, const QString& column) {
            return conn
                ->scalar("SELECT data_type FROM information_schema.columns WHERE table_name = ? "
                         "AND column_name = ?",
                         {table, column})
                ->toString();
        };
        QCOMPARE(type("messages", "metadata"), QString("jsonb"));
        QCOMPARE(type("messages", "timestamp"), QString("timestamp with time zone"));
        QCOMPARE(type("messages", "id"), QString("bigint"));
        QCOMPARE(type("sessions", "id"), QString("character varying"));
        QCOMPARE(type("secure_tokens", "encrypted_jwt"), QString("bytea"));
    }

    void globalMemoryKeysAreUnique() {
        auto conn = connect();
        QVERIFY(SchemaMigrator::applyPending(*conn, {}));
        QVERIFY(conn->exec("INSERT INTO sessions (id, purpose, created_by) VALUES "
                           "('session_0000000000000001', 'p', 'a')"));
        const QString insert = "INSERT INTO agent_memory (agent_id, session_id, key, value) "
                               "VALUES (?, ?, ?, ?)";
        QVERIFY(conn->exec(insert, {"a", QVariant(QMetaType(QMetaType::QString)), "k", "1"}));
        auto dup = conn->exec(insert, {"a", QVariant(QMetaType(QMetaType::QString)), "k", "2"});
        QVERIFY(!dup);
        QCOMPARE(dup.error().code, ErrorCode::Conflict);
        QVERIFY(conn->exec(insert, {"a", "session_0000000000000001", "k", "3"}));
        QVERIFY(!conn->exec(insert, {"a", "session_0000000000000001", "k", "4"}));
    }

    void contentLimitCountsCharacters() {
        auto conn = connect();
        QVERIFY(SchemaMigrator::applyPending(*conn, {}));
        QVERIFY(conn->exec("INSERT INTO sessions (id, purpose, created_by) VALUES "
                           "('session_0000000000000003', 'p', 'a')"));
        const QString insert = "INSERT INTO messages (session_id, sender, content) VALUES "
                               "('session_0000000000000003', 'a', ?)";
        // 100,000 two-byte characters: 200,000 bytes, within the limit of characters.
        QVERIFY(conn->exec(insert, {QString(100000, QChar(0x00E9))}));
        QVERIFY(conn->exec(insert, {QString(100000, QLatin1Char('x'))}));
        for (const QChar c : {QChar(QLatin1Char('x')), QChar(0x00E9)}) {
            auto tooLong = conn->exec(insert, {QString(100001, c)});
            QVERIFY(!tooLong);
            QVERIFY2(tooLong.error().oneLine().contains("messages_content_length"),
                     qPrintable(tooLong.error().oneLine()));
        }
        QCOMPARE(conn->scalar("SELECT count(*) FROM messages")->toInt(), 2);
    }

    void updatedAtTriggerRuns() {
        auto conn = connect();
        QVERIFY(SchemaMigrator::applyPending(*conn, {}));
        QVERIFY(conn->exec("INSERT INTO sessions (id, purpose, created_by, updated_at) VALUES "
                           "('session_0000000000000002', 'p', 'a', '2000-01-01T00:00:00Z')"));
        QVERIFY(conn->exec("UPDATE sessions SET purpose = 'q'"));
        auto year = conn->scalar("SELECT extract(year FROM updated_at) FROM sessions");
        QVERIFY(year->toInt() > 2000);
    }

    void stagedUpgradeStopsAtTarget() {
        auto conn = connect();
        UpgradeOptions o;
        o.targetVersion = 3;
        auto report = SchemaMigrator::applyPending(*conn, o);
        QVERIFY(report);
        QCOMPARE(report->applied, QList<int>{3});
        auto idx = conn->scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'messages'");
        QCOMPARE(idx->toInt(), 1); // only the primary key: bulk loads go at COPY speed
        auto rest = SchemaMigrator::applyPending(*conn, {});
        QVERIFY(rest);
        QCOMPARE(rest->applied, (QList<int>{4, 5, 6}));
    }

    void secondMigratorWaitsThenFails() {
        auto first = connect();
        MigrationLock lock(*first);
        QVERIFY(lock.acquire(1000));
        auto second = connect();
        UpgradeOptions o;
        o.lockTimeoutMs = 300;
        auto report = SchemaMigrator::applyPending(*second, o);
        QVERIFY(!report);
        QCOMPARE(report.error().code, ErrorCode::Locked);
        QVERIFY(report.error().oneLine().contains("another migration is running"));
        QVERIFY(!report.error().oneLine().contains(m_db->url().password()));
        lock.release();
        QVERIFY(SchemaMigrator::applyPending(*second, o));
    }

    void changedScriptIsRefused() {
        auto conn = connect();
        QVERIFY(SchemaMigrator::applyPending(*conn, {}));
        QList<MigrationScript> tampered = MigrationCatalog::forEngine(Engine::Postgres);
        tampered[1] = MigrationCatalog::make(4, "server_indexes", "SELECT 1;");
        auto st = SchemaMigrator::status(*conn, tampered);
        QVERIFY(!st);
        QVERIFY(st.error().oneLine().contains("migration 4"));
    }
};

QTEST_GUILESS_MAIN(TestSchemaPostgres)
#include "tst_schema_postgres.moc"
