// The first search on a SQLite file that was never indexed answers at once from the
// newest messages, while the side index is built on a thread of its own (the database's
// worker stays free for pages), then runs again through the index. A build stopped by
// the user goes on from where it stopped in the next window. On PostgreSQL without its
// full-text index (a read-only connection may not build it) the newest messages answer
// first too, then every message.
#include "core/legacy/DemoWriter.h"
#include "core/schema/SchemaMigrator.h"
#include "core/store/SqliteFtsBuilder.h"
#include "core/store/Store.h"
#include "support/TestDatabases.h"
#include "ui/views/SearchView.h"
#include "ui/workers/DatabaseSession.h"
#include "ui/workers/SearchIndexBuild.h"

#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>
#include <sqlite3.h>

using namespace ctx;
using namespace ctx::ui;

namespace {

// Holds the side cache's write lock, so that a build started meanwhile waits on it
// (SQLite's busy timeout) for as long as the test needs.
class CacheLock {
public:
    explicit CacheLock(const QString& cachePath) {
        QDir().mkpath(QFileInfo(cachePath).absolutePath());
        if (sqlite3_open(QFile::encodeName(cachePath).constData(), &m_db) != SQLITE_OK)
            return;
        m_held = sqlite3_exec(m_db, "PRAGMA journal_mode = WAL; BEGIN IMMEDIATE", nullptr, nullptr,
                              nullptr) == SQLITE_OK;
    }
    ~CacheLock() { release(); }
    bool held() const { return m_held; }
    void release() {
        if (m_db)
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(m_db);
        m_db = nullptr;
    }

private:
    sqlite3* m_db = nullptr;
    bool m_held = false;
};

} // namespace

class TestUiSearchFirstAnswer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    static constexpr qint64 kMessages = 60000; // three batches of 20,000

    QString demo(const QString& name) {
        DemoOptions o;
        o.path = m_dir.filePath(name);
        o.messages = kMessages;
        auto made = DemoWriter::write(o);
        return made ? o.path : QString();
    }
    static QString cacheOf(const QString& source) {
        return store::SqliteFtsBuilder::cachePathFor(source, SearchIndex::cacheDirectory());
    }
    static std::unique_ptr<DatabaseSession> openSession(const QString& path) {
        auto s = std::make_unique<DatabaseSession>(*DatabaseUrl::parse(path), true);
        QSignalSpy opened(s.get(), &DatabaseSession::opened);
        s->open();
        return opened.wait(30000) ? std::move(s) : nullptr;
    }

