// ctxdb migrate against the real PostgreSQL: every legacy version, every hazard
// carried or recorded, the WAL tail, the source untouched, target-has-data refusal,
// --replace, --resume and a second migration refused while one runs.
#include "tst_migrate_fixture.h"

#include "core/schema/MigrationCatalog.h"
#include "core/transfer/Migrator.h"
#include "support/MigrateAndDiff.h"
#include "support/TestDatabases.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::test;

class TestMigrate : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString plantedFile(LegacyVersion v, const QString& name) {
        const QString path = m_dir.filePath(name);
        if (auto ok = writeLegacyFile(path, v); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        if (auto ok = execSql(path, hazards::statements(v)); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        return path;
    }
    static std::unique_ptr<ScratchDatabase> scratch(const QString& tag) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine())); // no server: FAIL, never skip
        return std::move(*db);
    }
    static MigrateOptions options(const QString& path, const ScratchDatabase& db) {
        MigrateOptions o;
        o.sourcePath = path;
        o.target = db.url();
        o.jobs = 2;
        o.limits.rows = 4; // many batches, even on small fixtures
        return o;
    }
    static QVariant value(const Connection& c, const QString& sql) { return valueOf(c, sql); }
    static qint64 rows(const Connection& c, const QString& table) {
        return value(c, QStringLiteral("SELECT count(*) FROM %1").arg(table)).toLongLong();
    }
    static qint64 rejects(const Connection& c, const QString& reason) {
        return rejectCount(c, reason);
    }

