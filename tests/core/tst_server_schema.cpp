// The server's own PostgreSQL schema file (vendored with its header in
// resources/sql/server/) against the catalog: the shipped list of its objects is what
// PostgreSQL prints for a database made from it, the comparison names every
// difference, and Context Studio's migrations are compared with it object by object.
#include "core/schema/MigrationCatalog.h"
#include "core/schema/SchemaDetector.h"
#include "core/schema/SchemaMigrator.h"
#include "core/schema/ServerSchema.h"
#include "support/ServerSchemaDb.h"
#include "support/TestDatabases.h"

#include <QFile>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

namespace {

// The texts of versions 3 and 4 before they were rewritten to the server's exact
// shape, as databases made by earlier builds recorded them.
QList<MigrationScript> earlierCatalog() {
    QList<MigrationScript> scripts;
    const QString dir = qEnvironmentVariable("CTX_SOURCE_DIR") + "/tests/data/postgres-earlier/";
    scripts << MigrationCatalog::make(
        3, "server_tables", MigrationCatalog::readResource(dir + "003_server_tables.sql"));
    scripts << MigrationCatalog::make(
        4, "server_indexes", MigrationCatalog::readResource(dir + "004_server_indexes.sql"));
    for (const MigrationScript& s : MigrationCatalog::forEngine(Engine::Postgres))
        if (s.version == 5)
            scripts << s;
    return scripts;
}

} // namespace

class TestServerSchema : public QObject {
    Q_OBJECT

    std::unique_ptr<ScratchDatabase> scratch(const QString& tag) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine()));
        return std::move(*db);
    }
    std::unique_ptr<Connection> connect(const ScratchDatabase& db) {
        auto c = db.connect(false);
        if (!c)
            qFatal("%s", qPrintable(c.error().oneLine()));
        return std::move(*c);
    }

