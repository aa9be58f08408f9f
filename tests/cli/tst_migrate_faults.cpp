// Faults during a migration, on real PostgreSQL servers: kill -9 at ten seeded points
// then --resume, the server stopped and started again, the target's disk full, a
// writer on the source, and a second migrator. Every run ends equal under ctxdb diff.
#include "core/legacy/DemoWriter.h"
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>
#include <sys/types.h>

using namespace ctx;
using namespace ctx::test;

namespace {

// Runs `ctxdb migrate --json` and calls `onRows(total rows done so far, process)` for
// every progress event; returns the exit code, or -9 when the callback killed it.
int migrate(const QStringList& args, const std::function<bool(qint64)>& killWhen = {},
            QByteArray* errors = nullptr) {
    QProcess p;
    p.start(QString::fromLocal8Bit(qgetenv("CTXDB_BIN")),
            QStringList{"migrate"} + args + QStringList{"--json"});
    if (!p.waitForStarted())
        return -100;
    QHash<QString, qint64> done;
    QByteArray buffer;
    while (p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(200);
        buffer += p.readAllStandardOutput();
        qsizetype nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
            const QJsonObject e = QJsonDocument::fromJson(buffer.left(nl)).object();
            buffer.remove(0, nl + 1);
            if (e.value("event").toString() != "progress")
                continue;
            done[e.value("table").toString()] = qint64(e.value("rows_done").toDouble());
            qint64 sum = 0;
            for (qint64 v : done)
                sum += v;
            if (killWhen && killWhen(sum)) {
                ::kill(pid_t(p.processId()), SIGKILL);
                p.waitForFinished();
                return -9;
            }
        }
    }
    p.waitForFinished();
    if (errors)
        *errors = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// ctxdb migrate, killed (SIGKILL) `delayMs` after it announced `phase`: -9 when the
// kill landed, else the exit code (it finished first).
int migrateKilledInPhase(const QStringList& args, const QString& phase, int delayMs) {
    QProcess p;
    p.start(QString::fromLocal8Bit(qgetenv("CTXDB_BIN")),
            QStringList{"migrate"} + args + QStringList{"--json"});
    if (!p.waitForStarted())
        return -100;
    QElapsedTimer since;
    QByteArray buffer;
    while (p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(5);
        buffer += p.readAllStandardOutput();
        qsizetype nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
            const QJsonObject e = QJsonDocument::fromJson(buffer.left(nl)).object();
            buffer.remove(0, nl + 1);
            if (!since.isValid() && e.value("event").toString() == "phase" &&
                e.value("phase").toString() == phase)
                since.start();
        }
        if (since.isValid() && since.elapsed() >= delayMs && p.state() == QProcess::Running) {
            ::kill(pid_t(p.processId()), SIGKILL);
            p.waitForFinished();
            return -9;
        }
    }
    p.waitForFinished();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// Rows of the server's five tables in the target.
qint64 targetRows(const DatabaseUrl& url) {
    auto conn = Connection::open(url);
    if (!conn)
        return -1;
    qint64 n = 0;
    for (const char* t : {"sessions", "messages", "agent_memory", "audit_log", "secure_tokens"}) {
        auto c = (*conn)->scalar(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(t)));
        if (!c)
            return -1;
        n += c->toLongLong();
    }
    return n;
}

// No id appears twice in any table of the target.
bool noDuplicates(const DatabaseUrl& url) {
    auto conn = Connection::open(url);
    if (!conn)
        return false;
    for (const char* t : {"sessions", "messages", "agent_memory", "audit_log", "secure_tokens"}) {
        auto d = (*conn)->scalar(
            QStringLiteral("SELECT count(*) - count(DISTINCT id) FROM %1").arg(QLatin1String(t)));
        if (!d || d->toLongLong() != 0)
            return false;
    }
    return true;
}