private Q_SLOTS:
    void everyHazardCarriedOrRecorded() {
        const QString path = plantedFile(LegacyVersion::V3a, "hazards.db");
        auto wal = execSqlIntoWalOnly(path, hazards::walTail(LegacyVersion::V3a));
        CTX_VERIFY_OK(wal);
        const FileFingerprint before = FileFingerprint::of(path);
        auto db = scratch("mighaz");
        auto summary = Migrator::run(options(path, *db));
        CTX_VERIFY_OK(summary);
        QCOMPARE(FileFingerprint::of(path), before);
        QVERIFY(summary->ok);
        auto conn = db->connect();
        CTX_VERIFY_OK(conn);
        const Connection& c = **conn;
        QCOMPARE(rows(c, "sessions"), 3 + 2); // two recovered placeholders
        QCOMPARE(rows(c, "messages"), 17);    // 6 + 9 planted + 2 from the WAL
        QCOMPARE(rows(c, "agent_memory"), 5); // 7 in the source, 2 older duplicates dropped
        QCOMPARE(rows(c, "audit_log"), 4);
        QCOMPARE(rows(c, "secure_tokens"), 3);
        QCOMPARE(value(c, "SELECT count(DISTINCT id) FROM messages").toLongLong(), 17);

        QCOMPARE(value(c, "SELECT content FROM messages WHERE id = 7").toString(), "Helloworld");
        QCOMPARE(value(c, "SELECT content FROM messages WHERE id = 8").toString(),
                 QString::fromUtf8("H\xEF\xBF\xBD"));
        QCOMPARE(value(c, "SELECT char_length(content) FROM messages WHERE id = 9").toInt(),
                 100000);
        QVERIFY(value(c, "SELECT parent_message_id FROM messages WHERE id = 10").isNull());
        QCOMPARE(value(c, "SELECT parent_message_id FROM messages WHERE id = 3").toInt(), 2);
        QVERIFY(value(c, "SELECT metadata FROM messages WHERE id = 11").isNull());
        QCOMPARE(value(c, "SELECT metadata->>'a' FROM messages WHERE id = 12").toString(), "xy");
        QVERIFY(value(c, "SELECT timestamp FROM messages WHERE id = 13").isNull());
        QCOMPARE(value(c, "SELECT sender_type FROM messages WHERE id = 14").toString(), "generic");
        QCOMPARE(value(c, "SELECT sender FROM messages WHERE id = 15").toString(), "abc");
        QCOMPARE(value(c, "SELECT content FROM messages WHERE id = 101").toString(), "wal two");
        QCOMPARE(value(c, "SELECT to_char(timestamp, 'YYYY-MM-DD HH24:MI:SS.US') FROM messages "
                          "WHERE id = 1")
                     .toString(),
                 "2025-01-01 00:01:40.500000");
        QCOMPARE(value(c, "SELECT to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.US') FROM sessions "
                          "WHERE id = 'session_fedcba9876543210'")
                     .toString(),
                 "2025-08-20 12:00:00.123456");
        QCOMPARE(value(c, "SELECT to_char(timestamp, 'YYYY-MM-DD HH24:MI:SS') FROM audit_log "
                          "WHERE id = 3")
                     .toString(),
                 "2025-08-20 10:00:00"); // +02:00 to UTC
        QCOMPARE(value(c, "SELECT is_active FROM sessions WHERE id = 'session_fedcba9876543210'")
                     .toBool(),
                 true);
        QVERIFY(value(c, "SELECT is_active FROM sessions WHERE id = 'session_cccccccccccccccc'")
                    .isNull());
        QCOMPARE(value(c, "SELECT encode(encrypted_jwt, 'hex') FROM secure_tokens WHERE id = 1")
                     .toString(),
                 "67414141414100ff80fe0102");
        QCOMPARE(value(c, "SELECT extract(epoch FROM expires_at) FROM secure_tokens WHERE id = 3")
                     .toDouble(),
                 0.0);
        QCOMPARE(value(c, "SELECT string_agg(id::text, ',' ORDER BY id) FROM agent_memory WHERE "
                          "agent_id = 'claude-main' AND key = 'global.pref'")
                     .toString(),
                 "5");
        QCOMPARE(value(c, QStringLiteral("SELECT metadata->>'ctx_recovered' FROM sessions WHERE "
                                         "id = '%1'")
                              .arg(hazards::kMissingSession))
                     .toString(),
                 "true");
        QCOMPARE(value(c, QStringLiteral("SELECT purpose FROM sessions WHERE id = '%1'")
                              .arg(hazards::kGoneSession))
                     .toString(),
                 QString::fromUtf8(kRecoveredPurpose));

        QCOMPARE(rejects(c, "nul_bytes"), 1);
        QCOMPARE(rejects(c, "invalid_utf8"), 1);
        QCOMPARE(rejects(c, "content_too_long"), 1);
        QCOMPARE(rejects(c, "dangling_parent"), 1);
        QCOMPARE(rejects(c, "invalid_json"), 1);
        QCOMPARE(rejects(c, "json_nul_escape"), 1);
        QCOMPARE(rejects(c, "unparseable_timestamp"), 2);
        QCOMPARE(rejects(c, "invalid_boolean"), 1);
        QCOMPARE(rejects(c, "duplicate_global_key"), 2);
        QCOMPARE(rejects(c, "recovered_session"), 2);
        QCOMPARE(summary->rejectsByReason.value("duplicate_global_key"), 2);
        QCOMPARE(value(c, "SELECT encode(original, 'hex') FROM ctx_migration_rejects WHERE reason "
                          "= 'nul_bytes' AND row_key = '7' AND column_name = 'content'")
                     .toString(),
                 "48656c6c6f00776f726c64");
        QCOMPARE(value(c, "SELECT length(original) FROM ctx_migration_rejects WHERE reason = "
                          "'content_too_long'")
                     .toInt(),
                 100005);
        QCOMPARE(value(c, "SELECT string_agg(row_key, ',' ORDER BY row_key) FROM "
                          "ctx_migration_rejects WHERE reason = 'duplicate_global_key'")
                     .toString(),
                 "1,6");
        // Sequences continue after the original ids; indexes and constraints exist.
        QCOMPARE(value(c, "SELECT nextval('messages_id_seq')").toLongLong(), 102);
        QCOMPARE(value(c, "SELECT max(version) FROM schema_version").toInt(),
                 MigrationCatalog::latestVersion(Engine::Postgres));
        QVERIFY(value(c, "SELECT count(*) FROM pg_indexes WHERE indexname = "
                         "'idx_agent_memory_unique_global'")
                    .toInt() == 1);
        QCOMPARE(
            value(c, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'ctx_transfer%'").toInt(),
            0);
    }

    void everyVersion_data() {
        QTest::addColumn<int>("version");
        QTest::addColumn<bool>("mixed");
        QTest::newRow("1") << int(LegacyVersion::V1) << false;
        QTest::newRow("2") << int(LegacyVersion::V2) << false;
        QTest::newRow("2altered") << int(LegacyVersion::V2Altered) << false;
        QTest::newRow("3a") << int(LegacyVersion::V3a) << false;
        QTest::newRow("3b") << int(LegacyVersion::V3b) << false;
        QTest::newRow("mixed") << int(LegacyVersion::V3a) << true;
    }
    void everyVersion() {
        QFETCH(int, version);
        QFETCH(bool, mixed);
        const auto v = LegacyVersion(version);
        const QString path = plantedFile(v, QStringLiteral("v%1%2.db").arg(version).arg(mixed));
        if (mixed)
            QVERIFY(execSql(path, {"DROP TABLE secure_tokens",
                                   "INSERT INTO schema_version (version, description) VALUES (2, "
                                   "'again')"})
                        .has_value());
        const FileFingerprint before = FileFingerprint::of(path);
        auto db = scratch("migver");
        auto summary = Migrator::run(options(path, *db));
        CTX_VERIFY_OK(summary);
        QVERIFY(summary->ok);
        QCOMPARE(FileFingerprint::of(path), before);
        auto conn = db->connect();
        CTX_VERIFY_OK(conn);
        QCOMPARE(rows(**conn, "messages"), 15);
        QCOMPARE(rows(**conn, "sessions"), 5);
        QCOMPARE(rows(**conn, "secure_tokens"), hazards::hasTokens(v) && !mixed ? 3 : 0);
        QCOMPARE(rows(**conn, "agent_memory"), 5);
        QCOMPARE(
            value(**conn, "SELECT count(*) FROM messages WHERE sender_type = 'generic'").toInt(),
            hazards::hasSenderType(v) ? 2 : 15);
    }

    void targetWithDataRefusedUnlessReplace() {
        const QString path = plantedFile(LegacyVersion::V3b, "refuse.db");
        auto db = scratch("migref");
        auto first = Migrator::run(options(path, *db));
        CTX_VERIFY_OK(first);
        qint64 firstRejects = 0;
        {
            auto before = db->connect();
            CTX_VERIFY_OK(before);
            firstRejects = rows(**before, "ctx_migration_rejects");
        }
        auto again = Migrator::run(options(path, *db));
        QVERIFY(!again.has_value());
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        QVERIFY(again.error().message.contains("--replace"));
        // --resume of a finished migration of the same file: nothing to do, verified.
        MigrateOptions resume = options(path, *db);
        resume.resume = true;
        auto done = Migrator::run(resume);
        CTX_VERIFY_OK(done);
        QVERIFY(done->alreadyComplete);
        QVERIFY(done->ok);
        MigrateOptions replace = options(path, *db);
        replace.replace = true;
        auto replaced = Migrator::run(replace);
        CTX_VERIFY_OK(replaced);
        QVERIFY(replaced->ok);
        auto conn = db->connect();
        CTX_VERIFY_OK(conn);
        QCOMPARE(rows(**conn, "messages"), 15);
        // --replace records each reject once: as many as the first migration recorded
        // (counted before it was replaced), none twice, and the summary says the same.
        QVERIFY(firstRejects > 0);
        QCOMPARE(rows(**conn, "ctx_migration_rejects"), firstRejects);
        QCOMPARE(value(**conn, "SELECT count(*) FROM (SELECT DISTINCT table_name, row_key, "
                               "column_name, reason FROM ctx_migration_rejects) d")
                     .toLongLong(),
                 firstRejects);
        qint64 summarized = 0;
        for (qint64 v : replaced->rejectsByReason)
            summarized += v;
        QCOMPARE(summarized, firstRejects);
        QCOMPARE(replaced->rejectsByReason.value("nul_bytes"), 1); // message 7's content
    }

    void resumeAfterInterruptionAndOtherSourceRefused() {
        const QString path = plantedFile(LegacyVersion::V3a, "resume.db");
        auto db = scratch("migres");
        // Stop the load after the first batches, as a cancel (or a kill) would.
        std::atomic<bool> cancel{false};
        MigrateOptions o = options(path, *db);
        o.jobs = 1;
        o.limits.rows = 2;
        int batches = 0;
        o.cancel = &cancel;
        o.onEvent = [&](const MigrateEvent& e) {
            if (e.type == MigrateEvent::Type::Progress && ++batches >= 2)
                cancel = true;
        };
        auto stopped = Migrator::run(o);
        QVERIFY(!stopped.has_value());
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
        auto conn = db->connect();
        CTX_VERIFY_OK(conn);
        const qint64 partial = rows(**conn, "messages") + rows(**conn, "sessions");
        QVERIFY(partial > 0);
        conn->reset();

        auto plain = Migrator::run(options(path, *db));
        QVERIFY(!plain.has_value());
        QVERIFY(plain.error().message.contains("--resume"));

        const QString other = plantedFile(LegacyVersion::V3b, "other.db");
        MigrateOptions wrong = options(other, *db);
        wrong.resume = true;
        auto refused = Migrator::run(wrong);
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, ErrorCode::Conflict);

        MigrateOptions resume = options(path, *db);
        resume.resume = true;
        auto finished = Migrator::run(resume);
        CTX_VERIFY_OK(finished);
        QVERIFY(finished->ok);
        QVERIFY(finished->resumed);
        auto after = db->connect();
        CTX_VERIFY_OK(after);
        QCOMPARE(rows(**after, "messages"), 15);
        QCOMPARE(value(**after, "SELECT count(DISTINCT id) FROM messages").toInt(), 15);
        QCOMPARE(rejects(**after, "nul_bytes"), 1); // recorded once, not once per attempt
        QCOMPARE(rejects(**after, "recovered_session"), 2);
    }

    void secondMigrationRefusedWhileOneRuns() {
        const QString path = plantedFile(LegacyVersion::V3b, "lock.db");
        auto db = scratch("miglock");
        // A session lock, taken on the server's own port (through a pooler it would stay
        // with whichever server connection ran it); the migration may come through one.
        auto port = postgresSessionPort();
        CTX_VERIFY_OK(port);
        ConnectionOptions writable;
        writable.readOnly = false;
        auto holder = Connection::open(port->withDatabase(db->url().database()), writable);
        CTX_VERIFY_OK(holder);
        auto got = (*holder)->scalar(QStringLiteral("SELECT pg_try_advisory_lock(?)"),
                                     {Migrator::kLockKey});
        CTX_VERIFY_OK(got);
        QVERIFY(got->toBool());
        auto second = Migrator::run(options(path, *db));
        QVERIFY(!second.has_value());
        QCOMPARE(second.error().code, ErrorCode::Locked);
        QVERIFY(second.error().message.contains("another ctxdb migrate"));
        auto tables = (*holder)->scalar(
            QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        CTX_VERIFY_OK(tables);
        QCOMPARE(tables->toInt(), 0); // refused before touching anything
    }
};

QTEST_GUILESS_MAIN(TestMigrate)
#include "tst_migrate.moc"
