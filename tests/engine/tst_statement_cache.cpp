// Connection's kept prepared statements (StatementCache) on the engine under test:
// the same values as exec() reads, reuse with new values, readings stopped early or
// nested, eviction while statements run, errors, and a schema change.
#include "tst_store_fixture.h"

#include "core/schema/MigrationCatalog.h"

#include <sqlite3.h>

using namespace ctx;
using namespace ctx::test;

class TestStatementCache : public QObject {
    Q_OBJECT

private:
    StoreFixture f;

    bool isSqlite() const { return f.conn->engine() == Engine::Sqlite; }

    QList<QVariantList> rows(const QString& sql, const QVariantList& binds, int columns) {
        QList<QVariantList> out;
        auto ok = f.conn->forEachRow(sql, binds, [&](const Row& row) {
            QVariantList values;
            for (int c = 0; c < columns; ++c)
                values << row.value(c);
            out << values;
            return true;
        });
        if (!ok)
            qWarning("%s", qPrintable(ok.error().oneLine()));
        return out;
    }

    // Column `column` of kinds becomes TEXT: PostgreSQL changes its type; SQLite, which
    // cannot, renames it away and adds a TEXT column of the same name (with `extra`).
    bool makeText(const Connection& on, const QString& column, const QString& extra = {}) {
        if (!isSqlite())
            return on
                .exec(QStringLiteral("ALTER TABLE kinds ALTER COLUMN %1 TYPE TEXT").arg(column))
                .has_value();
        return on.exec(QStringLiteral("ALTER TABLE kinds RENAME COLUMN %1 TO %1_old").arg(column))
                   .has_value() &&
               on.exec(QStringLiteral("ALTER TABLE kinds ADD COLUMN %1 TEXT%2").arg(column, extra))
                   .has_value();
    }

