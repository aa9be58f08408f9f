// In-place upgrade of every legacy SQLite version after a verified backup; failures
// leave the file at its old version; tampered or reordered history is refused.
#include "core/schema/SchemaDetector.h"
#include "core/schema/SchemaMigrator.h"
#include "support/LegacyFixtures.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

namespace {
const QStringList kDataTables{"sessions", "messages", "agent_memory", "audit_log"};

int versionOf(const QString& path) {
    auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
    if (!conn)
        return -1;
    auto info = SchemaDetector::detect(**conn);
    return info ? info->version : -1;
}
} // namespace

class TestSchemaUpgrade : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;

    QString fixture(LegacyVersion v) {
        const QString path = m_dir.filePath(QStringLiteral("u%1.db").arg(++m_n));
        auto ok = writeLegacyFile(path, v);
        if (!ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        return path;
    }

private Q_SLOTS:
    void upgradesEveryVersion_data() {
        QTest::addColumn<int>("version");
        QTest::addColumn<QList<int>>("applied");
        QTest::newRow("1") << int(LegacyVersion::V1) << QList<int>{2, 3, 4, 5};
        QTest::newRow("2") << int(LegacyVersion::V2) << QList<int>{3, 4, 5};
        QTest::newRow("2 altered") << int(LegacyVersion::V2Altered) << QList<int>{3, 4, 5};
        QTest::newRow("3a") << int(LegacyVersion::V3a) << QList<int>{4, 5};
        QTest::newRow("3b") << int(LegacyVersion::V3b) << QList<int>{4, 5};
    }
    void upgradesEveryVersion() {
        QFETCH(int, version);
        QFETCH(QList<int>, applied);
        const QString path = fixture(LegacyVersion(version));
        const QByteArray before = contentDigest(path, kDataTables);
        const QString backup = path + ".bak";
        UpgradeOptions o;
        o.backupPath = backup;
        auto report = SchemaMigrator::upgrade(DatabaseUrl::sqliteFile(path), o);
        QVERIFY2(report, report ? "" : qPrintable(report.error().oneLine()));
        QCOMPARE(report->applied, applied);
        QCOMPARE(report->toVersion, 5);
        QCOMPARE(report->backupPath, backup);
        // The backup holds exactly the old data and the old version.
        QVERIFY(QFileInfo::exists(backup));
        QCOMPARE(contentDigest(backup, kDataTables), before);
        QCOMPARE(versionOf(backup), report->fromVersion);
        // The upgraded file: same rows in the old columns, new version, checksummed history.
        QCOMPARE(versionOf(path), 5);
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        QVERIFY(conn);
        auto info = SchemaDetector::detect(**conn);
        QVERIFY(info);
        QVERIFY2(!info->mixed, qPrintable(info->quirks.join(';')));
        QVERIFY((*conn)->tableExists("secure_tokens"));
        QVERIFY((*conn)->columnsOf("messages").contains("sender_type"));
        for (const HistoryEntry& e : info->history) {
            if (applied.contains(e.version)) {
                QCOMPARE(e.checksum.size(), 64);
                QVERIFY(e.appliedBy.startsWith("ctxdb"));
                QVERIFY(e.durationMs >= 0);
            }
        }
        for (const QString& t :
             {QString("sessions"), QString("agent_memory"), QString("audit_log")})
            QCOMPARE(contentDigest(path, {t}), contentDigest(backup, {t}));
        auto count = (*conn)->scalar("SELECT count(*) FROM messages");
        QCOMPARE(count->toInt(), fixture::kMessages);
        // Running it again changes nothing and writes no new backup.
        auto again = SchemaMigrator::upgrade(DatabaseUrl::sqliteFile(path), {});
        QVERIFY(again);
        QVERIFY(again->applied.isEmpty());
        QVERIFY(again->backupPath.isEmpty());
    }

    void failureLeavesOldVersion() {
        const QString path = fixture(LegacyVersion::V3a);
        // Duplicate global keys: migration 4's unique index cannot be built.
        QVERIFY(execSql(path, {"INSERT INTO agent_memory (agent_id, session_id, key, value) "
                               "VALUES ('claude-main', NULL, 'global.pref', 'duplicate')"}));
        const QByteArray before = contentDigest(path);
        UpgradeOptions o;
        o.backupPath = path + ".bak";
        auto report = SchemaMigrator::upgrade(DatabaseUrl::sqliteFile(path), o);
        QVERIFY(!report);
        QVERIFY(report.error().oneLine().contains("migration 4"));
        QVERIFY(report.error().oneLine().contains(path));
        QCOMPARE(versionOf(path), 3);
        QCOMPARE(contentDigest(path), before);
    }

    void existingBackupIsNotOverwritten() {
        const QString path = fixture(LegacyVersion::V2);
        const QString backup = path + ".bak";
        QFile f(backup);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("precious");
        f.close();
        UpgradeOptions o;
        o.backupPath = backup;
        auto report = SchemaMigrator::upgrade(DatabaseUrl::sqliteFile(path), o);
        QVERIFY(!report);
        QCOMPARE(report.error().code, ErrorCode::Conflict);
        QCOMPARE(versionOf(path), 2);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("precious"));
    }

    void changedScriptIsRefused() {
        const QString path = fixture(LegacyVersion::V3b);
        QVERIFY(SchemaMigrator::upgrade(DatabaseUrl::sqliteFile(path), {}));
        QList<MigrationScript> tampered = MigrationCatalog::forEngine(Engine::Sqlite);
        tampered.last() = MigrationCatalog::make(tampered.last().version, tampered.last().name,
                                                 tampered.last().sql + "\n-- edited");
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        QVERIFY(conn);
        auto st = SchemaMigrator::status(**conn, tampered);
        QVERIFY(!st);
        QCOMPARE(st.error().code, ErrorCode::SchemaMismatch);
        QVERIFY(st.error().oneLine().contains("was changed after it was applied"));
    }

    void reorderedHistoryIsRefused() {
        const QString path = fixture(LegacyVersion::V3b);
        QVERIFY(SchemaMigrator::upgrade(DatabaseUrl::sqliteFile(path), {}));
        QVERIFY(execSql(path, {"DELETE FROM schema_version WHERE version = 4"}));
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        auto st = SchemaMigrator::status(**conn);
        QVERIFY(!st);
        QVERIFY(st.error().oneLine().contains("reordered"));
    }

    void newerDatabaseIsRefused() {
        const QString path = fixture(LegacyVersion::V3b);
        QVERIFY(execSql(path, {"INSERT INTO schema_version (version) VALUES (99)"}));
        auto report = SchemaMigrator::upgrade(DatabaseUrl::sqliteFile(path), {});
        QVERIFY(!report);
        QVERIFY(report.error().oneLine().contains("newer than this build"));
    }

    void secondWriterWaitsThenFails() {
        const QString path = fixture(LegacyVersion::V3b);
        ConnectionOptions w;
        w.readOnly = false;
        auto holder = Connection::open(DatabaseUrl::sqliteFile(path), w);
        QVERIFY(holder);
        QVERIFY((*holder)->begin(true)); // BEGIN IMMEDIATE: holds the write lock
        UpgradeOptions o;
        o.lockTimeoutMs = 300;
        o.backupPath = path + ".bak";
        auto report = SchemaMigrator::upgrade(DatabaseUrl::sqliteFile(path), o);
        QVERIFY(!report);
        QCOMPARE(report.error().code, ErrorCode::Locked);
        QVERIFY(report.error().oneLine().contains("another writer or migration"));
        (*holder)->rollback();
        QCOMPARE(versionOf(path), 3);
    }

    void emptyFileGetsCurrentSchema() {
        const QString path = m_dir.filePath("new.db");
        {
            auto conn = openWritableSqlite(path);
            QVERIFY(conn);
            auto report = SchemaMigrator::applyPending(**conn, {});
            QVERIFY2(report, report ? "" : qPrintable(report.error().oneLine()));
            QCOMPARE(report->applied, (QList<int>{1, 2, 3, 4, 5}));
        }
        QCOMPARE(versionOf(path), 5);
    }
};

QTEST_GUILESS_MAIN(TestSchemaUpgrade)
#include "tst_schema_upgrade.moc"
