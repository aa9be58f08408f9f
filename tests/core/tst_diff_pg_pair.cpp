// ctxdb diff between two PostgreSQL databases: a load compared with a second load of
// the same file is equal; a changed row and a sequence behind max(id) are found.
#include "core/compare/DiffJob.h"
#include "support/DiffLoader.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestDiffPostgres : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ScratchDatabase> m_a, m_b;

    Result<DiffReport> diff() {
        DiffOptions o;
        o.a = m_a->url();
        o.b = m_b->url();
        o.chunkRows = 2;
        o.sampleRows = 3;
        DiffJob job(o);
        return job.run();
    }
    void execB(const QString& sql) {
        // Replica mode (to plant rows the constraints refuse) is the superuser's.
        const Status r = execAsReplica(m_b->url(), sql);
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().oneLine()));
    }

private Q_SLOTS:
    void init() {
        const QString file =
            m_dir.filePath(QString::number(QRandomGenerator::global()->generate()) + "legacy.db");
        QFile::remove(file);
        QVERIFY(writeLegacyFile(file, LegacyVersion::V3a).has_value());
        for (auto* db : {&m_a, &m_b}) {
            auto s = ScratchDatabase::create(Engine::Postgres, "diffpg");
            QVERIFY2(s.has_value(), s ? "" : qPrintable(s.error().oneLine()));
            *db = std::move(*s);
            auto ok = loadIntoPostgres(file, (*db)->url());
            QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().oneLine()));
        }
    }
    void cleanup() {
        m_a.reset();
        m_b.reset();
    }

    void twoLoadsAreIdentical() {
        auto r = diff();
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().oneLine()));
        QVERIFY(r->equal());
        for (const TableDiff& t : r->tables) {
            QCOMPARE(t.identical, t.aRows);
            QCOMPARE(t.aRows, t.bRows);
        }
    }

    void changedRowIsFound() {
        execB("UPDATE agent_memory SET value = 'other' WHERE id = 2");
        auto r = diff();
        QVERIFY(r.has_value());
        QCOMPARE(r->unexplainedRows(), 1);
        for (const TableDiff& t : r->tables)
            if (t.name == "agent_memory")
                QCOMPARE(t.columnDifferences.value("value"), 1);
    }

    void sequenceBehindMaxIdIsFound() {
        execB("SELECT setval(pg_get_serial_sequence('messages', 'id'), 3)");
        auto r = diff();
        QVERIFY(r.has_value());
        QVERIFY(!r->equal());
        QCOMPARE(r->unexplainedRows(), 0);
        QCOMPARE(r->schemaDifferences(), 1);
        bool found = false;
        for (const SchemaFinding& f : r->schema)
            if (f.level == SchemaFinding::Level::Difference)
                found = f.table == "messages" && f.text.contains("next value 4") &&
                        f.text.contains("max(id) is 6");
        QVERIFY(found);
    }
};

QTEST_GUILESS_MAIN(TestDiffPostgres)
#include "tst_diff_pg_pair.moc"
