// The lazy message model on both engines: paging through keyset cursors and
// anchors, the cache bound, stale replies dropped, filters and visibility rules, the
// first rows (and the latest row) shown while the count still waits on its connection.
#include "core/schema/SchemaMigrator.h"
#include "core/store/Store.h"
#include "support/TestDatabases.h"
#include "ui/models/MessageTableModel.h"
#include "ui/models/PageCache.h"
#include "ui/views/MessageFilterBar.h"
#include "ui/views/MessagesView.h"
#include "ui/workers/DatabaseSession.h"

#include <QApplication>
#include <QLocale>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThread>
#include <atomic>

using namespace ctx;
using namespace ctx::ui;

namespace {
constexpr int kMessages = 2500;
const QStringList kAgents{QStringLiteral("agent-a"), QStringLiteral("agent-b"),
                          QStringLiteral("agent-c")};
const QStringList kVisibility{QStringLiteral("public"), QStringLiteral("private"),
                              QStringLiteral("agent_only"), QStringLiteral("admin_only")};

// Message i of the dataset: sender kAgents[i % 3], visibility kVisibility[i % 4].
bool visibleTo(int i, const QString& agent) {
    const QString v = kVisibility.at(i % 4);
    return v == QLatin1String("public") ||
           ((v == QLatin1String("private") || v == QLatin1String("agent_only")) &&
            kAgents.at(i % 3) == agent);
}

struct Dataset {
    std::unique_ptr<test::ScratchDatabase> db;
    QString sessionId;
};
} // namespace

class TestMessageModel : public QObject {
    Q_OBJECT
private:
    QList<Engine> m_engines{Engine::Sqlite, Engine::Postgres};
    QMap<Engine, std::shared_ptr<Dataset>> m_data;

    std::shared_ptr<Dataset> build(Engine engine) {
        auto data = std::make_shared<Dataset>();
        auto db = test::ScratchDatabase::create(engine, QStringLiteral("uimodel"));
        if (!db) {
            qWarning("%s", qPrintable(db.error().oneLine()));
            return nullptr;
        }
        data->db = std::move(*db);
        auto conn = data->db->connect(false);
        if (!conn)
            return nullptr;
        if (!SchemaMigrator::applyPending(**conn, {}))
            return nullptr;
        auto session =
            SessionStore(**conn).create(QStringLiteral("model test"), QStringLiteral("agent-a"));
        if (!session)
            return nullptr;
        data->sessionId = *session;
        MessageStore store(**conn);
        for (int i = 0; i < kMessages; ++i) {
            NewMessage m;
            m.sessionId = *session;
            m.sender = kAgents.at(i % 3);
            m.content = QStringLiteral("message %1").arg(i);
            m.visibility = kVisibility.at(i % 4);
            if (auto added = store.add(m); !added) {
                qWarning("%s", qPrintable(added.error().oneLine()));
                return nullptr;
            }
        }
        return data;
    }

    std::unique_ptr<DatabaseSession> open(Engine engine) {
        auto session = std::make_unique<DatabaseSession>(m_data.value(engine)->db->url(), true);
        QSignalSpy opened(session.get(), &DatabaseSession::opened);
        session->open();
        if (!opened.wait(30000))
            return nullptr;
        return session;
    }

    static MessageQuery query(const QString& sessionId) {
        MessageQuery q;
        q.sessionId = sessionId;
        return q;
    }

    // Keeps a session's worker busy until the flag is set: whatever is queued behind
    // (the count, the anchors) waits. unblockAll() (a failed test's scope guard) lets
    // every worker go, or closing its session would wait for ever.
    QList<std::shared_ptr<std::atomic<bool>>> m_blocks;
    std::shared_ptr<std::atomic<bool>> block(DatabaseSession& session, QObject* receiver) {
        auto release = std::make_shared<std::atomic<bool>>(false);
        m_blocks << release;
        session.run<int>(
            receiver,
            [release](WorkerContext&) {
                while (!release->load())
                    QThread::msleep(2);
                return 0;
            },
            [](const int&) {});
        return release;
    }

    // Touches a row so its page is fetched, then waits for it.
    static bool load(MessageTableModel& model, int row) {
        model.data(model.index(row, MessageTableModel::IdColumn));
        return QTest::qWaitFor([&] { return model.isRowLoaded(row); }, 30000);
    }

private Q_SLOTS:
    void initTestCase() {
        for (Engine e : m_engines) {
            auto data = build(e);
            QVERIFY2(data, qPrintable(QStringLiteral("cannot build the %1 dataset (PostgreSQL "
                                                     "needs CTX_TEST_PG_URL)")
                                          .arg(engineName(e))));
            m_data.insert(e, data);
        }
    }

