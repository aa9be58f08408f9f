// The migration's index builds ahead of schema versions 4 and 5, on the real
// PostgreSQL: the same indexes as the scripts alone would make, from several
// connections, and the scripts still apply afterwards.
#include "core/schema/SchemaMigrator.h"
#include "core/transfer/IndexPrebuilder.h"
#include "core/transfer/PgLink.h"
#include "support/TestDatabases.h"

#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestIndexPrebuilder : public QObject {
    Q_OBJECT

    static std::unique_ptr<ScratchDatabase> scratch(const QString& tag) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine())); // no server: FAIL, never skip
        return std::move(*db);
    }
    static std::unique_ptr<Connection> connect(const ScratchDatabase& db) {
        auto c = db.connect(false);
        if (!c)
            qFatal("%s", qPrintable(c.error().oneLine()));
        return std::move(*c);
    }
    static void upgrade(const Connection& c, int toVersion) {
        UpgradeOptions o;
        o.targetVersion = toVersion;
        auto r = SchemaMigrator::applyPending(c, o);
        QVERIFY2(r, r ? "" : qPrintable(r.error().oneLine()));
    }
    // Every index of the schema with its definition, ordered by name.
    static QStringList indexes(const Connection& c) {
        auto q = c.exec(QStringLiteral("SELECT indexname || ': ' || indexdef FROM pg_indexes "
                                       "WHERE schemaname = current_schema() ORDER BY 1"));
        QStringList out;
        while (q && q->next())
            out << q->value(0).toString();
        return out;
    }
    static QList<IndexBuild> scheduled(const Connection& c) {
        auto st = SchemaMigrator::status(c);
        if (!st)
            qFatal("%s", qPrintable(st.error().oneLine()));
        QList<IndexBuild> builds = IndexPrebuilder::collect(st->pending);
        PgLink link(c.pgHandle(), c.url().redacted());
        if (auto ok = IndexPrebuilder::schedule(link, builds); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        return builds;
    }

private Q_SLOTS:
    void collectsEveryIndexStatementOfTheScripts() {
        QList<MigrationScript> scripts;
        for (const MigrationScript& s : MigrationCatalog::forEngine(Engine::Postgres))
            if (s.version >= 4)
                scripts << s;
        const QList<IndexBuild> builds = IndexPrebuilder::collect(scripts);
        int inScripts = 0;
        for (const MigrationScript& s : scripts)
            // Version 6's plain CREATE INDEX run inside its DO block, on old databases only.
            inScripts += int(s.sql.count("CREATE INDEX IF NOT EXISTS") +
                             s.sql.count("CREATE UNIQUE INDEX IF NOT EXISTS"));
        QCOMPARE(builds.size(), inScripts);
        QVERIFY(inScripts > 10);
        for (const IndexBuild& b : builds) {
            QVERIFY2(b.sql.startsWith("CREATE"), b.sql.constData()); // comments stripped
            QVERIFY2(b.sql.contains("IF NOT EXISTS"), b.sql.constData());
            QVERIFY2(b.sql.contains(" ON " + b.table.toUtf8()), b.sql.constData());
        }
        QVERIFY(
            IndexPrebuilder::collect({MigrationCatalog::make(9, "x", "CREATE INDEX i ON t(a);")})
                .isEmpty()); // without IF NOT EXISTS the script would fail afterwards
    }

    void prebuiltIndexesAreTheScriptsOwn() {
        auto plain = scratch("prebuild_plain");
        auto ahead = scratch("prebuild_ahead");
        auto plainConn = connect(*plain);
        upgrade(*plainConn, INT_MAX);

        auto conn = connect(*ahead);
        upgrade(*conn, 3);
        QList<IndexBuild> builds = scheduled(*conn);
        // ctx_migration_rejects is created by version 5 itself: its index waits for it.
        for (const IndexBuild& b : builds)
            QVERIFY2(b.table != QLatin1String("ctx_migration_rejects"), b.sql.constData());
        QVERIFY(!builds.isEmpty());
        QCOMPARE(builds.first().table, QString("messages")); // the biggest table first
        auto built = IndexPrebuilder::build(ahead->url(), builds, 2);
        QVERIFY2(built, built ? "" : qPrintable(built.error().oneLine()));
        const QStringList before = indexes(*conn);
        for (const IndexBuild& b : builds) {
            static const QRegularExpression named(QStringLiteral(R"(EXISTS\s+(\S+)\s)"));
            const QString name = named.match(QString::fromUtf8(b.sql)).captured(1);
            QVERIFY2(!name.isEmpty() && before.join('\n').contains(name + ": "), b.sql.constData());
        }
        upgrade(*conn, INT_MAX); // the scripts find the indexes and apply the rest
        QCOMPARE(indexes(*conn), indexes(*plainConn));
    }

    void failureAndCancelAreReported() {
        auto db = scratch("prebuild_fail");
        auto conn = connect(*db);
        upgrade(*conn, 3);
        const QList<IndexBuild> broken{
            {QStringLiteral("messages"),
             "CREATE INDEX IF NOT EXISTS idx_broken ON messages(no_such_column)"}};
        auto failed = IndexPrebuilder::build(db->url(), broken, 2);
        QVERIFY(!failed);
        QVERIFY2(failed.error().oneLine().contains("no_such_column"),
                 qPrintable(failed.error().oneLine()));

        std::atomic<bool> cancel{true};
        auto cancelled = IndexPrebuilder::build(db->url(), scheduled(*conn), 2, &cancel);
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
        QVERIFY(!indexes(*conn).join('\n').contains("idx_messages_session_time"));
    }
};

QTEST_GUILESS_MAIN(TestIndexPrebuilder)
#include "tst_index_prebuilder.moc"
