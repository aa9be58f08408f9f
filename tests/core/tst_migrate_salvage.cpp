// A damaged source (corrupt pages, quick_check fails): migrate refuses it before writing
// anything; --salvage carries exactly the rows a careful per-rowid read can read and
// records each unreadable rowid range once; the assessment says how much is readable.
#include "core/assess/Assessor.h"
#include "core/compare/DiffJob.h"
#include "core/legacy/DemoWriter.h"
#include "core/transfer/Migrator.h"
#include "core/transfer/SalvageReader.h"
#include "support/BrokenFiles.h"
#include "support/LegacyFixtures.h"
#include "support/MigrateAndDiff.h"
#include "support/TestDatabases.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <sqlite3.h>

using namespace ctx;
using namespace ctx::test;

namespace {

#define CTX_VERIFY_OK(r)                                                                           \
    QVERIFY2((r).has_value(), (r).has_value() ? "" : qPrintable((r).error().oneLine()))

QStringList rangesOf(const SalvageTable& t) {
    QStringList keys;
    for (const UnreadableRange& r : t.unreadable)
        keys << r.rowKey();
    return keys;
}

} // namespace

class TestMigrateSalvage : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_good, m_damaged;
    QHash<QString, CarefulRead> m_expected;
    const QStringList m_tables{"sessions", "messages", "agent_memory", "audit_log",
                               "secure_tokens"};

    static std::unique_ptr<ScratchDatabase> scratch(const QString& tag) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine())); // no server: FAIL, never skip
        return std::move(*db);
    }
    static QStringList column(const Connection& c, const QString& sql) {
        QStringList values;
        auto q = c.exec(sql);
        if (!q)
            return {QStringLiteral("<error: %1>").arg(q.error().oneLine())};
        while (q->next())
            values << q->value(0).toString();
        return values;
    }
    qint64 expectedRanges() const {
        qint64 n = 0;
        for (const CarefulRead& r : m_expected)
            n += r.ranges.size();
        return n;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_good = m_dir.filePath("good.db");
        m_damaged = m_dir.filePath("damaged.db");
        DemoOptions o;
        o.path = m_good;
        o.messages = 3000;
        o.seed = 17;
        QVERIFY(DemoWriter::write(o).has_value());
        QVERIFY(QFile::copy(m_good, m_damaged));
        // messages: its first leaf (a range open at the start), two adjacent leaves (one
        // range), two leaves around a readable one (an island of one page) and a lone leaf;
        // sessions: its only page (the whole table); agent_memory: its last leaf (a range
        // open at the end).
        const QList<int> messages = tableLeafPages(m_good, "messages");
        const QList<int> sessions = tableLeafPages(m_good, "sessions");
        const QList<int> memory = tableLeafPages(m_good, "agent_memory");
        QVERIFY2(messages.size() > 30 && sessions.size() == 1 && memory.size() > 1,
                 qPrintable(QStringLiteral("leaves: %1 messages, %2 sessions, %3 memory")
                                .arg(messages.size())
                                .arg(sessions.size())
                                .arg(memory.size())));
        QVERIFY(
            corruptPages(m_damaged, {messages[0], messages[3], messages[4], messages[10],
                                     messages[12], messages[20], sessions.first(), memory.last()}));
        for (const QString& t : m_tables)
            m_expected.insert(t, carefulRead(rowidsOf(m_good, t), m_damaged, t));
        QCOMPARE(m_expected["messages"].ranges.size(), 5);
        QVERIFY(m_expected["messages"].ranges.first().startsWith("rowid .."));
        QCOMPARE(m_expected["sessions"].ranges, QStringList{"rowid .."});
        QVERIFY(m_expected["sessions"].readable.isEmpty());
        QVERIFY(m_expected["agent_memory"].ranges.first().endsWith(".."));
        QVERIFY(m_expected["audit_log"].ranges.isEmpty());
        for (const QString& t : m_tables)
            qInfo("%s: %lld readable, %lld unreadable rows in %s", qPrintable(t),
                  qint64(m_expected[t].readable.size()), m_expected[t].unreadableRows,
                  qPrintable(m_expected[t].ranges.join(", ")));
    }

    void readerCarriesWhatACarefulReadCan() {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open_v2(QFile::encodeName(m_damaged).constData(), &db,
                                 SQLITE_OPEN_READONLY, nullptr),
                 SQLITE_OK);
        for (const QString& table : m_tables) {
            QList<qint64> seen;
            auto t = SalvageReader::read(db, table, [&](sqlite3_stmt* row) -> Status {
                seen << sqlite3_column_int64(row, 0);
                return {};
            });
            CTX_VERIFY_OK(t);
            QCOMPARE(seen, m_expected[table].readable);
            QCOMPARE(t->readableRows, qint64(m_expected[table].readable.size()));
            QCOMPARE(rangesOf(*t), m_expected[table].ranges);
            for (const UnreadableRange& r : t->unreadable)
                QVERIFY2(r.error.contains("malformed"), qPrintable(r.error));
        }
        sqlite3_close_v2(db);
    }

    void sparseRowidsAreProbedInSteps() {
        // Rowids 1000 apart: a damaged span is wider than the rowid-by-rowid probes, the
        // next readable row is found by doubling steps and a bisection, still exactly.
        const QString path = m_dir.filePath("sparse.db");
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db,
                              "CREATE TABLE t (v); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                              "SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO t (rowid, v) "
                              "SELECT i * 1000, randomblob(200) FROM n",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_close_v2(db);
        const QList<qint64> original = rowidsOf(path, "t");
        const QList<int> leaves = tableLeafPages(path, "t");
        QVERIFY(leaves.size() > 80);
        QList<int> damaged{leaves[5], leaves[7]};
        for (int i = 50; i <= 60; ++i)
            damaged << leaves[i];
        damaged << leaves.last();
        QVERIFY(corruptPages(path, damaged));
        const CarefulRead expected = carefulRead(original, path, "t");
        QCOMPARE(expected.ranges.size(), 4);
        QVERIFY(expected.unreadableRows > 11 * 10);
        QCOMPARE(sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY,
                                 nullptr),
                 SQLITE_OK);
        QList<qint64> seen;
        auto t = SalvageReader::read(db, "t", [&](sqlite3_stmt* row) -> Status {
            seen << sqlite3_column_int64(row, 0);
            return {};
        });
        sqlite3_close_v2(db);
        CTX_VERIFY_OK(t);
        QCOMPARE(seen, expected.readable);
        QCOMPARE(rangesOf(*t), expected.ranges);
    }

    void refusedWithoutSalvage() {
        const FileFingerprint before = FileFingerprint::of(m_damaged);
        auto db = scratch("salvage_refused");
        MigrateOptions o;
        o.sourcePath = m_damaged;
        o.target = db->url();
        auto r = Migrator::run(o);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Corrupt);
        QVERIFY2(r.error().message.contains("damaged (quick_check: ") &&
                     r.error().message.contains("--salvage"),
                 qPrintable(r.error().oneLine()));
        auto conn = db->connect();
        CTX_VERIFY_OK(conn);
        QCOMPARE(column(**conn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
                 QStringList{"0"});
        QVERIFY(FileFingerprint::of(m_damaged) == before);
    }

    void salvageCarriesEveryReadableRow() {
        const FileFingerprint before = FileFingerprint::of(m_damaged);
        auto db = scratch("salvage");
        MigrateOptions o;
        o.sourcePath = m_damaged;
        o.target = db->url();
        o.salvage = true;
        o.jobs = 2;
        o.limits.rows = 200;
        // Stopped after two batches, then resumed: the ranges are recorded once.
        auto stopped = migrationStoppedAfter(o, 2);
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
        o.resume = true;
        auto r = Migrator::run(o);
        CTX_VERIFY_OK(r);
        QVERIFY(r->ok);
        QVERIFY(r->salvaged);
        QCOMPARE(r->unreadableRanges, expectedRanges());
        QCOMPARE(r->rejectsByReason.value("unreadable_range"), expectedRanges());
        auto conn = db->connect();
        CTX_VERIFY_OK(conn);
        const Connection& c = **conn;
        // messages: exactly the readable ids (id is the rowid).
        QStringList ids;
        for (qint64 id : m_expected["messages"].readable)
            ids << QString::number(id);
        QCOMPARE(column(c, "SELECT id FROM messages ORDER BY id"), ids);
        for (const TableSummary& t : r->tables) {
            QCOMPARE(t.sourceRows, qint64(m_expected[t.name].readable.size()));
            QCOMPARE(t.unreadableRanges, qint64(m_expected[t.name].ranges.size()));
            QVERIFY(t.ok());
            QStringList keys = column(c, QStringLiteral("SELECT row_key FROM "
                                                        "ctx_migration_rejects WHERE reason = "
                                                        "'unreadable_range' AND table_name = "
                                                        "'%1' ORDER BY id")
                                             .arg(t.name));
            QCOMPARE(keys, m_expected[t.name].ranges);
        }
        QCOMPARE(column(c,
                        "SELECT count(*) FROM ctx_migration_rejects WHERE reason = "
                        "'unreadable_range' AND (column_name IS NOT NULL OR original IS NOT "
                        "NULL OR action NOT LIKE 'not migrated: SQLite cannot read%malformed%')"),
                 QStringList{"0"});
        // sessions: the readable ones, and a placeholder for each session id that readable
        // rows refer to and no readable session has.
        QCOMPARE(column(c, "SELECT count(*) FROM sessions").value(0).toLongLong(),
                 m_expected["sessions"].readable.size() + r->recoveredSessions);
        QVERIFY(r->recoveredSessions > 0);
        QVERIFY(FileFingerprint::of(m_damaged) == before);
        // The diff reads the damaged source's readable rows: equal, the ranges noted; a
        // range the migration did not record is a difference.
        DiffOptions d;
        d.a = DatabaseUrl::sqliteFile(m_damaged);
        d.b = db->url();
        auto diff = DiffJob(d).run();
        CTX_VERIFY_OK(diff);
        QVERIFY2(diff->equal(), qPrintable(QString::number(diff->unexplainedRows())));
        bool noted = false;
        for (const SchemaFinding& f : diff->schema)
            noted = noted || f.text.contains(QStringLiteral("%1 rowid range(s) SQLite cannot "
                                                            "read are not (the migration "
                                                            "recorded %1)")
                                                 .arg(expectedRanges()));
        QVERIFY(noted);
        QVERIFY(c.exec("DELETE FROM ctx_migration_rejects WHERE id = (SELECT min(id) FROM "
                       "ctx_migration_rejects WHERE reason = 'unreadable_range')")
                    .has_value());
        auto unrecorded = DiffJob(d).run();
        CTX_VERIFY_OK(unrecorded);
        QVERIFY(!unrecorded->equal());
        QCOMPARE(unrecorded->schemaDifferences(), 1);
        QVERIFY(FileFingerprint::of(m_damaged) == before);
        // Finished: --resume has nothing left to do.
        auto again = Migrator::run(o);
        CTX_VERIFY_OK(again);
        QVERIFY(again->alreadyComplete && again->ok);
        QCOMPARE(column(c, "SELECT count(*) FROM ctx_migration_rejects WHERE reason = "
                           "'unreadable_range'"),
                 QStringList{QString::number(expectedRanges() - 1)});
    }

    void salvageWithoutDamageIsAPlainMigration() {
        auto db = scratch("salvage_sound");
        MigrateOptions o;
        o.sourcePath = m_good;
        o.target = db->url();
        o.salvage = true;
        auto r = Migrator::run(o);
        CTX_VERIFY_OK(r);
        QVERIFY(r->ok);
        QVERIFY(!r->salvaged);
        QCOMPARE(r->unreadableRanges, 0);
        QCOMPARE(r->rejectsByReason.value("unreadable_range"), 0);
        for (const TableSummary& t : r->tables)
            QCOMPARE(t.sourceRows, qint64(rowidsOf(m_good, t.name).size()));
    }

    void assessmentSaysHowMuchIsReadable() {
        const FileFingerprint before = FileFingerprint::of(m_damaged);
        auto r = Assessor::run({m_damaged, true, {}, nullptr});
        CTX_VERIFY_OK(r);
        QVERIFY(!r->quickCheckOk());
        QVERIFY(r->salvaged);
        for (const TableAssessment& t : r->tables) {
            if (!t.present)
                continue;
            QCOMPARE(t.rows, qint64(m_expected[t.name].readable.size()));
            QStringList keys;
            for (const UnreadableRange& u : t.unreadable)
                keys << u.rowKey();
            QCOMPARE(keys, m_expected[t.name].ranges);
        }
        QVERIFY(FileFingerprint::of(m_damaged) == before);
        auto sound = Assessor::run({m_good, true, {}, nullptr});
        CTX_VERIFY_OK(sound);
        QVERIFY(!sound->salvaged);
        for (const TableAssessment& t : sound->tables)
            QVERIFY(t.unreadable.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMigrateSalvage)
#include "tst_migrate_salvage.moc"
