// A migration killed while the server still runs its statements. PostgreSQL finishes a
// statement whose client died unless it looks for the client, so the index builds and
// the finishing transaction of a killed `ctxdb migrate` could outlive it, holding the migration
// lock or building the same index beside the next run. A --resume started at once finishes, with
// the schema of an uninterrupted migration and the diff equal.
#include "core/legacy/DemoWriter.h"
#include "support/CliRunner.h"
#include "support/TestDatabases.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <limits>
#include <thread>

using namespace ctx;
using namespace ctx::test;

namespace {

// Holds a table lock in a transaction on a thread of its own, as another client of the
// server would, until released.
class TableLockHolder {
public:
    TableLockHolder(const DatabaseUrl& url, const QString& lockSql)
        : m_thread([this, url, lockSql] { hold(url, lockSql); }) {
        while (m_state == State::Starting)
            QThread::msleep(10);
    }
    ~TableLockHolder() {
        m_releaseAt = 0;
        m_thread.join();
    }
    bool holding() const { return m_state == State::Holding; }
    qint64 serverPid() const { return m_pid; }
    void releaseAfter(int ms) { m_releaseAt = QDateTime::currentMSecsSinceEpoch() + ms; }

private:
    enum class State { Starting, Holding, Failed };
    void hold(const DatabaseUrl& url, const QString& lockSql) {
        ConnectionOptions co;
        co.readOnly = false;
        auto conn = Connection::open(url, co);
        if (!conn || !(*conn)->begin() || !(*conn)->exec(lockSql)) {
            m_state = State::Failed;
            return;
        }
        if (auto pid = (*conn)->scalar(QStringLiteral("SELECT pg_backend_pid()")))
            m_pid = pid->toLongLong();
        m_state = State::Holding;
        while (QDateTime::currentMSecsSinceEpoch() < m_releaseAt)
            QThread::msleep(20);
        (void)(*conn)->commit();
    }
    std::atomic<State> m_state{State::Starting};
    std::atomic<qint64> m_releaseAt{std::numeric_limits<qint64>::max()};
    std::atomic<qint64> m_pid{0};
    std::thread m_thread;
};

const QString kIndexes =
    QStringLiteral("SELECT string_agg(indexdef, ';' ORDER BY indexdef) FROM pg_indexes WHERE "
                   "schemaname = 'public'");

} // namespace

class TestMigrateOrphans : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_source;
    QString m_expectedIndexes;

    // Server sessions of ctxdb migrate waiting for the lock `holder` holds (not for one
    // another: those waits pass by themselves).
    static qint64 blockedSessions(const Connection& conn, qint64 holder) {
        auto n =
            conn.scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname "
                                       "= current_database() AND application_name LIKE "
                                       "'ctxdb migrate%' AND ?::int = ANY(pg_blocking_pids(pid))"),
                        {holder});
        return n ? n->toLongLong() : -1;
    }

private Q_SLOTS:
    void initTestCase() {
        m_source = m_dir.filePath("legacy.db");
        DemoOptions o;
        o.path = m_source;
        o.messages = 20000;
        o.seed = 5;
        QVERIFY(DemoWriter::write(o));
        auto reference = ScratchDatabase::create(Engine::Postgres, "orphref");
        QVERIFY(reference);
        QCOMPARE(runCtxdb({"migrate", m_source, urlWithPassword((*reference)->url())}).exitCode, 0);
        auto conn = (*reference)->connect();
        QVERIFY(conn);
        m_expectedIndexes = (*conn)->scalar(kIndexes)->toString();
    }

    void killedWhileItsStatementsWaitThenResumedAtOnce_data() {
        QTest::addColumn<QString>("lockSql");
        // Index builds (SHARE) wait behind a writer's lock on messages. The finishing
        // transaction, on the session that holds the migration lock, waits to drop the
        // progress table (ACCESS EXCLUSIVE) once every index is built.
        QTest::newRow("index builds") << "LOCK TABLE messages IN ROW EXCLUSIVE MODE";
        QTest::newRow("finishing transaction")
            << "LOCK TABLE ctx_transfer_progress IN SHARE UPDATE EXCLUSIVE MODE";
    }

    void killedWhileItsStatementsWaitThenResumedAtOnce() {
        QFETCH(QString, lockSql);
        auto target = ScratchDatabase::create(Engine::Postgres, "orphan");
        QVERIFY(target);
        const QString url = urlWithPassword((*target)->url());
        auto observer = (*target)->connect();
        QVERIFY(observer);
        // A first run killed while loading leaves the tables to lock.
        const int loading = runCtxdbKilledWhen(
            {"migrate", m_source, url, "--json", "--batch-rows", "700"},
            [](const QByteArray& out) { return out.contains("\"rows_done\""); }, 5);
        QCOMPARE(loading, -9);
        TableLockHolder holder((*target)->url(), lockSql);
        QVERIFY(holder.holding());
        const qint64 holderPid = holder.serverPid();
        QVERIFY(holderPid > 0);
        // The resume is killed while the server runs its statements, blocked.
        const int blocked = runCtxdbKilledWhen(
            {"migrate", m_source, url, "--resume", "--json"},
            [&](const QByteArray&) { return blockedSessions(**observer, holderPid) > 0; }, 50);
        QCOMPARE(blocked, -9);
        QVERIFY(blockedSessions(**observer, holderPid) > 0); // the killed run's live on
        // At once: the holder lets go while the next run starts.
        holder.releaseAfter(1500);
        QByteArray err;
        const int resumed = runCtxdbKilledWhen(
            {"migrate", m_source, url, "--resume"}, [](const QByteArray&) { return false; }, 200,
            &err);
        QVERIFY2(resumed == 0, err.constData());
        QCOMPARE((*observer)->scalar(kIndexes)->toString(), m_expectedIndexes);
        const CliResult diff = runCtxdb({"diff", m_source, url});
        QVERIFY2(diff.exitCode == 0, diff.out.right(2000).constData());
    }
};

QTEST_GUILESS_MAIN(TestMigrateOrphans)
#include "tst_migrate_orphans.moc"
