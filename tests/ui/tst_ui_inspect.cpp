// GUI-free pieces behind the inspector: discovery of databases, the console's
// read-only refusals, streaming export.
#include "core/inspect/DatabaseDiscovery.h"
#include "core/inspect/QueryRunner.h"
#include "core/inspect/ReadOnlyGuard.h"
#include "core/inspect/TableExport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;

class TestInspect : public QObject {
    Q_OBJECT
private:
    static void touch(const QString& path) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("SQLite format 3");
    }

private Q_SLOTS:
    void parsesDotEnv() {
        const auto v = DatabaseDiscovery::parseDotEnv(QStringLiteral(
            "# comment\nexport DATABASE_URL=\"sqlite:///./chat.db\"\nDATABASE_PATH='x y.db'\n"
            "OTHER=1 # trailing\n\nBROKEN\n"));
        QCOMPARE(v.value(QStringLiteral("DATABASE_URL")), QStringLiteral("sqlite:///./chat.db"));
        QCOMPARE(v.value(QStringLiteral("DATABASE_PATH")), QStringLiteral("x y.db"));
        QCOMPARE(v.value(QStringLiteral("OTHER")), QStringLiteral("1"));
        QVERIFY(!v.contains(QStringLiteral("BROKEN")));
    }

    void discoversDotEnvAndDefaultLocations() {
        QTemporaryDir dir;
        DatabaseDiscovery::Environment env;
        env.currentDir = dir.filePath(QStringLiteral("work"));
        env.home = dir.filePath(QStringLiteral("home"));
        QDir().mkpath(env.currentDir);
        touch(QDir(env.currentDir).filePath(QStringLiteral("data/chat.db")));
        touch(QDir(env.home).filePath(QStringLiteral(".local/share/shared-context-server/"
                                                     "chat_history.db")));
        touch(QDir(env.home).filePath(QStringLiteral(".shared-context-server/chat_history.db")));
        QFile dotEnv(QDir(env.currentDir).filePath(QStringLiteral(".env")));
        QVERIFY(dotEnv.open(QIODevice::WriteOnly));
        dotEnv.write("DATABASE_URL=sqlite+aiosqlite:///./data/chat.db\n"
                     "DATABASE_PATH=./missing.db\n");
        dotEnv.close();

        const auto found = DatabaseDiscovery::discover(env);
        QCOMPARE(found.size(), 3);
        QCOMPARE(found.at(0).urlText,
                 QDir(env.currentDir).filePath(QStringLiteral("data/chat.db")));
        QCOMPARE(found.at(0).origin, QStringLiteral(".env DATABASE_URL"));
        QCOMPARE(found.at(1).origin, QStringLiteral("XDG data directory"));
        QCOMPARE(found.at(2).origin, QStringLiteral("~/.shared-context-server"));

        // A PostgreSQL URL in .env is offered even though no file exists.
        QVERIFY(dotEnv.open(QIODevice::WriteOnly | QIODevice::Truncate));
        dotEnv.write("DATABASE_URL=postgresql+asyncpg://u:pw@db.example:5433/ctx\n");
        dotEnv.close();
        const auto pg = DatabaseDiscovery::discover(env);
        QCOMPARE(pg.at(0).origin, QStringLiteral(".env DATABASE_URL"));
        QVERIFY(pg.at(0).urlText.startsWith(QStringLiteral("postgresql")));
    }

    void refusesSessionChangesInReadOnlyMode() {
        const auto refusal = [](const QString& sql) {
            return ReadOnlyGuard::refusal(sql, Engine::Sqlite, SqlLexRules::sqlite());
        };
        QVERIFY(refusal(QStringLiteral("SELECT 1")).isEmpty());
        QVERIFY(refusal(QStringLiteral("PRAGMA table_info(x)")).isEmpty());
        for (const char* sql :
             {"SET default_transaction_read_only = off", "  -- c\n COMMIT",
              "/* x */ begin read write", "ATTACH 'x.db' AS x", "VACUUM INTO '/tmp/x.db'",
              "PRAGMA query_only=0", "COPY messages TO '/tmp/x'"})
            QVERIFY2(!refusal(QString::fromLatin1(sql)).isEmpty(), sql);
        QCOMPARE(ReadOnlyGuard::firstKeyword(QStringLiteral("/* a */ -- b\n  select 1"),
                                             SqlLexRules::sqlite()),
                 QStringLiteral("SELECT"));
    }

    void exportsCsvAndJson() {
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        TableExportWriter w;
        QVERIFY(w.open(csv, TableExportWriter::formatForPath(csv), {"id", "text"}));
        QVERIFY(w.writeRow({1, QStringLiteral("a,b \"q\"\nline")}));
        QVERIFY(w.writeRow({2, QVariant()}));
        QVERIFY(w.finish());
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("id,text\r\n1,\"a,b \"\"q\"\"\nline\"\r\n2,\r\n"));

        const QString json = dir.filePath(QStringLiteral("out.json"));
        TableExportWriter j;
        QVERIFY(j.open(json, TableExportWriter::formatForPath(json), {"id", "text"}));
        QVERIFY(j.writeRow({1, QStringLiteral("x")}));
        QVERIFY(j.writeRow({2, QVariant()}));
        QVERIFY(j.finish());
        QFile g(json);
        QVERIFY(g.open(QIODevice::ReadOnly));
        const QJsonArray a = QJsonDocument::fromJson(g.readAll()).array();
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(0).toObject().value("text").toString(), QStringLiteral("x"));
        QVERIFY(a.at(1).toObject().value("text").isNull());
    }
};

QTEST_GUILESS_MAIN(TestInspect)
#include "tst_ui_inspect.moc"
