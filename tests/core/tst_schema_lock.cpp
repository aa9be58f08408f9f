// One lock for every writer of a PostgreSQL target's schema: `schema upgrade` (and the
// inspector's migrations view) and `migrate` refuse while the other runs.
#include "core/schema/MigrationLock.h"
#include "core/schema/SchemaMigrator.h"
#include "core/transfer/Migrator.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

// r must be a variable: the macro reads it more than once.
#define CTX_VERIFY_OK(r)                                                                           \
    QVERIFY2((r).has_value(), (r).has_value() ? "" : qPrintable((r).error().oneLine()))

class TestSchemaLock : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString legacyFile() {
        const QString path = m_dir.filePath(QStringLiteral("lock%1.db").arg(++m_files));
        const auto ok = writeLegacyFile(path, LegacyVersion::V3b);
        return ok ? path : QString();
    }
    int m_files = 0;

    static qint64 tables(const Connection& c) {
        auto n = c.scalar(QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = "
                                         "'public'"));
        return n ? n->toLongLong() : -1;
    }

private slots:
    void migrateRefusedWhileAnUpgradeHoldsTheLock() {
        auto db = ScratchDatabase::create(Engine::Postgres, QStringLiteral("lockup"));
        CTX_VERIFY_OK(db);
        auto upgrader = (*db)->connect();
        CTX_VERIFY_OK(upgrader);
        // What SchemaMigrator::applyPending holds; through a transaction pooler it is the
        // lock of the transaction.
        const bool pooled = (*upgrader)->throughPooler();
        QCOMPARE(pooled, qgetenv("CTX_TEST_PG_VIA") == "pooler");
        if (pooled) {
            const Status began = (*upgrader)->begin();
            CTX_VERIFY_OK(began);
        }
        MigrationLock lock(**upgrader);
        const Status locked = lock.acquire(1000);
        CTX_VERIFY_OK(locked);
        MigrateOptions o;
        o.sourcePath = legacyFile();
        QVERIFY(!o.sourcePath.isEmpty());
        o.target = (*db)->url();
        auto r = Migrator::run(o);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Locked);
        QCOMPARE(tables(**upgrader), 0); // refused before touching anything
        lock.release();
        if (pooled)
            (*upgrader)->rollback();
        auto again = Migrator::run(o);
        CTX_VERIFY_OK(again);
    }

    void upgradeRefusedWhileMigrateRuns() {
        auto db = ScratchDatabase::create(Engine::Postgres, QStringLiteral("lockmig"));
        CTX_VERIFY_OK(db);
        auto other = (*db)->connect();
        CTX_VERIFY_OK(other);
        MigrateOptions o;
        o.sourcePath = legacyFile();
        o.target = (*db)->url();
        o.limits.rows = 4;
        QStringList attempts;
        // At every phase after the tables exist, a schema upgrade on another connection
        // must be refused, not run between migrate's steps.
        o.onEvent = [&](const MigrateEvent& e) {
            if (e.type != MigrateEvent::Type::Phase || e.phase == QLatin1String("prepare") ||
                e.phase == QLatin1String("done"))
                return;
            UpgradeOptions u;
            u.lockTimeoutMs = 200;
            auto up = SchemaMigrator::applyPending(**other, u);
            attempts << e.phase + QLatin1Char('=') +
                            (up ? QStringLiteral("ran") : errorCodeName(up.error().code));
        };
        auto r = Migrator::run(o);
        CTX_VERIFY_OK(r);
        QVERIFY2(attempts.size() >= 3, qPrintable(attempts.join(QLatin1Char(' '))));
        for (const QString& a : attempts)
            QVERIFY2(a.endsWith(errorCodeName(ErrorCode::Locked)), qPrintable(a));
        // Released at the end: the upgrade now runs (nothing left to apply).
        auto after = SchemaMigrator::applyPending(**other, {});
        CTX_VERIFY_OK(after);
        QVERIFY(after->applied.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSchemaLock)
#include "tst_schema_lock.moc"
