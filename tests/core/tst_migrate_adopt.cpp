// ctxdb migrate into a database made from the server's own schema file (issue 16 item
// 3): adopted, loaded into, every object of the server's and the operator's kept;
// refused, naming what is there, when it holds rows or objects that depend on its
// tables; --replace never drops what Context Studio did not make.
#include "core/transfer/Migrator.h"
#include "support/LegacyFixtures.h"
#include "support/ServerSchemaDb.h"
#include "support/TestDatabases.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestMigrateAdopt : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_source;

    static std::unique_ptr<ScratchDatabase> serverDatabase(const QString& tag,
                                                           const QStringList& extra = {}) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine()));
        auto conn = (*db)->connect(false);
        if (!conn)
            qFatal("%s", qPrintable(conn.error().oneLine()));
        if (auto ok = runServerSchemaFile(**conn); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        for (const QString& sql : extra) {
            if (auto ok = (*conn)->exec(sql); !ok)
                qFatal("%s", qPrintable(ok.error().oneLine()));
        }
        return std::move(*db);
    }
    MigrateOptions options(const ScratchDatabase& db, const QString& source = {}) const {
        MigrateOptions o;
        o.sourcePath = source.isEmpty() ? m_source : source;
        o.target = db.url();
        o.jobs = 2;
        o.limits.rows = 3; // many batches: the load order matters with the keys present
        return o;
    }
    static qint64 count(const ScratchDatabase& db, const QString& sql) {
        auto conn = db.connect(true);
        if (!conn)
            return -1;
        auto v = (*conn)->scalar(sql);
        return v ? v->toLongLong() : -2;
    }
    static PgCatalogSnapshot snapshot(const ScratchDatabase& db) {
        auto s = snapshotOf(db.url());
        if (!s)
            qFatal("%s", qPrintable(s.error().oneLine()));
        return *s;
    }
    static void expectUnchanged(const PgCatalogSnapshot& before, const PgCatalogSnapshot& after) {
        const QStringList changes = serverObjectChanges(before, after);
        for (const QString& c : changes)
            qWarning("%s", qPrintable(c));
        QVERIFY(changes.isEmpty());
    }

    // The operator's own objects that do not depend on anything the migration drops.
    const QStringList kOperatorObjects{
        "CREATE INDEX my_sender_idx ON messages (sender)",
        "ALTER TABLE sessions ADD CONSTRAINT my_purpose_short CHECK (length(purpose) < 5000)",
        "CREATE FUNCTION my_touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE "
        "plpgsql",
        "CREATE TRIGGER my_touch_trigger BEFORE INSERT ON messages FOR EACH ROW EXECUTE "
        "FUNCTION my_touch()",
        "CREATE TABLE my_notes (note text)"};

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_source = m_dir.filePath("legacy.db");
        auto ok = writeLegacyFile(m_source, LegacyVersion::V3a);
        QVERIFY2(ok, ok ? "" : qPrintable(ok.error().oneLine()));
    }

    void loadsIntoTheServersEmptyTables() {
        auto db = serverDatabase("adoptok", kOperatorObjects);
        const PgCatalogSnapshot before = snapshot(*db);
        auto summary = Migrator::run(options(*db));
        QVERIFY2(summary, summary ? "" : qPrintable(summary.error().oneLine()));
        QVERIFY(summary->ok);
        QVERIFY(count(*db, "SELECT count(*) FROM messages") > 0);
        expectUnchanged(before, snapshot(*db));
        QCOMPARE(count(*db, "SELECT count(*) FROM schema_version WHERE version = 3 AND checksum "
                            "IS NULL"),
                 1);
        QCOMPARE(count(*db, "SELECT max(version) FROM schema_version"), 6);
        // Again: it holds rows now, and says so.
        auto again = Migrator::run(options(*db));
        QVERIFY(!again);
        QVERIFY(again.error().message.contains("already holds data"));
        QVERIFY(again.error().message.contains("the server's tables and your objects are kept"));
    }

    void refusesObjectsThatDependOnItsTables() {
        auto db = serverDatabase(
            "adoptdep", {"CREATE VIEW my_recent AS SELECT id, content FROM messages",
                         "CREATE TABLE billing (sid varchar(255) REFERENCES sessions(id))"});
        const PgCatalogSnapshot before = snapshot(*db);
        auto r = Migrator::run(options(*db));
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Conflict);
        const QString line = r.error().oneLine();
        QVERIFY2(!line.contains('\n'), qPrintable(line));
        QVERIFY2(line.contains("view my_recent (over messages)"), qPrintable(line));
        QVERIFY2(line.contains("constraint billing.billing_sid_fkey (foreign key to sessions)"),
                 qPrintable(line));
        QVERIFY(!line.contains("active_sessions_with_activity")); // the server's own view
        QCOMPARE(PgCatalogSnapshot::compare(before, snapshot(*db)).size(), 0);
    }

    void refusesRowsAndReplaceKeepsTheServersObjects() {
        auto db = serverDatabase(
            "adoptrep", {"INSERT INTO sessions (id, purpose, created_by) VALUES ('op1', 'p', 'a')",
                         "CREATE VIEW my_recent AS SELECT id, content FROM messages"});
        auto r = Migrator::run(options(*db));
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains("view my_recent"), qPrintable(r.error().oneLine()));
        const PgCatalogSnapshot before = snapshot(*db);
        MigrateOptions o = options(*db);
        o.replace = true;
        auto replaced = Migrator::run(o);
        QVERIFY2(replaced, replaced ? "" : qPrintable(replaced.error().oneLine()));
        QVERIFY(replaced->ok);
        QCOMPARE(count(*db, "SELECT count(*) FROM sessions WHERE id = 'op1'"), 0);
        QVERIFY(count(*db, "SELECT count(*) FROM my_recent") > 0);
        expectUnchanged(before, snapshot(*db));
    }

    void replaceRefusesWhatWouldTakeTheOperatorsRows() {
        auto db = serverDatabase(
            "adoptfk", {"INSERT INTO sessions (id, purpose, created_by) VALUES ('op1', 'p', 'a')",
                        "CREATE TABLE billing (sid varchar(255) REFERENCES sessions(id))",
                        "INSERT INTO billing VALUES ('op1')"});
        const PgCatalogSnapshot before = snapshot(*db);
        MigrateOptions o = options(*db);
        o.replace = true;
        auto r = Migrator::run(o);
        QVERIFY(!r);
        QVERIFY2(
            r.error().message.contains("--replace refused: constraint billing.billing_sid_fkey "
                                       "(foreign key to sessions)"),
            qPrintable(r.error().oneLine()));
        QCOMPARE(count(*db, "SELECT count(*) FROM sessions"), 1);
        QCOMPARE(count(*db, "SELECT count(*) FROM billing"), 1);
        QCOMPARE(PgCatalogSnapshot::compare(before, snapshot(*db)).size(), 0);
    }

    // Tables Context Studio made go on --replace, but never by CASCADE into the
    // operator's objects.
    void replaceOfOurTablesRefusesDependents() {
        auto db = ScratchDatabase::create(Engine::Postgres, "adoptours");
        QVERIFY(db);
        auto first = Migrator::run(options(**db));
        QVERIFY2(first, first ? "" : qPrintable(first.error().oneLine()));
        {
            auto conn = (*db)->connect(false);
            QVERIFY(conn);
            QVERIFY((*conn)->exec("CREATE VIEW my_recent AS SELECT id FROM messages"));
        }
        MigrateOptions o = options(**db);
        o.replace = true;
        auto r = Migrator::run(o);
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains("--replace refused: view my_recent (over messages)"),
                 qPrintable(r.error().oneLine()));
        QVERIFY(count(**db, "SELECT count(*) FROM my_recent") > 0);
        {
            auto conn = (*db)->connect(false);
            QVERIFY(conn);
            QVERIFY((*conn)->exec("DROP VIEW my_recent"));
        }
        auto again = Migrator::run(o);
        QVERIFY2(again, again ? "" : qPrintable(again.error().oneLine()));
        QVERIFY(again->ok);
    }

    // The server's CHECKs refuse no row (its rules change blank text before the load),
    // but a CHECK of the operator's own may: one line naming the constraint and the row,
    // the rows before it kept, the run resumable once the operator has decided.
    void checkRefusalIsOneClearLine() {
        const QString path = m_dir.filePath("blank.db");
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3a));
        const QString row = QStringLiteral(
            "INSERT INTO messages (id, session_id, sender, sender_type, content, visibility, "
            "message_type, timestamp) VALUES (%1, '%2', 'agent', 'claude', '%3', 'public', "
            "'agent_response', 1735689900)");
        QVERIFY(execSql(path, {"PRAGMA ignore_check_constraints = 1",
                               row.arg(900).arg(fixture::kSessionA, "   "),
                               row.arg(901).arg(fixture::kSessionA, "my password is hunter2")}));
        auto db = serverDatabase("adoptchk");
        {
            auto conn = db->connect(false);
            QVERIFY(conn);
            QVERIFY((*conn)->exec("ALTER TABLE messages ADD CONSTRAINT my_no_secrets CHECK "
                                  "(content NOT LIKE '%password%')"));
        }
        auto r = Migrator::run(options(*db, path));
        QVERIFY(!r);
        const QString line = r.error().oneLine();
        QVERIFY2(!line.contains('\n') && line.size() < 400, qPrintable(line));
        QVERIFY2(line.contains("messages row id 901 (source rowid 901) was not loaded: the "
                               "target's CHECK constraint my_no_secrets refuses it"),
                 qPrintable(line));
        QVERIFY(line.contains("--resume"));
        QCOMPARE(count(*db, "SELECT count(*) FROM messages WHERE id = 901"), 0);
        QCOMPARE(count(*db, "SELECT count(*) FROM pg_tables WHERE tablename = "
                            "'ctx_transfer_progress'"),
                 1); // the checkpoints stay for --resume
        MigrateOptions again = options(*db, path);
        auto fresh = Migrator::run(again);
        QVERIFY(!fresh);
        QVERIFY2(fresh.error().message.contains("unfinished migration"),
                 qPrintable(fresh.error().oneLine()));
        // The operator drops their rule; --resume finishes, the blank row by the rule.
        {
            auto conn = db->connect(false);
            QVERIFY(conn);
            QVERIFY((*conn)->exec("ALTER TABLE messages DROP CONSTRAINT my_no_secrets"));
        }
        again.resume = true;
        auto resumed = Migrator::run(again);
        QVERIFY2(resumed, resumed ? "" : qPrintable(resumed.error().oneLine()));
        QVERIFY(resumed->ok);
        QCOMPARE(count(*db, "SELECT count(*) FROM messages WHERE id = 900 AND content = '(empty "
                            "message in the legacy file)'"),
                 1);
        QCOMPARE(count(*db, "SELECT count(*) FROM ctx_migration_rejects WHERE reason = "
                            "'blank_text' AND row_key = '900'"),
                 1);
    }
};

QTEST_GUILESS_MAIN(TestMigrateAdopt)
#include "tst_migrate_adopt.moc"