// A PostgreSQL cluster of this test's own (scripts/pg-sandbox), which it may stop.
class PrivateCluster {
public:
    bool start(const QString& name) {
        // Directly below /tmp: the cluster runs as an unprivileged user that must reach it.
        m_dir = QStringLiteral("/tmp/ctx-faults-%1-%2")
                    .arg(QCoreApplication::applicationPid())
                    .arg(name);
        const QString dir = m_dir;
        QProcess p;
        p.start(script(), {"start", dir});
        if (!p.waitForFinished(120000) || p.exitCode() != 0) {
            qWarning("pg-sandbox start failed: %s", p.readAllStandardError().constData());
            return false;
        }
        auto url = DatabaseUrl::parse(QString::fromUtf8(p.readAllStandardOutput()).trimmed());
        if (!url)
            return false;
        // The tests' role is no superuser and PostgreSQL 15 lets only a database's owner
        // create tables in its public schema: migrate into a database the role owns, as
        // an operator's target is.
        ConnectionOptions w;
        w.readOnly = false;
        auto owner = Connection::open(*url, w);
        if (!owner || !(*owner)->exec(QStringLiteral("CREATE DATABASE target")))
            return false;
        m_url = url->withDatabase(QStringLiteral("target"));
        return true;
    }
    bool control(const QString& verb) const {
        return QProcess::execute(script(), {verb, m_dir}) == 0;
    }
    ~PrivateCluster() {
        if (!m_dir.isEmpty())
            QProcess::execute(script(), {"stop", m_dir});
    }
    DatabaseUrl url() const { return m_url; }
    // The cluster's superuser, for set-ups the tests' role may not do (tablespaces).
    DatabaseUrl adminUrl() const {
        QFile f(m_dir + QStringLiteral("/admin-url"));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        auto url = DatabaseUrl::parse(QString::fromUtf8(f.readAll()).trimmed());
        return url ? *url : DatabaseUrl();
    }
    QString dir() const { return m_dir; }

private:
    static QString script() {
        return QString::fromLocal8Bit(qgetenv("CTX_SOURCE_DIR")) + "/scripts/pg-sandbox";
    }
    QString m_dir;
    DatabaseUrl m_url;
};

} // namespace

class TestMigrateFaults : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_source;
    qint64 m_sourceRows = 0;

