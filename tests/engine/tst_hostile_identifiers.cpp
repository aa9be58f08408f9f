// Identifiers from a database are quoted by the dialect, never spliced raw: a table
// whose name and columns hold quotes, spaces and semicolons (names that would drop the
// sessions table if spliced) is listed by the schema browser and compared row by row by
// the diff, on SQLite and on PostgreSQL, and nothing else is touched.
#include "core/compare/DiffJob.h"
#include "core/inspect/SchemaBrowser.h"
#include "support/DiffLoader.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QtTest>

using namespace ctx;
using namespace ctx::test;

namespace {

const QString kTable = QStringLiteral("we\"ird; DROP TABLE sessions; --");
const QString kKey = QStringLiteral("k'ey \"col\"");
const QString kValue = QStringLiteral("va\"l; DELETE FROM messages; x");
const QString kSpace = QStringLiteral("sp ace");

QString q(const QString& name) {
    return Dialect::quoteIdentifier(name);
}

QString createTable(Engine engine) {
    return QStringLiteral("CREATE TABLE %1 (%2 %5 PRIMARY KEY, %3 TEXT, %4 INTEGER)")
        .arg(q(kTable), q(kKey), q(kValue), q(kSpace),
             engine == Engine::Postgres ? QStringLiteral("VARCHAR(64)") : QStringLiteral("TEXT"));
}

Status fillTable(const Connection& conn) {
    if (auto ok = conn.exec(createTable(conn.engine())); !ok)
        return toStatus(ok);
    const QString insert = QStringLiteral("INSERT INTO %1 (%2, %3, %4) VALUES (?, ?, ?)")
                               .arg(q(kTable), q(kKey), q(kValue), q(kSpace));
    for (int i = 0; i < 7; ++i) {
        const QVariantList row{QStringLiteral("key'%1\"; --").arg(i),
                               QStringLiteral("value \"%1\"; DROP TABLE messages;").arg(i), i};
        if (auto ok = conn.exec(insert, row); !ok)
            return toStatus(ok);
    }
    return {};
}

} // namespace

class TestHostileIdentifiers : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_a;
    std::unique_ptr<ScratchDatabase> m_b;

    Result<DiffReport> diff(const QString& onlyTable = {}) {
        DiffOptions o;
        o.a = DatabaseUrl::sqliteFile(m_a);
        o.b = m_b->url();
        o.table = onlyTable;
        o.chunkRows = 2;
        o.sampleRows = 5;
        DiffJob job(o);
        return job.run();
    }
    static const TableDiff* find(const DiffReport& r, const QString& name) {
        for (const TableDiff& t : r.tables)
            if (t.name == name)
                return &t;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_a = m_dir.filePath("legacy.db");
        QVERIFY(writeLegacyFile(m_a, LegacyVersion::V3b).has_value());
        ConnectionOptions writable;
        writable.readOnly = false;
        auto a = Connection::open(DatabaseUrl::sqliteFile(m_a), writable);
        QVERIFY2(a.has_value(), a ? "" : qPrintable(a.error().oneLine()));
        auto ok = fillTable(**a);
        QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().oneLine()));
    }

    void init() {
        auto b = ScratchDatabase::create(engineUnderTest(), "hostileid");
        QVERIFY2(b.has_value(), b ? "" : qPrintable(b.error().oneLine()));
        m_b = std::move(*b);
        if (engineUnderTest() == Engine::Postgres) {
            auto ok = loadIntoPostgres(m_a, m_b->url());
            QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().oneLine()));
            auto conn = m_b->connect();
            QVERIFY(conn.has_value());
            ok = fillTable(**conn);
            QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().oneLine()));
        } else {
            auto ok = copySqliteFile(m_a, m_b->url().filePath());
            QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().oneLine()));
        }
    }
    void cleanup() { m_b.reset(); }

    void schemaBrowserListsTheTableAndItsColumns() {
        auto conn = m_b->connect(true);
        QVERIFY(conn.has_value());
        auto overview = SchemaBrowser::read(**conn);
        QVERIFY2(overview.has_value(), overview ? "" : qPrintable(overview.error().oneLine()));
        const TableDescription* hostile = nullptr;
        for (const TableDescription& t : overview->tables)
            if (t.name == kTable)
                hostile = &t;
        QVERIFY2(hostile, "hostile table not listed");
        QStringList columns;
        for (const ColumnDescription& c : hostile->columns)
            columns << c.name;
        QCOMPARE(columns, (QStringList{kKey, kValue, kSpace}));
        QVERIFY(hostile->columns[0].primaryKey);
        QVERIFY(overview->completionWords().contains(kTable));
        QVERIFY((*conn)->tableExists(QStringLiteral("sessions")));
    }

    void diffComparesTheTableRowByRow() {
        auto equal = diff();
        QVERIFY2(equal.has_value(), equal ? "" : qPrintable(equal.error().oneLine()));
        const TableDiff* t = find(*equal, kTable);
        QVERIFY2(t, "hostile table not compared");
        QVERIFY2(t->skipped.isEmpty(), qPrintable(t->skipped));
        QCOMPARE(t->aRows, 7);
        QCOMPARE(t->bRows, 7);
        QCOMPARE(t->unexplained(), 0);

        auto conn = m_b->connect();
        QVERIFY(conn.has_value());
        auto changed = (*conn)->exec(
            QStringLiteral("UPDATE %1 SET %2 = ? WHERE %3 = ?").arg(q(kTable), q(kValue), q(kKey)),
            {QStringLiteral("changed'; --"), QStringLiteral("key'4\"; --")});
        QVERIFY2(changed.has_value(), changed ? "" : qPrintable(changed.error().oneLine()));
        auto different = diff(kTable);
        QVERIFY2(different.has_value(), different ? "" : qPrintable(different.error().oneLine()));
        QCOMPARE(different->tables.size(), 1);
        t = find(*different, kTable);
        QVERIFY(t);
        QCOMPARE(t->different, 1);
        QCOMPARE(t->columnDifferences.value(kValue), 1);
        QCOMPARE(t->samples.size(), 1);
        QVERIFY(!different->equal());
        QVERIFY((*conn)->tableExists(QStringLiteral("sessions")));
        QVERIFY((*conn)->tableExists(QStringLiteral("messages")));
        auto messages = (*conn)->scalar(QStringLiteral("SELECT COUNT(*) FROM messages"));
        QVERIFY(messages.has_value());
        QVERIFY(messages->toLongLong() > 0);
    }
};

QTEST_GUILESS_MAIN(TestHostileIdentifiers)
#include "tst_hostile_identifiers.moc"
