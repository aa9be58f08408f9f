// ctxdb diff from the command line: exit codes, --json fields, --rows, and the end to
// end proof: `ctxdb migrate` of a file with hazards, then `ctxdb diff` says equal.
#include "support/CliRunner.h"
#include "support/DiffLoader.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestDiffCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }
    static QString urlText(const DatabaseUrl& u, const QString& password) {
        return QStringLiteral("postgresql://%1:%2@%3:%4/%5")
            .arg(u.user(), QString::fromLatin1(QUrl::toPercentEncoding(password)), u.host())
            .arg(u.port())
            .arg(u.database());
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(writeLegacyFile(path("a.db"), LegacyVersion::V3b).has_value());
        QVERIFY(copySqliteFile(path("a.db"), path("b.db")).has_value());
    }

    void equalCopyExitsZero() {
        const CliResult r = runCtxdb({"diff", path("a.db"), path("b.db"), "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("equal").toBool(), true);
        const QJsonArray tables = o.value("tables").toArray();
        QVERIFY(!tables.isEmpty());
        for (const QJsonValue& t : tables)
            for (const char* field : {"name", "a_rows", "b_rows", "identical", "different",
                                      "only_in_a", "only_in_b", "explained", "columns"})
                QVERIFY2(t.toObject().contains(field), field);
    }

    void differenceExitsThreeAndShowsRows() {
        QVERIFY(copySqliteFile(path("a.db"), path("c.db")).has_value());
        QVERIFY(execSql(path("c.db"), {"UPDATE messages SET content = 'edited' WHERE id = 3"})
                    .has_value());
        const CliResult r =
            runCtxdb({"diff", path("a.db"), path("c.db"), "--rows", "5", "--table", "messages"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.all().contains("My private note"));
        QVERIFY(r.all().contains("edited"));
        QVERIFY(r.all().contains("[text]"));
        QVERIFY(!r.all().contains("sessions"));
    }

    void usageAndErrors() {
        QCOMPARE(runCtxdb({"diff", path("a.db")}).exitCode, 2);
        QCOMPARE(runCtxdb({"diff", path("a.db"), path("b.db"), "--jobs", "0"}).exitCode, 2);
        const CliResult missing = runCtxdb({"diff", path("a.db"), path("nope.db")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("nope.db"));
        QCOMPARE(runCtxdb({"diff", path("a.db"), path("b.db"), "--table", "nope"}).exitCode, 1);
    }

    void passwordIsNeverPrinted() {
        auto server = postgresServer();
        QVERIFY2(server.has_value(), server ? "" : qPrintable(server.error().oneLine()));
        const QString wrong = urlText(server->withDatabase("ctx_no_such_db"), "s3cret-pw");
        const CliResult r = runCtxdb({"diff", path("a.db"), wrong});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(!r.all().contains("s3cret-pw"));
    }

    void migrateThenDiffIsEqual() {
        const QString file = path("hazards.db");
        QVERIFY(writeLegacyFile(file, LegacyVersion::V3a).has_value());
        QVERIFY(
            execSql(file, {"INSERT INTO messages (id, session_id, sender, sender_type, content, "
                           "visibility, timestamp) VALUES (60, 'session_0123456789abcdef', 'x', "
                           "NULL, CAST(X'41004200' AS TEXT), 'public', 'not a time')",
                           "INSERT INTO messages (id, session_id, sender, content, visibility, "
                           "timestamp) VALUES (61, 'session_0000000000000000', 'ghost', 'orphan', "
                           "'public', 1735689900)",
                           "INSERT INTO messages (id, session_id, sender, content, visibility, "
                           "timestamp) VALUES (62, 'session_0123456789abcdef', CAST(X'C328' AS "
                           "TEXT), 'bad bytes', 'public', 1735689901)"})
                .has_value());
        auto target = ScratchDatabase::create(Engine::Postgres, "diffmig");
        QVERIFY2(target.has_value(), target ? "" : qPrintable(target.error().oneLine()));
        DatabaseUrl t = (*target)->url();
        t.resolvePassword();
        const QString url = urlText(t, t.password());
        const CliResult m = runCtxdb({"migrate", file, url});
        QVERIFY2(m.exitCode == 0, qPrintable(m.all()));
        const CliResult r = runCtxdb({"diff", file, url, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("equal").toBool(), true);
        qint64 explained = 0;
        for (const QJsonValue& t : o.value("tables").toArray())
            explained += t.toObject().value("explained").toInteger();
        QVERIFY(explained >= 3); // NUL and bad time (one row), placeholder session, bad bytes
    }
    void hostileValuesAndKeysMigrateResumeAndDiffEqual() {
        // Issue 17 items 2 and 3 from the command line: a number PostgreSQL refuses, a
        // NULL session id, an id equal to another once cleaned and an orphan. migrate
        // finishes (it failed at every --resume), --resume has nothing left, diff is equal.
        const QString file = path("hostile.db");
        QVERIFY(writeLegacyFile(file, LegacyVersion::V3a).has_value());
        QVERIFY(execSql(file,
                        {"PRAGMA ignore_check_constraints = 1",
                         "INSERT INTO sessions (id, purpose, created_by) VALUES (NULL, 'n', 't')",
                         "INSERT INTO sessions (id, purpose, created_by) VALUES "
                         "(CAST(X'73657373696f6e5f3031323334353637383961626364656600' AS TEXT), "
                         "'nul', 't')",
                         "INSERT INTO messages (id, session_id, sender, content, visibility, "
                         "metadata, timestamp) VALUES (70, 'session_0123456789abcdef', 'x', 'big', "
                         "'public', '{\"n\":1e200000}', 1735689900)",
                         "INSERT INTO messages (id, session_id, sender, content, visibility, "
                         "timestamp) VALUES (71, 'session_1111111111111111', 'ghost', 'orphan', "
                         "'public', 1735689901)"})
                    .has_value());
        auto target = ScratchDatabase::create(Engine::Postgres, "diffhost");
        QVERIFY2(target.has_value(), target ? "" : qPrintable(target.error().oneLine()));
        DatabaseUrl t = (*target)->url();
        t.resolvePassword();
        const QString url = urlText(t, t.password());
        const CliResult m = runCtxdb({"migrate", file, url, "--batch-rows", "2"});
        QVERIFY2(m.exitCode == 0, qPrintable(m.all()));
        const CliResult again = runCtxdb({"migrate", file, url, "--resume"});
        QVERIFY2(again.exitCode == 0, qPrintable(again.all()));
        const CliResult r = runCtxdb({"diff", file, url, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("equal").toBool(), true);
        qint64 explained = 0;
        for (const QJsonValue& table : o.value("tables").toArray())
            explained += table.toObject().value("explained").toInteger();
        QVERIFY(explained >= 5); // 2 renamed sessions (source and target rows), 1 number,
                                 // 1 placeholder session, ...
    }
};

QTEST_GUILESS_MAIN(TestDiffCli)
#include "tst_diff_cli.moc"