private Q_SLOTS:
    void initTestCase() {
        m_source = m_dir.filePath("legacy.db");
        DemoOptions o;
        o.path = m_source;
        o.messages = 20000;
        o.seed = 11;
        auto s = DemoWriter::write(o);
        QVERIFY(s);
        m_sourceRows = s->sessions + s->messages + s->memory + s->audit + s->tokens;
    }

    void killNineAtTenSeededPointsThenResume() {
        QRandomGenerator rng(9);
        for (int i = 0; i < 10; ++i) {
            const qint64 killAt = 1 + rng.bounded(int(m_sourceRows - 1));
            auto target = ScratchDatabase::create(Engine::Postgres, "kill");
            QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));
            const QString url = urlWithPassword((*target)->url());
            const int first = migrate({m_source, url, "--batch-rows", "700"},
                                      [&](qint64 rows) { return rows >= killAt; });
            // The kill landed during the load and left a part of the rows behind.
            QCOMPARE(first, -9);
            const qint64 partial = targetRows((*target)->url());
            QVERIFY2(
                partial > 0 && partial < m_sourceRows,
                qPrintable(QStringLiteral("kill at %1 left %2 rows").arg(killAt).arg(partial)));
            const int resumed = migrate({m_source, url, "--resume"});
            QVERIFY2(
                resumed == 0,
                qPrintable(QStringLiteral("kill at %1: resume exit %2").arg(killAt).arg(resumed)));
            const CliResult diff = runCtxdb({"diff", m_source, url});
            QVERIFY2(diff.exitCode == 0, diff.out.right(2000).constData());
            QVERIFY(noDuplicates((*target)->url()));
        }
    }

    // Killed after the load: while the indexes of versions 4 and 5 are built, their
    // scripts applied, sequences reset and ANALYZE run. --resume finishes every time,
    // with the same schema as an uninterrupted migration, and the diff says equal.
    void killNineWhileFinishingThenResume() {
        auto reference = ScratchDatabase::create(Engine::Postgres, "finref");
        QVERIFY(reference);
        QCOMPARE(migrate({m_source, urlWithPassword((*reference)->url())}), 0);
        const QString schemaSql = QStringLiteral(
            "SELECT string_agg(indexdef, ';' ORDER BY indexdef) FROM pg_indexes WHERE "
            "schemaname = 'public'");
        auto refConn = Connection::open((*reference)->url());
        QVERIFY(refConn);
        const QString expectedIndexes = (*refConn)->scalar(schemaSql)->toString();
        int killed = 0;
        for (int delayMs : {0, 100, 300, 700, 1200, 2000}) {
            auto target = ScratchDatabase::create(Engine::Postgres, "finkill");
            QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));
            const QString url = urlWithPassword((*target)->url());
            const int first = migrateKilledInPhase({m_source, url}, "indexes", delayMs);
            QVERIFY2(first == -9 || first == 0, qPrintable(QString::number(first)));
            if (first == -9) {
                ++killed;
                QByteArray why;
                const int resumed = migrate({m_source, url, "--resume"}, {}, &why);
                QVERIFY2(resumed == 0, qPrintable(QStringLiteral("killed %1 ms into the finish: "
                                                                 "resume exit %2: %3")
                                                      .arg(delayMs)
                                                      .arg(resumed)
                                                      .arg(QString::fromUtf8(why.trimmed()))));
            }
            auto conn = Connection::open((*target)->url());
            QVERIFY(conn);
            QCOMPARE((*conn)->scalar(schemaSql)->toString(), expectedIndexes);
            const CliResult diff = runCtxdb({"diff", m_source, url});
            QVERIFY2(diff.exitCode == 0, diff.out.right(2000).constData());
            QVERIFY(noDuplicates((*target)->url()));
        }
        QVERIFY2(killed >= 3, "most kills must land before the migration finished");
    }

    void serverStoppedThenStartedIsResumable() {
        PrivateCluster cluster;
        QVERIFY(cluster.start("stop"));
        const QString url = urlWithPassword(cluster.url());
        bool halted = false;
        QByteArray err;
        const int rc = migrate(
            {m_source, url, "--batch-rows", "500"},
            [&](qint64 rows) {
                if (!halted && rows > 2000)
                    halted = cluster.control("halt");
                return false;
            },
            &err);
        QVERIFY(halted);
        QCOMPARE(rc, 1);
        const QList<QByteArray> lines = err.trimmed().split('\n');
        QVERIFY2(lines.last().startsWith("ctxdb: "), err.right(500).constData());
        QVERIFY2(lines.last().contains("--resume"), lines.last().constData());
        QVERIFY(!err.contains(cluster.url().password().toUtf8()));
        QVERIFY(cluster.control("restart"));
        QCOMPARE(migrate({m_source, url, "--resume"}), 0);
        QCOMPARE(runCtxdb({"diff", m_source, url}).exitCode, 0);
        QVERIFY(noDuplicates(cluster.url()));
    }

    void diskFullIsClearAndResumable() {
        PrivateCluster cluster;
        QVERIFY(cluster.start("full"));
        const QString space = cluster.dir() + "-tablespace";
        QVERIFY(QDir().mkpath(space));
        QCOMPARE(QProcess::execute("mount", {"-t", "tmpfs", "-o", "size=6m", "tmpfs", space}), 0);
        auto unmount = qScopeGuard([&] {
            cluster.control("halt");
            QProcess::execute("umount", {space});
            QDir(space).removeRecursively();
        });
        QCOMPARE(QProcess::execute("chown", {"--reference=" + cluster.dir() + "/data", space}), 0);
        ConnectionOptions w;
        w.readOnly = false;
        {
            auto admin = Connection::open(cluster.adminUrl(), w);
            QVERIFY(admin);
            QVERIFY(
                (*admin)->exec(QStringLiteral("CREATE TABLESPACE tiny LOCATION '%1'").arg(space)));
            QVERIFY((*admin)->exec(QStringLiteral("CREATE DATABASE fulltarget TABLESPACE tiny "
                                                  "OWNER %1")
                                       .arg(cluster.url().user())));
        }
        const DatabaseUrl target = cluster.url().withDatabase("fulltarget");
        const QString url = urlWithPassword(target);
        const CliResult full = runCtxdb({"migrate", m_source, url});
        QCOMPARE(full.exitCode, 1);
        const QString err = QString::fromUtf8(full.err).trimmed().split('\n').last();
        QVERIFY2(err.contains("space", Qt::CaseInsensitive), qPrintable(err));
        QVERIFY2(err.contains("--resume"), qPrintable(err));
        QCOMPARE(QProcess::execute("mount", {"-o", "remount,size=512m", space}), 0);
        QCOMPARE(migrate({m_source, url, "--resume"}), 0);
        QCOMPARE(runCtxdb({"diff", m_source, url}).exitCode, 0);
        QVERIFY(noDuplicates(target));
    }

    // A server has the file open (its -wal and -shm exist) when the migration starts:
    // the migration reads through the server's -shm, in one read transaction, and rows
    // the server commits meanwhile are not part of it.
    void writerOnALiveSourceDoesNotChangeTheSnapshot() {
        const QString source = m_dir.filePath("busy.db");
        QVERIFY(QFile::copy(m_source, source));
        auto server = openWritableSqlite(source); // the running server's connection
        QVERIFY(server);
        QVERIFY((*server)->exec(QStringLiteral("PRAGMA journal_mode = WAL")));
        QVERIFY((*server)->exec(QStringLiteral("SELECT count(*) FROM sessions")));
        QVERIFY(QFileInfo::exists(source + "-shm"));
        auto target = ScratchDatabase::create(Engine::Postgres, "snapshot");
        QVERIFY(target);
        const QString url = urlWithPassword((*target)->url());
        bool wrote = false;
        const int rc = migrate({source, url, "--batch-rows", "500"}, [&](qint64) {
            if (!wrote) {
                QStringList inserts;
                for (int i = 0; i < 300; ++i)
                    inserts << QStringLiteral("INSERT INTO messages (session_id, sender, content) "
                                              "SELECT id, 'late', 'written during migration' "
                                              "FROM sessions LIMIT 1");
                wrote = bool(execSql(source, inserts));
            }
            return false;
        });
        QVERIFY(wrote);
        QCOMPARE(rc, 0);
        auto conn = Connection::open((*target)->url());
        QVERIFY(conn);
        QCOMPARE((*conn)->scalar("SELECT count(*) FROM messages")->toLongLong(), 20000);
        QCOMPARE((*conn)->scalar("SELECT count(*) FROM messages WHERE sender = 'late'")->toInt(),
                 0);
    }

    // No server had the file open (no -shm): it is read without one, and a server that
    // starts writing it during the migration could checkpoint pages under the reader.
    // The migration stops in one line and does not mark the target complete; --resume
    // sees a changed file and refuses; --replace carries it as it is now, diff equal.
    void writerStartingOnAQuietSourceStopsTheMigration() {
        const QString source = m_dir.filePath("quiet.db");
        QVERIFY(QFile::copy(m_source, source));
        QVERIFY(!QFileInfo::exists(source + "-shm"));
        auto target = ScratchDatabase::create(Engine::Postgres, "quiet");
        QVERIFY(target);
        const QString url = urlWithPassword((*target)->url());
        bool wrote = false;
        QByteArray errors;
        const int rc = migrate(
            {source, url, "--batch-rows", "500"},
            [&](qint64) {
                if (!wrote) {
                    QStringList inserts;
                    for (int i = 0; i < 300; ++i)
                        inserts << QStringLiteral(
                            "INSERT INTO messages (session_id, sender, content) SELECT id, "
                            "'late', 'written during migration' FROM sessions LIMIT 1");
                    wrote = bool(execSql(source, inserts));
                }
                return false;
            },
            &errors);
        QVERIFY(wrote);
        QCOMPARE(rc, 1);
        const QString err = QString::fromUtf8(errors).trimmed().split('\n').last();
        QVERIFY2(err.contains("changed") && err.contains("not marked complete"), qPrintable(err));
        auto conn = Connection::open((*target)->url());
        QVERIFY(conn);
        // The file has more rows than the run began with: --resume is refused in one
        // line that says to start over; --replace then carries the file as it is now.
        QByteArray resumeErrors;
        QCOMPARE(migrate({source, url, "--resume"}, {}, &resumeErrors), 1);
        QVERIFY2(resumeErrors.contains("--replace"), resumeErrors.constData());
        QCOMPARE(migrate({source, url, "--replace"}), 0);
        QCOMPARE((*conn)->scalar("SELECT count(*) FROM messages")->toLongLong(), 20300);
        QCOMPARE(runCtxdb({"diff", source, url}).exitCode, 0);
        QVERIFY(noDuplicates((*target)->url()));
    }

    void secondMigratorIsRefused() {
        auto target = ScratchDatabase::create(Engine::Postgres, "second");
        QVERIFY(target);
        const QString url = urlWithPassword((*target)->url());
        CliResult second;
        const int first = migrate({m_source, url, "--batch-rows", "300"}, [&](qint64) {
            if (second.exitCode == -1)
                second = runCtxdb({"migrate", m_source, url});
            return false;
        });
        QCOMPARE(first, 0);
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains("another"), second.err.constData());
        QCOMPARE(runCtxdb({"diff", m_source, url}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestMigrateFaults)
#include "tst_migrate_faults.moc"