    void pageCacheIsBounded() {
        PageCache<int> cache(3);
        for (int i = 0; i < 10; ++i)
            cache.insert(i, i);
        QCOMPARE(cache.size(), 3);
        QCOMPARE(cache.highWater(), 3);
        QVERIFY(cache.contains(9) && cache.contains(8) && cache.contains(7));
        QVERIFY(cache.get(7)); // 7 becomes the most recent
        const QList<int> evicted = cache.insert(10, 10);
        QCOMPARE(evicted, QList<int>{8});
        QVERIFY(cache.contains(7));
    }

    void pagingReachesEveryRowWithinTheCacheBound_data() {
        QTest::addColumn<int>("engine");
        QTest::newRow("sqlite") << int(Engine::Sqlite);
        QTest::newRow("postgres") << int(Engine::Postgres);
    }
    void pagingReachesEveryRowWithinTheCacheBound() {
        QFETCH(int, engine);
        auto session = open(Engine(engine));
        QVERIFY(session);
        MessageTableModel model;
        model.setSession(session.get());
        model.setMaxCachedPages(4);
        QSignalSpy total(&model, &MessageTableModel::totalKnown);
        model.setQuery(query(m_data.value(Engine(engine))->sessionId));
        QVERIFY(total.wait(30000));
        QCOMPARE(model.rowCount(), kMessages);
        // A row whose page is not loaded shows the placeholder and does not block.
        const QModelIndex far = model.index(1300, MessageTableModel::ContentColumn);
        QCOMPARE(model.data(far).toString(), MessageTableModel::placeholderText());
        // Jump to the end first (reached backwards), then the middle (by anchor).
        QVERIFY(load(model, kMessages - 1));
        QVERIFY(load(model, 1300));
        QVERIFY(model.anchorsReady());
        // Then every page in order: every id once, in time order.
        QSet<qint64> ids;
        qint64 previous = 0;
        for (int row = 0; row < kMessages; ++row) {
            if (!model.isRowLoaded(row))
                QVERIFY2(load(model, row), qPrintable(QString::number(row)));
            const Message* m = model.messageAt(row);
            QVERIFY(m);
            QVERIFY2(m->id > previous, qPrintable(QStringLiteral("row %1").arg(row)));
            previous = m->id;
            ids.insert(m->id);
            QVERIFY(model.cachedPages() <= 4);
        }
        QCOMPARE(ids.size(), kMessages);
        QVERIFY(model.cachedPagesHighWater() <= 4);
        QVERIFY(model.pagesFetched() >= kMessages / model.pageSize());
    }

