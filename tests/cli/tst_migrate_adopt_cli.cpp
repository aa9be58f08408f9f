// ctxdb schema status/plan/upgrade and ctxdb migrate on a database made from the
// server's own schema file (issue 16 items 2 and 3), as an operator runs them.
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"
#include "support/ServerSchemaDb.h"
#include "support/TestDatabases.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::test;

class TestMigrateAdoptCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_source;

    static std::unique_ptr<ScratchDatabase> serverDatabase(const QString& tag,
                                                           const QStringList& extra = {}) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine()));
        auto conn = (*db)->connect(false);
        if (!conn || !runServerSchemaFile(**conn))
            qFatal("the server's file did not run");
        for (const QString& sql : extra) {
            if (!(*conn)->exec(sql))
                qFatal("%s", qPrintable(sql));
        }
        return std::move(*db);
    }
    // The sandbox's URL (password included) with the scratch database's name.
    static QString url(const ScratchDatabase& db) {
        return QString::fromLocal8Bit(qgetenv("CTX_TEST_PG_URL")).section('/', 0, -2) + '/' +
               db.url().database();
    }

private Q_SLOTS:
    void initTestCase() {
        m_source = m_dir.filePath("legacy.db");
        QVERIFY(writeLegacyFile(m_source, LegacyVersion::V3a));
    }

    void schemaCommandsOnTheServersFile() {
        auto db = serverDatabase("cliadsch", {"CREATE VIEW my_recent AS SELECT id FROM messages"});
        const CliResult status = runCtxdb({"schema", "status", url(*db)});
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.all().contains("3 (server's PostgreSQL schema)"), qPrintable(status.all()));
        QVERIFY2(status.all().contains("view my_recent"), qPrintable(status.all()));
        QVERIFY(status.all().contains("4 server_indexes (provided by the server's schema"));
        const CliResult plan = runCtxdb({"schema", "plan", url(*db)});
        QCOMPARE(plan.exitCode, 0);
        QVERIFY(plan.all().contains("-- migration 4 (server_indexes): provided by the server's "
                                    "schema; recorded in schema_version, not run"));
        QVERIFY(!plan.all().contains("ALTER TABLE messages ADD CONSTRAINT"));
        auto before = snapshotOf(db->url());
        QVERIFY(before);
        const CliResult upgrade = runCtxdb({"schema", "upgrade", url(*db)});
        QVERIFY2(upgrade.exitCode == 0, qPrintable(upgrade.all()));
        QVERIFY2(upgrade.all().contains("upgraded from version 3 to 6"), qPrintable(upgrade.all()));
        auto after = snapshotOf(db->url());
        QVERIFY(after);
        const QStringList changes = serverObjectChanges(*before, *after);
        QVERIFY2(changes.isEmpty(), qPrintable(changes.join('\n')));
        const CliResult again = runCtxdb({"schema", "status", url(*db)});
        QVERIFY2(again.all().contains("6 (server's PostgreSQL schema)"), qPrintable(again.all()));
    }

    void migrateAdoptsAndRefuses() {
        auto db = serverDatabase("cliadmig", {"CREATE INDEX my_sender_idx ON messages (sender)"});
        auto before = snapshotOf(db->url());
        QVERIFY(before);
        const CliResult run = runCtxdb({"migrate", m_source, url(*db)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        auto after = snapshotOf(db->url());
        QVERIFY(after);
        const QStringList changes = serverObjectChanges(*before, *after);
        QVERIFY2(changes.isEmpty(), qPrintable(changes.join('\n')));
        const CliResult status = runCtxdb({"schema", "status", url(*db)});
        QVERIFY2(status.all().contains("6 (server's PostgreSQL schema)"), qPrintable(status.all()));

        auto dep = serverDatabase("cliaddep", {"CREATE VIEW my_recent AS SELECT id FROM messages"});
        const CliResult refused = runCtxdb({"migrate", m_source, url(*dep)});
        QCOMPARE(refused.exitCode, 1);
        const QString err = QString::fromUtf8(refused.err).trimmed();
        QVERIFY2(!err.contains('\n') && err.contains("view my_recent (over messages)"),
                 qPrintable(err));
        const CliResult replaced = runCtxdb({"migrate", "--replace", m_source, url(*dep)});
        QVERIFY2(replaced.exitCode == 0, qPrintable(replaced.all()));

        auto fk = serverDatabase(
            "cliadfk", {"CREATE TABLE billing (sid varchar(255) REFERENCES sessions(id))"});
        const CliResult noReplace = runCtxdb({"migrate", "--replace", m_source, url(*fk)});
        QCOMPARE(noReplace.exitCode, 1);
        QVERIFY2(noReplace.all().contains("--replace refused: constraint billing.billing_sid_fkey "
                                          "(foreign key to sessions)"),
                 qPrintable(noReplace.all()));
    }
};

QTEST_GUILESS_MAIN(TestMigrateAdoptCli)
#include "tst_migrate_adopt_cli.moc"
