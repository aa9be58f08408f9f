// Detection of every legacy version and mixed file, and refusal of other files.
#include "core/schema/SchemaDetector.h"
#include "core/schema/SchemaMigrator.h"
#include "support/LegacyFixtures.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestSchemaDetect : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    QString fixture(LegacyVersion v, const QStringList& extra = {}) {
        const QString path = m_dir.filePath(QStringLiteral("f%1.db").arg(++m_n));
        auto ok = writeLegacyFile(path, v);
        if (!ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        if (!extra.isEmpty()) {
            auto e = execSql(path, extra);
            if (!e)
                qFatal("%s", qPrintable(e.error().oneLine()));
        }
        return path;
    }

    static SchemaInfo detect(const QString& path) {
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        if (!conn)
            qFatal("%s", qPrintable(conn.error().oneLine()));
        auto info = SchemaDetector::detect(**conn);
        if (!info)
            qFatal("%s", qPrintable(info.error().oneLine()));
        return *info;
    }

private Q_SLOTS:
    void everyVersion_data() {
        QTest::addColumn<int>("version");
        QTest::addColumn<int>("number");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<bool>("alteredQuirk");
        QTest::newRow("1") << int(LegacyVersion::V1) << 1 << "1" << false;
        QTest::newRow("2") << int(LegacyVersion::V2) << 2 << "2" << false;
        QTest::newRow("2 altered") << int(LegacyVersion::V2Altered) << 2 << "2" << true;
        QTest::newRow("3a") << int(LegacyVersion::V3a) << 3 << "3a" << false;
        QTest::newRow("3b") << int(LegacyVersion::V3b) << 3 << "3b" << false;
    }
    void everyVersion() {
        QFETCH(int, version);
        QFETCH(int, number);
        QFETCH(QString, variant);
        QFETCH(bool, alteredQuirk);
        const SchemaInfo info = detect(fixture(LegacyVersion(version)));
        QVERIFY(info.sharedContext);
        QCOMPARE(info.version, number);
        QCOMPARE(info.variant, variant);
        QVERIFY(!info.mixed);
        const bool hasAltered = info.quirks.join(';').contains("ALTER TABLE");
        QCOMPARE(hasAltered, alteredQuirk);
    }

    void mixedSeveralVersionRows() {
        const SchemaInfo info = detect(
            fixture(LegacyVersion::V3a, {"INSERT INTO schema_version (version) VALUES (2)"}));
        QVERIFY(info.mixed);
        QCOMPARE(info.recordedVersions, (QList<int>{2, 3}));
        QCOMPARE(info.version, 3);
        QVERIFY(info.quirks.join(';').contains("{2,3}"));
    }

    void mixedBothUniquenessVariants() {
        const SchemaInfo info = detect(
            fixture(LegacyVersion::V3a, {"CREATE UNIQUE INDEX idx_agent_memory_unique_global ON "
                                         "agent_memory(agent_id, key) WHERE session_id IS NULL"}));
        QVERIFY(info.mixed);
        QVERIFY(info.quirks.join(';').contains("both agent_memory uniqueness variants"));
    }

    void mixedMissingSecureTokens() {
        const SchemaInfo info = detect(fixture(LegacyVersion::V3b, {"DROP TABLE secure_tokens"}));
        QVERIFY(info.mixed);
        QVERIFY(info.quirks.join(';').contains("secure_tokens table missing"));
    }

    void duplicateGlobalKeysAreAQuirk() {
        const SchemaInfo info =
            detect(fixture(LegacyVersion::V1,
                           {"INSERT INTO agent_memory (agent_id, session_id, key, value) VALUES "
                            "('claude-main', NULL, 'global.pref', 'again')"}));
        QVERIFY(info.quirks.join(';').contains("1 duplicate global memory keys"));
    }

    void anotherApplicationIsRefused() {
        const QString path = m_dir.filePath("other.db");
        {
            auto conn = openWritableSqlite(path);
            QVERIFY(conn);
            QVERIFY((*conn)->exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"));
        }
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        QVERIFY(conn);
        auto st = SchemaMigrator::status(**conn);
        QVERIFY(!st);
        QCOMPARE(st.error().code, ErrorCode::NotADatabase);
        QVERIFY(st.error().oneLine().contains("invoices"));
        QVERIFY(st.error().oneLine().contains(path));
    }

    void pendingFollowsVersion() {
        auto conn = Connection::open(DatabaseUrl::sqliteFile(fixture(LegacyVersion::V1)));
        QVERIFY(conn);
        auto st = SchemaMigrator::status(**conn);
        QVERIFY(st);
        QList<int> pending;
        for (const auto& s : st->pending)
            pending << s.version;
        QCOMPARE(pending, (QList<int>{2, 3, 4, 5}));
        QCOMPARE(st->latestVersion, MigrationCatalog::latestVersion(Engine::Sqlite));
    }
};

QTEST_GUILESS_MAIN(TestSchemaDetect)
#include "tst_schema_detect.moc"