    void staleRepliesAreDropped() {
        auto session = open(Engine::Sqlite);
        QVERIFY(session);
        MessageTableModel model;
        model.setSession(session.get());
        const quint64 start = model.generation(); // setSession starts a generation too
        const QString id = m_data.value(Engine::Sqlite)->sessionId;
        model.setQuery(query(id));
        MessageQuery onlyB = query(id);
        onlyB.filter.sender = QStringLiteral("agent-b");
        model.setQuery(onlyB); // the first query's reply is now stale
        QTRY_VERIFY_WITH_TIMEOUT(model.isTotalKnown(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(model.staleRepliesDropped() >= 1, 30000);
        QCOMPARE(model.total(), qint64(kMessages / 3)); // 833 of 2500 (i % 3 == 1)
        QVERIFY(load(model, 0));
        QCOMPARE(model.messageAt(0)->sender, QStringLiteral("agent-b"));
        QCOMPARE(model.generation(), start + 2);
    }

    void filtersAndVisibilityRules_data() {
        QTest::addColumn<int>("engine");
        QTest::newRow("sqlite") << int(Engine::Sqlite);
        QTest::newRow("postgres") << int(Engine::Postgres);
    }
    void filtersAndVisibilityRules() {
        QFETCH(int, engine);
        auto session = open(Engine(engine));
        QVERIFY(session);
        const QString id = m_data.value(Engine(engine))->sessionId;
        MessageTableModel model;
        model.setSession(session.get());

        MessageQuery privateOnly = query(id);
        privateOnly.filter.visibility = QStringLiteral("private");
        model.setQuery(privateOnly);
        QTRY_VERIFY_WITH_TIMEOUT(model.isTotalKnown(), 30000);
        QCOMPARE(model.total(), qint64(kMessages / 4));
        QVERIFY(load(model, 0));
        for (int r = 0; r < model.pageSize(); ++r)
            QCOMPARE(model.messageAt(r)->visibility, QStringLiteral("private"));

        // Agent A sees public messages plus its own private and agent_only ones.
        int expected = 0;
        for (int i = 0; i < kMessages; ++i) {
            const QString v = kVisibility.at(i % 4);
            expected +=
                v == QLatin1String("public") ||
                ((v == QLatin1String("private") || v == QLatin1String("agent_only")) && i % 3 == 0);
        }
        MessageQuery asA = query(id);
        asA.viewer = Viewer::asAgent(QStringLiteral("agent-a"));
        model.setQuery(asA);
        QTRY_VERIFY_WITH_TIMEOUT(model.isTotalKnown(), 30000);
        QCOMPARE(model.total(), qint64(expected));
        for (int row = 0; row < model.rowCount(); row += model.pageSize()) {
            QVERIFY(load(model, row));
            for (int r = row; r < std::min(row + model.pageSize(), model.rowCount()); ++r) {
                const Message* m = model.messageAt(r);
                QVERIFY(m->visibility != QLatin1String("admin_only"));
                if (m->visibility != QLatin1String("public"))
                    QCOMPARE(m->sender, QStringLiteral("agent-a"));
            }
        }
    }

    // The first page is shown while the count cannot run (its connection is busy): an
    // estimated rowCount; then the exact count of the filter as the viewer sees it.
    void firstRowsBeforeTheCount_data() {
        QTest::addColumn<int>("engine");
        QTest::newRow("sqlite") << int(Engine::Sqlite);
        QTest::newRow("postgres") << int(Engine::Postgres);
    }
    void firstRowsBeforeTheCount() {
        QFETCH(int, engine);
        auto pages = open(Engine(engine));
        auto counter = open(Engine(engine));
        QVERIFY(pages && counter);
        const auto unblock = qScopeGuard([this] {
            for (const auto& release : std::as_const(m_blocks))
                release->store(true);
        });
        const QString id = m_data.value(Engine(engine))->sessionId;
        MessageTableModel model;
        model.setSession(pages.get());
        model.setAnchorSession(counter.get());
        struct Case {
            Viewer viewer;
            QString sender;
        };
        for (const Case& c :
             {Case{Viewer::asAgent(QStringLiteral("agent-a")), QString()},
              Case{Viewer::asAgent(QStringLiteral("agent-b")), QStringLiteral("agent-b")},
              Case{Viewer::asAdmin(), QStringLiteral("agent-c")}}) {
            QList<int> expected; // message numbers, in time order
            for (int i = 0; i < kMessages; ++i)
                if ((c.viewer.admin || visibleTo(i, c.viewer.agentId)) &&
                    (c.sender.isEmpty() || kAgents.at(i % 3) == c.sender))
                    expected << i;
            QVERIFY(expected.size() > model.pageSize());
            auto release = block(*counter, &model);
            MessageQuery q = query(id);
            q.viewer = c.viewer;
            q.filter.sender = c.sender;
            model.setQuery(q);
            QTRY_VERIFY_WITH_TIMEOUT(model.isRowLoaded(0), 30000);
            QVERIFY2(!model.isTotalKnown(), "the first rows waited for the count");
            QVERIFY(model.rowCount() > model.pageSize()); // an estimate: more rows follow
            for (int r = 0; r < model.pageSize(); ++r) {
                QVERIFY(model.isRowLoaded(r));
                QCOMPARE(model.messageAt(r)->content,
                         QStringLiteral("message %1").arg(expected.at(r)));
            }
            QCOMPARE(model.data(model.index(0, MessageTableModel::ContentColumn)).toString(),
                     QStringLiteral("message %1").arg(expected.first()));
            release->store(true);
            QTRY_VERIFY_WITH_TIMEOUT(model.isTotalKnown(), 30000);
            QCOMPARE(model.total(), qint64(expected.size()));
            QCOMPARE(model.rowCount(), int(expected.size()));
            QVERIFY(model.isRowLoaded(0)); // the first page stayed
            QVERIFY(load(model, model.rowCount() - 1));
            QCOMPARE(model.messageAt(model.rowCount() - 1)->content,
                     QStringLiteral("message %1").arg(expected.last()));
        }
    }

    // An estimate too high or too low is corrected by removing or inserting the rows
    // between what was read and the end (no reset): the rows read keep their place
    // from the start or from the end.
    void estimateCorrectedInPlace() {
        auto pages = open(Engine::Sqlite);
        auto counter = open(Engine::Sqlite);
        QVERIFY(pages && counter);
        const auto unblock = qScopeGuard([this] {
            for (const auto& release : std::as_const(m_blocks))
                release->store(true);
        });
        const QString id = m_data.value(Engine::Sqlite)->sessionId;
        MessageTableModel model;
        model.setSession(pages.get());
        model.setAnchorSession(counter.get());
        const int page = model.pageSize();
        for (const bool atEnd : {false, true}) {
            for (const qint64 estimate : {qint64(kMessages + 700), qint64(300), qint64(-1)}) {
                const QString name =
                    QStringLiteral("atEnd %1, estimate %2").arg(atEnd).arg(estimate);
                auto release = block(*counter, &model);
                model.setQuery(query(id), {atEnd, estimate});
                QTRY_VERIFY_WITH_TIMEOUT(model.isEstimated(), 30000);
                const int shown = model.rowCount();
                QCOMPARE(shown, int(std::max<qint64>(estimate, page + 1)));
                const int read = atEnd ? shown - page : 0; // the first row read
                QVERIFY(model.isRowLoaded(read) && model.isRowLoaded(read + page - 1));
                QCOMPARE(model.messageAt(read)->content,
                         QStringLiteral("message %1").arg(atEnd ? kMessages - page : 0));
                QSignalSpy inserted(&model, &MessageTableModel::rowsInserted);
                QSignalSpy removed(&model, &MessageTableModel::rowsRemoved);
                QSignalSpy reset(&model, &MessageTableModel::modelReset);
                release->store(true);
                QTRY_VERIFY_WITH_TIMEOUT(model.isTotalKnown(), 30000);
                QVERIFY2(!model.isEstimated(), qPrintable(name));
                QCOMPARE(model.rowCount(), kMessages);
                QCOMPARE(reset.size(), 0);
                QCOMPARE(inserted.size() + removed.size(), 1);
                const int at = atEnd ? shown - page : shown; // where rows came or went
                const auto& change = inserted.isEmpty() ? removed.first() : inserted.first();
                QCOMPARE(change.at(1).toInt(), inserted.isEmpty() ? kMessages - (shown - at) : at);
                // The rows read are still loaded, each where it belongs.
                const int from = atEnd ? kMessages - page : 0;
                for (int r = from; r < from + page; ++r) {
                    QVERIFY2(model.isRowLoaded(r), qPrintable(name));
                    QCOMPARE(model.messageAt(r)->content, QStringLiteral("message %1").arg(r));
                }
            }
        }
    }

    // Opened at its end (the session chosen for the user, or followed): the newest row
    // is current before the count; once counted it is still the last and current row.
    void latestRowBeforeTheCount_data() {
        QTest::addColumn<int>("engine");
        QTest::newRow("sqlite") << int(Engine::Sqlite);
        QTest::newRow("postgres") << int(Engine::Postgres);
    }
    void latestRowBeforeTheCount() {
        QFETCH(int, engine);
        auto pages = open(Engine(engine));
        auto counter = open(Engine(engine));
        QVERIFY(pages && counter);
        const auto unblock = qScopeGuard([this] {
            for (const auto& release : std::as_const(m_blocks))
                release->store(true);
        });
        const QString id = m_data.value(Engine(engine))->sessionId;
        for (const Viewer& viewer :
             {Viewer::asAdmin(), Viewer::asAgent(QStringLiteral("agent-b"))}) {
            int expected = 0;
            int newest = -1;
            for (int i = 0; i < kMessages; ++i)
                if (viewer.admin || visibleTo(i, viewer.agentId)) {
                    ++expected;
                    newest = i;
                }
            const QString newestText = QStringLiteral("message %1").arg(newest);
            MessagesView view;
            view.resize(900, 600);
            view.show();
            view.setSession(pages.get());
            view.model()->setAnchorSession(counter.get());
            // The filter bar tells of its changes 250 ms later (it waits for typing to
            // stop): let that pass before the list is opened, or it would start over.
            QSignalSpy settled(view.filterBar(), &MessageFilterBar::changed);
            view.filterBar()->setViewer(viewer);
            settled.wait(1000);
            MessageTableModel* model = view.model();
            auto release = block(*counter, &view);
            view.showLatest(id);
            auto current = [&] { return view.table()->currentIndex().row(); };
            QTRY_VERIFY_WITH_TIMEOUT(current() >= 0 && model->isRowLoaded(current()), 30000);
            QVERIFY2(!model->isTotalKnown(), "the latest row waited for the count");
            QCOMPARE(current(), model->rowCount() - 1);
            QCOMPARE(model->messageAt(current())->content, newestText);
            QVERIFY(view.isAtEnd());
            release->store(true);
            QTRY_VERIFY_WITH_TIMEOUT(model->isTotalKnown(), 30000);
            QCOMPARE(model->total(), qint64(expected));
            QCOMPARE(current(), expected - 1);
            QVERIFY(view.isAtEnd());
            QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(current()), 30000);
            QCOMPARE(model->messageAt(current())->content, newestText);
            QVERIFY(view.countText().contains(QLocale().toString(expected)));
        }
    }
};

QTEST_MAIN(TestMessageModel)
#include "tst_ui_message_model.moc"
