// The lazy message model on both engines: paging through keyset cursors and
// anchors, the cache bound, stale replies dropped, filters and visibility rules.
#include "core/schema/SchemaMigrator.h"
#include "core/store/Store.h"
#include "support/TestDatabases.h"
#include "ui/models/MessageTableModel.h"
#include "ui/models/PageCache.h"
#include "ui/workers/DatabaseSession.h"

#include <QApplication>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace ctx;
using namespace ctx::ui;

namespace {
constexpr int kMessages = 2500;
const QStringList kAgents{QStringLiteral("agent-a"), QStringLiteral("agent-b"),
                          QStringLiteral("agent-c")};
const QStringList kVisibility{QStringLiteral("public"), QStringLiteral("private"),
                              QStringLiteral("agent_only"), QStringLiteral("admin_only")};

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
};

QTEST_MAIN(TestMessageModel)
#include "tst_ui_message_model.moc"