private Q_SLOTS:
    void vendoredFileKeepsItsHeader() {
        const QByteArray sql = ServerSchema::fileSql();
        QVERIFY(sql.startsWith("-- shared-context-server's own PostgreSQL schema"));
        QVERIFY(sql.contains("MIT License"));
        QVERIFY(sql.contains("CREATE VIEW audit_activity_summary"));
    }

    // The shipped list is what this server prints for a database made from the file.
    // CTX_WRITE_SERVER_CATALOG=PATH writes the list again (after a PostgreSQL upgrade).
    void shippedCatalogIsTheFilesCatalog() {
        auto db = scratch("srvfile");
        auto conn = connect(*db);
        QVERIFY2(runServerSchemaFile(*conn), "the server's file did not run");
        auto snapshot = PgCatalogSnapshot::read(*conn);
        QVERIFY2(snapshot, snapshot ? "" : qPrintable(snapshot.error().oneLine()));
        if (const QByteArray out = qgetenv("CTX_WRITE_SERVER_CATALOG"); !out.isEmpty()) {
            QFile f(QString::fromLocal8Bit(out));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("# Objects of server-postgresql.sql as PostgreSQL prints them "
                    "(kind, name, definition; tst_server_schema checks and writes it)\n");
            f.write(snapshot->toText().toUtf8());
        }
        const auto diffs = PgCatalogSnapshot::compare(ServerSchema::catalog(), *snapshot);
        for (const CatalogDifference& d : diffs)
            qWarning("%s", qPrintable(d.describe()));
        QVERIFY(diffs.isEmpty());
        // Every kind the issue names is in it.
        QHash<QString, int> kinds;
        for (const CatalogObject& o : snapshot->objects())
            ++kinds[o.kind];
        QCOMPARE(kinds.value("table"), 6);
        QCOMPARE(kinds.value("column"), 44);
        QCOMPARE(kinds.value("view"), 3);
        QCOMPARE(kinds.value("trigger"), 2);
        QCOMPARE(kinds.value("function"), 1);
        QCOMPARE(kinds.value("constraint"), 29);
        QCOMPARE(kinds.value("index"), 32); // 24 named, 8 behind keys
        const CatalogObject* fk = snapshot->find("constraint", "messages.messages_session_id_fkey");
        QVERIFY(fk);
        QCOMPARE(fk->definition,
                 QString("FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE"));
        const CatalogObject* col = snapshot->find("column", "messages.sender_type");
        QVERIFY(col);
        QCOMPARE(col->definition,
                 QString("character varying(50) DEFAULT 'generic'::character varying"));
    }

    void comparisonNamesEachDifference() {
        PgCatalogSnapshot a, b;
        a.add({"view", "v", "SELECT 1"});
        a.add({"constraint", "t.c", "CHECK (x > 0)"});
        a.add({"column", "t.x", "integer"});
        b.add({"column", "t.x", "integer  NOT NULL"}); // white space does not count
        b.add({"constraint", "t.c", "CHECK (x > 0)"});
        b.add({"index", "i", "CREATE INDEX i ON public.t USING btree (x)"});
        const auto diffs = PgCatalogSnapshot::compare(a, b);
        QStringList said;
        for (const CatalogDifference& d : diffs)
            said << d.describe();
        QCOMPARE(said, (QStringList{"column t.x differs: expected 'integer', found 'integer "
                                    "NOT NULL'",
                                    "index i extra ('CREATE INDEX i ON public.t USING btree (x)')",
                                    "view v missing (expected 'SELECT 1')"}));
        QVERIFY(PgCatalogSnapshot::compare(a, a).isEmpty());
        QCOMPARE(PgCatalogSnapshot::fromText(a.toText()).objects(), a.objects());
    }

    // A changed CHECK, a dropped view and an added index on a real database.
    void snapshotSeesEveryChange() {
        auto db = scratch("srvchg");
        auto conn = connect(*db);
        QVERIFY(runServerSchemaFile(*conn));
        auto before = PgCatalogSnapshot::read(*conn);
        QVERIFY(before);
        QVERIFY(conn->exec("ALTER TABLE messages DROP CONSTRAINT messages_content_length"));
        QVERIFY(conn->exec("ALTER TABLE messages ADD CONSTRAINT messages_content_length CHECK "
                           "(length(content) <= 99999)"));
        QVERIFY(conn->exec("DROP VIEW agent_memory_summary"));
        QVERIFY(conn->exec("CREATE INDEX mine ON sessions (purpose)"));
        QVERIFY(conn->exec("ALTER TABLE audit_log ALTER COLUMN resource TYPE varchar(300)"));
        auto after = PgCatalogSnapshot::read(*conn);
        QVERIFY(after);
        QStringList labels;
        for (const CatalogDifference& d : PgCatalogSnapshot::compare(*before, *after))
            labels << d.kind() + ' ' + d.name();
        QCOMPARE(labels, (QStringList{"column audit_log.resource",
                                      "constraint messages.messages_content_length", "index mine",
                                      "view agent_memory_summary"}));
    }

    // Issue 16 item 1: the migrations make the server's schema object for object;
    // everything else is Context Studio's, by name.
    void migrationsMakeTheServersSchemaExactly() {
        auto db = scratch("srvmig");
        auto conn = connect(*db);
        auto report = SchemaMigrator::applyPending(*conn, {});
        QVERIFY2(report, report ? "" : qPrintable(report.error().oneLine()));
        auto ours = PgCatalogSnapshot::read(*conn);
        QVERIFY(ours);
        const ServerSchemaMatch m = ServerSchema::match(*ours);
        for (const CatalogDifference& d : m.drift)
            qWarning("%s", qPrintable(d.describe()));
        QVERIFY(m.drift.isEmpty());
        QVERIFY(m.complete);
        QCOMPARE(m.operatorObjects, QStringList());
        for (const char* own :
             {"index idx_ctx_messages_session_page", "index idx_agent_memory_unique_global",
              "index idx_messages_session_sender_time", "table ctx_migration_rejects",
              "column schema_version.checksum"})
            QVERIFY2(m.contextStudioObjects.contains(own), own);
    }

    // A database that versions 3 to 5 made before their rewrite (unbounded VARCHARs,
    // our own trigger function, no views) keeps its history valid and version 6 turns
    // it into the server's schema, its rows kept.
    void earlierDatabaseConvergesOnTheServersSchema() {
        auto db = scratch("srvold");
        auto conn = connect(*db);
        UpgradeOptions earlier;
        earlier.catalog = earlierCatalog();
        QVERIFY(SchemaMigrator::applyPending(*conn, earlier));
        QVERIFY(conn->exec("INSERT INTO sessions (id, purpose, created_by) VALUES ('s1', 'p', "
                           "'agent')"));
        QVERIFY(conn->exec("INSERT INTO messages (session_id, sender, content) VALUES ('s1', "
                           "'agent', 'hello')"));
        auto before = PgCatalogSnapshot::read(*conn);
        QVERIFY(before);
        QVERIFY(ServerSchema::match(*before).drift.size() > 40);
        auto st = SchemaMigrator::status(*conn);
        QVERIFY2(st, st ? "" : qPrintable(st.error().oneLine()));
        QCOMPARE(st->pending.size(), 1);
        QCOMPARE(st->pending.first().version, 6);
        auto report = SchemaMigrator::applyPending(*conn, {});
        QVERIFY2(report, report ? "" : qPrintable(report.error().oneLine()));
        auto after = PgCatalogSnapshot::read(*conn);
        QVERIFY(after);
        const ServerSchemaMatch m = ServerSchema::match(*after);
        for (const CatalogDifference& d : m.drift)
            qWarning("%s", qPrintable(d.describe()));
        QVERIFY(m.complete);
        QVERIFY(m.contextStudioObjects.contains("index idx_ctx_messages_session_page"));
        QCOMPARE(m.operatorObjects, QStringList());
        QCOMPARE(conn->scalar("SELECT content FROM messages")->toString(), QString("hello"));
        // The same database made today has the same objects.
        auto fresh = scratch("srvnew");
        auto freshConn = connect(*fresh);
        QVERIFY(SchemaMigrator::applyPending(*freshConn, {}));
        auto today = PgCatalogSnapshot::read(*freshConn);
        QVERIFY(today);
        QVERIFY(PgCatalogSnapshot::compare(*today, *after).isEmpty());
        // A text that is neither today's nor an accepted earlier one is still refused.
        QVERIFY(conn->exec("UPDATE schema_version SET checksum = repeat('0', 64) WHERE version "
                           "= 3"));
        auto refused = SchemaMigrator::status(*conn);
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains("migration 3 (server_tables) was changed"));
    }

    // A row that the server's CHECKs refuse makes version 6 fail in one line naming the
    // constraint, and nothing changes.
    void earlierDatabaseWithARefusedRowIsLeftAsItWas() {
        auto db = scratch("srvbad");
        auto conn = connect(*db);
        UpgradeOptions earlier;
        earlier.catalog = earlierCatalog();
        QVERIFY(SchemaMigrator::applyPending(*conn, earlier));
        QVERIFY(conn->exec("INSERT INTO sessions (id, purpose, created_by) VALUES ('s1', '  ', "
                           "'agent')"));
        auto before = PgCatalogSnapshot::read(*conn);
        QVERIFY(before);
        auto report = SchemaMigrator::applyPending(*conn, {});
        QVERIFY(!report);
        QVERIFY2(report.error().oneLine().contains("sessions_purpose_not_empty"),
                 qPrintable(report.error().oneLine()));
        QVERIFY(!report.error().oneLine().contains('\n'));
        auto after = PgCatalogSnapshot::read(*conn);
        QVERIFY(after);
        QVERIFY(PgCatalogSnapshot::compare(*before, *after).isEmpty());
        QCOMPARE(SchemaDetector::detect(*conn)->version, 5);
    }

    // Issue 16 item 2: a database made from the server's file, empty or with the
    // server's rows, says so; the operator's own objects are named.
    void recognizesTheServersFile() {
        auto db = scratch("srvrec");
        auto conn = connect(*db);
        QVERIFY(runServerSchemaFile(*conn));
        auto info = SchemaDetector::detect(*conn);
        QVERIFY2(info, info ? "" : qPrintable(info.error().oneLine()));
        QVERIFY(info->serverSchema);
        QVERIFY(info->serverTables);
        QCOMPARE(schemaVersionLabel(*info), QString("3 (server's PostgreSQL schema)"));
        QCOMPARE(info->operatorObjects, QStringList());
        // With the server's rows and objects of the operator's own.
        QVERIFY(conn->exec("INSERT INTO sessions (id, purpose, created_by) VALUES ('s1', 'p', "
                           "'agent')"));
        QVERIFY(conn->exec("INSERT INTO messages (session_id, sender, content) VALUES ('s1', "
                           "'agent', 'hello')"));
        QVERIFY(conn->exec("CREATE VIEW my_recent AS SELECT id, content FROM messages"));
        QVERIFY(conn->exec("CREATE INDEX my_sender_idx ON messages (sender)"));
        info = SchemaDetector::detect(*conn);
        QVERIFY(info);
        QVERIFY(info->serverSchema);
        QCOMPARE(info->operatorObjects, (QStringList{"index my_sender_idx", "view my_recent"}));
        // A server object changed: still the server's tables, the change named.
        QVERIFY(conn->exec("ALTER TABLE sessions DROP CONSTRAINT sessions_purpose_not_empty"));
        info = SchemaDetector::detect(*conn);
        QVERIFY(info);
        QVERIFY(!info->serverSchema);
        QVERIFY(info->serverTables);
        QCOMPARE(info->serverDrift.size(), 1);
        QVERIFY(info->serverDrift.first().startsWith(
            "constraint sessions.sessions_purpose_not_empty missing"));
        QCOMPARE(schemaVersionLabel(*info),
                 QString("3 (server's PostgreSQL schema, 1 of its objects differ)"));
    }

    // Context Studio's own database is not the server's file's.
    void ourOwnDatabaseIsNotLabelledTheServers() {
        auto db = scratch("srvown");
        auto conn = connect(*db);
        QVERIFY(SchemaMigrator::applyPending(*conn, {}));
        auto info = SchemaDetector::detect(*conn);
        QVERIFY(info);
        QVERIFY(!info->serverTables);
        QVERIFY(info->serverSchema); // the same objects, made by Context Studio
        QCOMPARE(schemaVersionLabel(*info), QString("6"));
    }

    // Upgrade to the latest version without an error and without touching any of the
    // server's objects (nor the operator's).
    void upgradeLeavesTheServersObjects() {
        auto db = scratch("srvupg");
        {
            auto conn = connect(*db);
            QVERIFY(runServerSchemaFile(*conn));
            QVERIFY(conn->exec("INSERT INTO sessions (id, purpose, created_by) VALUES ('s1', "
                               "'p', 'agent')"));
            QVERIFY(conn->exec("CREATE VIEW my_recent AS SELECT id FROM messages"));
            auto st = SchemaMigrator::status(*conn);
            QVERIFY(st);
            QCOMPARE(st->provided.size(), 1);
            QCOMPARE(st->provided.first().version, 4);
            QCOMPARE(st->pending.size(), 2);
            QCOMPARE(st->pending.first().version, 5);
        }
        auto before = snapshotOf(db->url());
        QVERIFY(before);
        auto report = SchemaMigrator::upgrade(db->url(), {});
        QVERIFY2(report, report ? "" : qPrintable(report.error().oneLine()));
        QCOMPARE(report->applied, (QList<int>{4, 5, 6}));
        QCOMPARE(report->toVersion, 6);
        auto after = snapshotOf(db->url());
        QVERIFY(after);
        const QStringList changes = serverObjectChanges(*before, *after);
        for (const QString& c : changes)
            qWarning("%s", qPrintable(c));
        QVERIFY(changes.isEmpty());
        auto conn = connect(*db);
        auto info = SchemaDetector::detect(*conn);
        QVERIFY(info);
        QCOMPARE(schemaVersionLabel(*info), QString("6 (server's PostgreSQL schema)"));
        QCOMPARE(info->history.first().checksum, QString()); // the server's row, untouched
        auto st = SchemaMigrator::status(*conn);
        QVERIFY(st);
        QVERIFY(st->pending.isEmpty() && st->provided.isEmpty());
        QCOMPARE(conn->scalar("SELECT count(*) FROM sessions")->toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestServerSchema)
#include "tst_server_schema.moc"
