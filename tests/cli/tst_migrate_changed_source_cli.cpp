// ctxdb migrate --resume after the source changed in place, as a user meets it: killed
// during the load (SIGKILL), a loaded row updated (same count, same rowids), --resume
// refuses in one line with exit 1 and the target as it was; a change in rows not
// loaded yet is carried; a target row tampered with after the load fails the final
// verification.
#include "core/legacy/DemoWriter.h"
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::test;

class TestMigrateChangedSourceCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_demo;

    static std::unique_ptr<ScratchDatabase> scratch(const QString& tag) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine())); // no server: FAIL, never skip
        return std::move(*db);
    }
    static QString targetOf(const ScratchDatabase& db) {
        return QString::fromLocal8Bit(qgetenv("CTX_TEST_PG_URL")).section('/', 0, -2) + '/' +
               db.url().database();
    }
    static QString text(const ScratchDatabase& db, const QString& sql) {
        auto c = db.connect();
        if (!c)
            return c.error().oneLine();
        auto v = (*c)->scalar(sql);
        return v ? v->toString() : QStringLiteral("<error: %1>").arg(v.error().oneLine());
    }
    static QString targetDigest(const ScratchDatabase& db) {
        QString all;
        for (const char* t :
             {"sessions", "messages", "agent_memory", "audit_log", "secure_tokens",
              "ctx_transfer_progress", "ctx_transfer_rejects", "ctx_transfer_checksums"})
            all += text(db, QStringLiteral("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY "
                                           "t::text), '')) FROM %1 t")
                                .arg(QLatin1String(t)));
        return all;
    }
    // A copy of the demo, migrated until its first batch of messages is committed, then
    // killed (SIGKILL: no cleanup).
    QString killedDuringLoad(const QString& name, const ScratchDatabase& db) {
        const QString path = m_dir.filePath(name);
        if (!QFile::copy(m_demo, path))
            return {};
        QProcess p;
        p.start(QString::fromLocal8Bit(qgetenv("CTXDB_BIN")),
                {"migrate", path, targetOf(db), "--json", "--batch-rows", "200", "--jobs", "1"});
        if (!p.waitForStarted())
            return {};
        for (bool committed = false; !committed && p.state() == QProcess::Running;) {
            if (!p.canReadLine())
                p.waitForReadyRead(100);
            while (p.canReadLine() && !committed) {
                const QJsonObject e = QJsonDocument::fromJson(p.readLine()).object();
                committed = e.value("event").toString() == "progress" &&
                            e.value("table").toString() == "messages" &&
                            e.value("rows_done").toDouble() > 0;
            }
        }
        p.kill();
        p.waitForFinished();
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(!qgetenv("CTXDB_BIN").isEmpty());
        m_demo = m_dir.filePath("demo.db");
        DemoOptions o;
        o.path = m_demo;
        o.messages = 8000;
        QVERIFY(DemoWriter::write(o).has_value());
    }

    void loadedRowChangedRefusedTargetUnchanged() {
        auto db = scratch("chgcli1");
        const QString path = killedDuringLoad("loaded.db", *db);
        QVERIFY(!path.isEmpty());
        const qint64 loaded = text(*db, "SELECT count(*) FROM messages").toLongLong();
        QVERIFY2(loaded > 0 && loaded < 8000, qPrintable(QString::number(loaded)));
        const QString id = text(*db, "SELECT min(id) FROM messages");
        QVERIFY(execSql(path,
                        {"UPDATE messages SET content = content || ' (edited)' WHERE id = " + id}));
        const QString before = targetDigest(*db);
        const FileFingerprint source = FileFingerprint::of(path);
        const CliResult r = runCtxdb({"migrate", path, targetOf(*db), "--resume"});
        QCOMPARE(r.exitCode, 1);
        // Progress lines ("migrate: checking …") come first; the refusal is one line.
        const QByteArray err = r.err.trimmed().split('\n').last();
        QVERIFY2(err.startsWith("ctxdb: "), r.err.constData());
        QVERIFY2(err.contains("source changed since the interrupted run: messages rows ") &&
                     err.contains("differ; start again with --replace"),
                 err.constData());
        QCOMPARE(targetDigest(*db), before);
        QCOMPARE(FileFingerprint::of(path), source);
    }

    void unloadedRowChangedIsCarriedThenTamperedTargetFails() {
        auto db = scratch("chgcli2");
        const QString path = killedDuringLoad("unloaded.db", *db);
        QVERIFY(!path.isEmpty());
        QCOMPARE(text(*db, "SELECT count(*) FROM messages WHERE id = 8000"), QStringLiteral("0"));
        QVERIFY(execSql(path, {"UPDATE messages SET content = 'edited after the kill' WHERE id = "
                               "8000"}));
        const CliResult r = runCtxdb({"migrate", path, targetOf(*db), "--resume", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(text(*db, "SELECT content FROM messages WHERE id = 8000"),
                 QStringLiteral("edited after the kill"));

        // Tampered after the load: same counts, different content.
        QVERIFY(db->connect().value()->exec(
            QStringLiteral("UPDATE messages SET content = 'tampered' WHERE id = 2")));
        const CliResult verify = runCtxdb({"migrate", path, targetOf(*db), "--resume"});
        QCOMPARE(verify.exitCode, 1);
        QVERIFY2(verify.out.contains("FAIL (content differs)"), verify.out.constData());
        QVERIFY2(verify.out.contains("FAIL: row counts or content differ"), verify.out.constData());
        const CliResult json = runCtxdb({"migrate", path, targetOf(*db), "--resume", "--json"});
        QCOMPARE(json.exitCode, 1);
        const QJsonObject summary =
            QJsonDocument::fromJson(json.out.trimmed().split('\n').last()).object();
        QCOMPARE(summary.value("status").toString(), QStringLiteral("failed"));
        for (const QJsonValue& t : summary.value("tables").toArray()) {
            const QJsonObject o = t.toObject();
            QCOMPARE(o.value("content_verified").toBool(), o.value("name") != "messages");
            QCOMPARE(o.value("target_rows").toDouble(), o.value("expected_rows").toDouble());
        }
    }
};

QTEST_GUILESS_MAIN(TestMigrateChangedSourceCli)
#include "tst_migrate_changed_source_cli.moc"