private slots:
    void initTestCase() {
        qputenv("XDG_CACHE_HOME", m_dir.filePath(QStringLiteral("cache")).toUtf8());
    }

    // Issue 19 item 2: the newest messages answer within the first-answer budget, and
    // the search goes on through the older ones to the oldest match.
    void postgresWithoutItsIndexAnswersFromTheNewestThenAll() {
        auto scratch = test::ScratchDatabase::create(Engine::Postgres, QStringLiteral("firstpg"));
        QVERIFY2(scratch, scratch ? "" : qPrintable(scratch.error().oneLine()));
        {
            auto conn = (*scratch)->connect(false);
            QVERIFY(conn);
            QVERIFY(SchemaMigrator::applyPending(**conn, {}));
            QVERIFY((*conn)->exec(
                QStringLiteral("INSERT INTO sessions (id, purpose, created_by) VALUES "
                               "('session_00000000000000aa', 'scan', 'tester')")));
            QVERIFY((*conn)->exec(QStringLiteral(
                "INSERT INTO messages (session_id, sender, content) SELECT "
                "'session_00000000000000aa', 'claude-main', CASE WHEN g = 1 THEN 'the "
                "oldest zebra note' ELSE 'message ' || g END FROM generate_series(1, 30000) g")));
        }
        auto session = std::make_unique<DatabaseSession>((*scratch)->url(), true);
        QSignalSpy opened(session.get(), &DatabaseSession::opened);
        session->open();
        QVERIFY(opened.wait(30000));
        SearchView view;
        view.setSession(session.get());
        view.setFirstAnswerMs(0); // one range of the newest, then the answer
        QSignalSpy finished(&view, &SearchView::finished);
        view.search(QStringLiteral("Zebra"));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toInt(), 0); // not among the newest
        QVERIFY2(view.infoText().contains(QStringLiteral("searching the older messages")),
                 qPrintable(view.infoText()));
        // No index is on its way here (unlike SQLite's side index): the line says so.
        QVERIFY2(view.infoText().contains(QStringLiteral("no index: the newest")),
                 qPrintable(view.infoText()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QCOMPARE(finished.last().first().toInt(), 1);
        QCOMPARE(view.hitCount(), 1);
        QVERIFY2(!view.infoText().contains(QStringLiteral("searching the older")),
                 qPrintable(view.infoText()));
    }

    void answersFromTheNewestWhileTheIndexIsBuiltElsewhere() {
        const QString source = demo(QStringLiteral("first.db"));
        QVERIFY(!source.isEmpty());
        CacheLock lock(cacheOf(source));
        QVERIFY(lock.held());
        auto session = openSession(source);
        QVERIFY(session);
        SearchView view;
        view.setFirstAnswerMs(0); // one range of the newest ids, not the whole small file
        view.setSession(session.get());
        QSignalSpy finished(&view, &SearchView::finished);
        QSignalSpy built(&view, &SearchView::indexBuildFinished);
        view.search(QStringLiteral("59990")); // "Step 59990: …", among the newest messages
        QVERIFY(finished.wait(60000));
        QVERIFY2(!view.lastAnswerIndexed(), qPrintable(view.infoText()));
        QVERIFY(view.hitCount() >= 1);
        QVERIFY2(view.infoText().contains(QStringLiteral("no index yet: the newest")),
                 qPrintable(view.infoText()));
        QVERIFY(view.isBuildingIndex());

        // The build waits on the cache's lock, on its own thread: the database's worker
        // answers a page of messages meanwhile.
        bool paged = false;
        session->run<bool>(
            this,
            [](WorkerContext& ctx) {
                MessageQuery q;
                q.sessionId =
                    ctx.conn->scalar("SELECT session_id FROM messages LIMIT 1")->toString();
                q.limit = 50;
                q.viewer = Viewer::asAdmin();
                return MessageStore(*ctx.conn).page(q).has_value();
            },
            [&paged](const bool& ok) { paged = ok; });
        QTRY_VERIFY_WITH_TIMEOUT(paged, 20000);
        QVERIFY2(view.isBuildingIndex(), "the page waited for the index");

        lock.release();
        QVERIFY(built.wait(180000));
        QCOMPARE(built.first().at(0).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 60000); // the same search, indexed
        QVERIFY(view.lastAnswerIndexed());
        QVERIFY2(view.infoText().contains(QStringLiteral("fts5 index in a side cache file")),
                 qPrintable(view.infoText()));
        QVERIFY(view.hitCount() >= 1);
        QCOMPARE(store::SqliteFtsBuilder::indexedUpTo(cacheOf(source)).value_or(-1), kMessages);
    }

    void aStoppedBuildGoesOnInTheNextWindow() {
        const QString source = demo(QStringLiteral("second.db"));
        QVERIFY(!source.isEmpty());
        qint64 kept = 0;
        {
            auto session = openSession(source);
            QVERIFY(session);
            SearchView view;
            view.setSession(session.get());
            auto* build = view.findChild<SearchIndexBuild*>();
            QVERIFY(build);
            QSignalSpy progress(build, &SearchIndexBuild::progress);
            QSignalSpy built(&view, &SearchView::indexBuildFinished);
            view.search(QStringLiteral("token"));
            QVERIFY(progress.wait(60000)); // a first batch is in
            QToolButton* stop = nullptr;
            for (auto* b : view.findChildren<QToolButton*>())
                if (b->text().contains(QStringLiteral("Stop")))
                    stop = b;
            QVERIFY(stop && !stop->isHidden());
            stop->click();
            QVERIFY(built.wait(60000));
            QCOMPARE(built.first().at(0).toBool(), false);
            kept = store::SqliteFtsBuilder::indexedUpTo(cacheOf(source)).value_or(-1);
            QVERIFY2(kept > 0 && kept < kMessages, qPrintable(QString::number(kept)));
            QVERIFY2(view.infoText().contains(QStringLiteral("goes on")),
                     qPrintable(view.infoText()));
        } // the window and its database are closed

        auto session = openSession(source);
        QVERIFY(session);
        SearchView view;
        view.setSession(session.get());
        auto* build = view.findChild<SearchIndexBuild*>();
        QSignalSpy progress(build, &SearchIndexBuild::progress);
        QSignalSpy built(&view, &SearchView::indexBuildFinished);
        view.search(QStringLiteral("token"));
        QVERIFY(built.wait(180000));
        QCOMPARE(built.first().at(0).toBool(), true);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.first().at(1).toLongLong(), kMessages - kept); // from where it was
        QCOMPARE(store::SqliteFtsBuilder::indexedUpTo(cacheOf(source)).value_or(-1), kMessages);
    }
};

QTEST_MAIN(TestUiSearchFirstAnswer)
#include "tst_ui_search_first_answer.moc"