    // SQLite: no statement of the connection is still stepping (it would hold a read
    // transaction open behind the caller).
    bool noStatementRunning() const {
        sqlite3* db = f.conn->sqliteHandle();
        for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s; s = sqlite3_next_stmt(db, s))
            if (sqlite3_stmt_busy(s))
                return false;
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        const QString why = f.init(QStringLiteral("stmtcache"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        const QString blob = isSqlite() ? QStringLiteral("BLOB") : QStringLiteral("BYTEA");
        QVERIFY(f.conn
                    ->exec(QStringLiteral("CREATE TABLE kinds (id INTEGER PRIMARY KEY, i BIGINT, r "
                                          "DOUBLE PRECISION, s TEXT, b %1, n TEXT)")
                               .arg(blob))
                    .has_value());
    }

    // What a kept statement reads is what Qt's driver reads through exec().
    void valuesMatchExec() {
        const QString insert =
            QStringLiteral("INSERT INTO kinds (id, i, r, s, b, n) VALUES (?, ?, ?, ?, ?, ?)");
        QVERIFY(
            f.conn
                ->run(insert, {1, qint64(9007199254740993), 2.5, QStringLiteral("é ✓ \U0001F600"),
                               QByteArray("\x00\xff\x10", 3), QString()})
                .has_value());
        // Bool binds as an integer on SQLite; PostgreSQL refuses a boolean for BIGINT.
        const QVariant one = isSqlite() ? QVariant(true) : QVariant(qint64(1));
        QVERIFY(f.conn->run(insert, {2, one, -0.0, QString(""), QByteArray(""), QVariant()})
                    .has_value());
        const QString select = QStringLiteral("SELECT i, r, s, b, n FROM kinds WHERE id = ?");
        for (int id : {1, 2}) {
            auto q = f.conn->exec(select, {id});
            QVERIFY(q.has_value() && q->next());
            const QList<QVariantList> kept = rows(select, {id}, 5);
            QCOMPARE(kept.size(), 1);
            for (int c = 0; c < 5; ++c) {
                QCOMPARE(kept[0][c].typeId(), q->value(c).typeId());
                QCOMPARE(kept[0][c].isNull(), q->value(c).isNull());
                QCOMPARE(kept[0][c], q->value(c));
            }
        }
        // QString() binds NULL, QString("") an empty text
        QCOMPARE(f.count("kinds", "n IS NULL"), 2);
        QCOMPARE(f.count("kinds", "s = ''"), 1);
        // an invalid date or time binds NULL, as through Qt's drivers
        QVERIFY(f.conn->run(insert, {3, QVariant(), QVariant(), QDate(), QVariant(), QDateTime()})
                    .has_value());
        QCOMPARE(f.count("kinds", "id = 3 AND s IS NULL AND n IS NULL"), 1);
        QVERIFY(f.conn->run(QStringLiteral("DELETE FROM kinds WHERE id = ?"), {3}).has_value());
        auto none = f.conn->scalar(QStringLiteral("SELECT i FROM kinds WHERE id = ?"), {99});
        QVERIFY(none.has_value() && !none->isValid()); // no row: invalid
        auto null = f.conn->scalar(QStringLiteral("SELECT n FROM kinds WHERE id = ?"), {1});
        QVERIFY(null.has_value() && null->isValid() && null->isNull()); // a NULL: valid, null
    }

    void reusedWithNewValues() {
        const QString sql = QStringLiteral("SELECT count(*) FROM kinds WHERE id <= ?");
        for (int round = 0; round < 3; ++round) {
            QCOMPARE(f.conn->scalar(sql, {1})->toLongLong(), 1);
            QCOMPARE(f.conn->scalar(sql, {2})->toLongLong(), 2);
            QCOMPARE(f.conn->scalar(sql, {0})->toLongLong(), 0);
        }
    }

    void stoppedReadingIsReset() {
        int seen = 0;
        QVERIFY(f.conn
                    ->forEachRow(QStringLiteral("SELECT id FROM kinds WHERE id > ? ORDER BY id"),
                                 {0},
                                 [&](const Row&) {
                                     ++seen;
                                     return false;
                                 })
                    .has_value());
        QCOMPARE(seen, 1);
        if (isSqlite())
            QVERIFY(noStatementRunning());
        // The next reading of the same text starts over, with its own values.
        const QList<QVariantList> again =
            rows(QStringLiteral("SELECT id FROM kinds WHERE id > ? ORDER BY id"), {1}, 1);
        QCOMPARE(again.size(), 1);
        QCOMPARE(again[0][0].toLongLong(), 2);
    }

    // A reading inside a reading of the same text, and the eviction of kept statements
    // while both run: neither loses its place.
    void nestedAndEvictedWhileRunning() {
        const QString sql = QStringLiteral("SELECT id FROM kinds WHERE id >= ? ORDER BY id");
        QList<qint64> outer, inner;
        auto ok = f.conn->forEachRow(sql, {1}, [&](const Row& row) {
            outer << row.value(0).toLongLong();
            auto nested = f.conn->forEachRow(sql, {2}, [&](const Row& r) {
                inner << r.value(0).toLongLong();
                for (int k = 0; k < 80; ++k) // more texts than are kept
                    if (!f.conn->scalar(QStringLiteral("SELECT %1 + ?").arg(k), {1}))
                        return false;
                return true;
            });
            return nested.has_value();
        });
        QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().oneLine()));
        QCOMPARE(outer, (QList<qint64>{1, 2}));
        QCOMPARE(inner, (QList<qint64>{2, 2}));
        if (isSqlite())
            QVERIFY(noStatementRunning());
    }

    // Forgetting the kept statements from inside a reading: the reading goes on, and its
    // statement is finalized once it has ended (ASan would see a use after free).
    void forgetWhileReading() {
        const QString sql = QStringLiteral("SELECT id FROM kinds WHERE id >= ? ORDER BY id");
        QList<qint64> ids;
        auto ok = f.conn->forEachRow(sql, {1}, [&](const Row& row) {
            ids << row.value(0).toLongLong();
            f.conn->forgetStatements();
            return true;
        });
        QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().oneLine()));
        QCOMPARE(ids, (QList<qint64>{1, 2}));
        QCOMPARE(rows(sql, {2}, 1).size(), 1);
        if (isSqlite())
            QVERIFY(noStatementRunning());
    }

    void errorsNameTheReason() {
        auto bad = f.conn->scalar(QStringLiteral("SELEKT 1 WHERE 1 = ?"), {1});
        QVERIFY(!bad.has_value());
        QVERIFY2(bad.error().message.contains(QStringLiteral("syntax"), Qt::CaseInsensitive),
                 qPrintable(bad.error().message));
        QVERIFY(!f.conn->scalar(QStringLiteral("SELEKT 1 WHERE 1 = ?"), {1}).has_value());
        auto missing =
            f.conn->scalar(QStringLiteral("SELECT x FROM no_such_table WHERE id = ?"), {1});
        QVERIFY(!missing.has_value());
        QVERIFY(missing.error().message.contains(QStringLiteral("no_such_table")));
        auto dup = f.conn->run(QStringLiteral("INSERT INTO kinds (id) VALUES (?)"), {1});
        QVERIFY(!dup.has_value());
        QCOMPARE(dup.error().code, ErrorCode::Conflict);
        QCOMPARE(f.count("kinds"), 2); // nothing written
        auto count =
            f.conn->scalar(QStringLiteral("SELECT count(*) FROM kinds WHERE id = ?"), {1, 2});
        QVERIFY(!count.has_value()); // one value too many
        if (isSqlite()) {
            auto two = f.conn->scalar(QStringLiteral("SELECT ?; SELECT 2"), {1});
            QVERIFY(!two.has_value());
            QVERIFY(two.error().message.contains(QStringLiteral("one statement")));
        }
    }

    // Another connection changes a column's type under a kept statement: PostgreSQL
    // refuses the kept plan ("cached plan must not change result type") once; the
    // statement is then prepared anew.
    void failedStatementIsPreparedAnew() {
        const QString sql = QStringLiteral("SELECT i FROM kinds WHERE id = ?");
        QCOMPARE(f.conn->scalar(sql, {1})->toLongLong(), qint64(9007199254740993));
        auto other = f.db->connect(false);
        QVERIFY(other.has_value());
        QVERIFY(makeText(**other, QStringLiteral("i"), QStringLiteral(" DEFAULT 'x'")));
        other->reset();
        (void)f.conn->scalar(sql, {1}); // may fail once
        auto again = f.conn->scalar(sql, {1});
        QVERIFY2(again.has_value(), again ? "" : qPrintable(again.error().oneLine()));
        QCOMPARE(again->typeId(), QMetaType::QString);
    }

    // A column's type changes under a kept statement on the same connection: forgetting
    // the statements (as a schema upgrade does) spares even the one failure.
    void forgottenAfterSchemaChange() {
        const QString sql = QStringLiteral("SELECT r FROM kinds WHERE id = ?");
        QCOMPARE(f.conn->scalar(sql, {1})->toDouble(), 2.5);
        QVERIFY(makeText(*f.conn, QStringLiteral("r")));
        f.conn->forgetStatements();
        auto after = f.conn->scalar(sql, {1});
        QVERIFY2(after.has_value(), after ? "" : qPrintable(after.error().oneLine()));
        QCOMPARE(after->typeId(), QMetaType::QString);
    }

    // A schema upgrade on this connection forgets its kept statements: the first call
    // after it already sees the new column type (PostgreSQL would refuse the kept plan).
    // Last: it leaves the database one version past the shipped scripts.
    void upgradeForgetsStatements() {
        const QString sql = QStringLiteral("SELECT id FROM kinds WHERE id = ?");
        QCOMPARE(f.conn->scalar(sql, {1})->toLongLong(), 1);
        const Engine engine = f.conn->engine();
        QList<MigrationScript> catalog = MigrationCatalog::forEngine(engine);
        const int next = MigrationCatalog::latestVersion(engine) + 1;
        catalog << MigrationCatalog::make(
            next, QStringLiteral("widen_kinds"),
            isSqlite()
                ? QByteArray("-- test: a new column\nALTER TABLE kinds ADD COLUMN extra TEXT;")
                : QByteArray("-- test: a wider id\nALTER TABLE kinds ALTER COLUMN id TYPE "
                             "BIGINT;"));
        UpgradeOptions options;
        options.catalog = catalog;
        auto up = SchemaMigrator::applyPending(*f.conn, options);
        QVERIFY2(up.has_value(), up ? "" : qPrintable(up.error().oneLine()));
        QCOMPARE(up->applied, QList<int>{next});
        auto after = f.conn->scalar(sql, {1});
        QVERIFY2(after.has_value(), after ? "" : qPrintable(after.error().oneLine()));
        QCOMPARE(after->toLongLong(), 1);
    }
};

QTEST_GUILESS_MAIN(TestStatementCache)
#include "tst_statement_cache.moc"
