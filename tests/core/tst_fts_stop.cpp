// Building SQLite's full-text side cache stops when asked (Cancel, opening another
// database, closing the window), keeps what it committed, and goes on from there the
// next time: nothing is indexed twice and nothing is missed.
#include "core/legacy/DemoWriter.h"
#include "core/store/SqliteFtsBuilder.h"

#include <QTemporaryDir>
#include <QtTest>
#include <sqlite3.h>
#include <thread>

using namespace ctx;
using namespace ctx::store;

class TestFtsStop : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_source;
    qint64 m_messages = 0;

    QString cacheDir() const { return m_dir.filePath(QStringLiteral("cache")); }

    // How many rows the cache holds, and the last id it says it indexed.
    std::pair<qint64, qint64> cacheState() const {
        sqlite3* db = nullptr;
        const QString path = SqliteFtsBuilder::cachePathFor(m_source, cacheDir());
        if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY,
                            nullptr) != SQLITE_OK) {
            sqlite3_close(db);
            return {-1, -1};
        }
        auto one = [db](const char* sql) {
            sqlite3_stmt* st = nullptr;
            qint64 v = -1;
            if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                v = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
            return v;
        };
        const qint64 rows = one("SELECT count(*) FROM ctx_messages_fts_docsize");
        const qint64 last = one("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM "
                                "ctx_fts_state WHERE name = 'last_id'), 0)");
        sqlite3_close(db);
        return {rows, last};
    }

private slots:
    void initTestCase() {
        m_source = m_dir.filePath(QStringLiteral("source.db"));
        DemoOptions o;
        o.path = m_source;
        o.messages = 70000; // several batches of 20,000
        auto made = DemoWriter::write(o);
        QVERIFY2(made, made ? "" : qPrintable(made.error().oneLine()));
        m_messages = o.messages;
    }

    void stopAfterTheFirstBatchKeepsItAndResumes() {
        std::atomic<bool> stop{false};
        int reports = 0;
        auto r = SqliteFtsBuilder::refreshCache(
            m_source, cacheDir(),
            [&](qint64, qint64) {
                ++reports;
                stop = true; // asked while the second batch is about to start
            },
            &stop);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Cancelled);
        QCOMPARE(reports, 1);
        const auto [rows, last] = cacheState();
        QCOMPARE(rows, 20000);
        QCOMPARE(last, 20000);

        // The next build goes on from message 20,000: every message once.
        qint64 firstDone = -1, firstTotal = -1;
        auto again = SqliteFtsBuilder::refreshCache(m_source, cacheDir(), [&](qint64 d, qint64 t) {
            if (firstDone < 0) {
                firstDone = d;
                firstTotal = t;
            }
        });
        QVERIFY2(again, again ? "" : qPrintable(again.error().oneLine()));
        QCOMPARE(firstTotal, m_messages - 20000);
        QCOMPARE(cacheState(), (std::pair<qint64, qint64>{m_messages, m_messages}));
    }

    // Raised from another thread in the middle of a batch: the batch is interrupted and
    // rolled back, not finished first.
    void stopFromAnotherThreadInterruptsTheBatch() {
        QVERIFY(QDir(cacheDir()).removeRecursively());
        std::atomic<bool> stop{false};
        std::atomic<bool> started{false};
        std::thread asker([&] {
            while (!started.load())
                std::this_thread::yield();
            stop = true;
        });
        auto r = SqliteFtsBuilder::refreshCache(
            m_source, cacheDir(), [&](qint64, qint64) { started = true; }, &stop);
        asker.join();
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Cancelled);
        const auto [rows, last] = cacheState();
        // The first batch was committed before the flag rose; the second, running when
        // it rose, was rolled back instead of being finished.
        QCOMPARE(rows, 20000);
        QCOMPARE(last, 20000);
    }
};

QTEST_GUILESS_MAIN(TestFtsStop)
#include "tst_fts_stop.moc"
