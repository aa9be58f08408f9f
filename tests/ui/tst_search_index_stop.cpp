// The inspector's first search builds the full-text side cache on the database's
// worker. Cancel and closing the database (which opening another one does) stop that
// build instead of waiting for it, and the next search goes on from where it stopped.
#include "core/legacy/DemoWriter.h"
#include "core/store/SqliteFtsBuilder.h"
#include "core/store/Store.h"
#include "ui/workers/DatabaseSession.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <sqlite3.h>

using namespace ctx;
using namespace ctx::ui;

class TestSearchIndexStop : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_source;
    static constexpr qint64 kMessages = 70000; // four batches of at most 20,000

    // Rows the side cache holds now.
    qint64 cachedRows() const {
        const QString path =
            store::SqliteFtsBuilder::cachePathFor(m_source, SearchIndex::cacheDirectory());
        sqlite3* db = nullptr;
        qint64 rows = 0;
        if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY,
                            nullptr) == SQLITE_OK) {
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v2(db, "SELECT count(*) FROM ctx_messages_fts_docsize", -1, &st,
                                   nullptr) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                rows = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        sqlite3_close(db);
        return rows;
    }

    std::unique_ptr<DatabaseSession> openSession() {
        auto url = DatabaseUrl::parse(m_source);
        auto s = std::make_unique<DatabaseSession>(*url, true);
        QSignalSpy opened(s.get(), &DatabaseSession::opened);
        s->open();
        if (!opened.wait(30000))
            return nullptr;
        return s;
    }

    // Starts the search's index build as SearchView does; the result lands in *result.
    static void startBuild(DatabaseSession& s, QObject* receiver, std::optional<Error>* result) {
        DatabaseSession* relay = &s;
        s.run<Status>(
            receiver,
            [relay](WorkerContext& ctx) -> Status {
                ctx.search->setProgress([relay](qint64 done, qint64 total) {
                    relay->reportProgress(QStringLiteral("indexing"), done, total);
                });
                return ctx.search->prepare(false);
            },
            [result](const Status& r) { *result = r ? Error{} : r.error(); });
    }

private slots:
    void initTestCase() {
        qputenv("XDG_CACHE_HOME", m_dir.filePath(QStringLiteral("cache")).toUtf8());
        m_source = m_dir.filePath(QStringLiteral("source.db"));
        DemoOptions o;
        o.path = m_source;
        o.messages = kMessages;
        auto made = DemoWriter::write(o);
        QVERIFY2(made, made ? "" : qPrintable(made.error().oneLine()));
    }

    void cancelStopsTheBuild() {
        auto s = openSession();
        QVERIFY(s);
        QSignalSpy progress(s.get(), &DatabaseSession::progress);
        std::optional<Error> result;
        startBuild(*s, this, &result);
        QVERIFY(progress.wait(60000)); // the first batch is in
        s->interrupt();                // the status bar's Cancel
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 60000);
        QCOMPARE(result->code, ErrorCode::Cancelled);
        QVERIFY2(cachedRows() < kMessages, "the build ran to its end");
    }

    void closingStopsTheBuildAndTheNextSearchGoesOn() {
        auto s = openSession();
        QVERIFY(s);
        QSignalSpy progress(s.get(), &DatabaseSession::progress);
        std::optional<Error> result;
        startBuild(*s, this, &result);
        QVERIFY(progress.wait(60000));
        const qint64 before = cachedRows();
        s.reset(); // closing the database, as opening another one does
        const qint64 kept = cachedRows();
        QVERIFY2(kept < kMessages, "closing waited for the whole build");
        QVERIFY(kept >= before);

        auto again = openSession();
        QVERIFY(again);
        QSignalSpy next(again.get(), &DatabaseSession::progress);
        std::optional<Error> done;
        startBuild(*again, this, &done);
        QTRY_VERIFY_WITH_TIMEOUT(done.has_value(), 120000);
        QVERIFY2(done->message.isEmpty(), qPrintable(done->message));
        QVERIFY(!next.isEmpty());
        QCOMPARE(next.first().at(2).toLongLong(), kMessages - kept); // it went on from there
        QCOMPARE(cachedRows(), kMessages);
    }
};

QTEST_MAIN(TestSearchIndexStop)
#include "tst_search_index_stop.moc"
