// 20 writers at once, each with its own connection, adding messages and setting
// memory (own keys and one contended global key) in the same database: no "database
// is locked" reaches a caller, no row is lost, counts match.
#include "tst_store_fixture.h"

#include <QMutex>
#include <QSet>
#include <thread>

using namespace ctx;
using namespace ctx::test;

class TestStoreConcurrency : public QObject {
    Q_OBJECT

private:
    static constexpr int kThreads = 20;
    static constexpr int kMessages = 25;
    static constexpr int kKeys = 5;
    StoreFixture f;

private Q_SLOTS:
    void initTestCase() {
        const QString why = f.init(QStringLiteral("storeconc"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void twentyWritersLoseNothing() {
        const QString session = f.newSession();
        QVERIFY(!session.isEmpty());
        QMutex mutex;
        QStringList errors;
        auto note = [&](const QString& e) {
            QMutexLocker lock(&mutex);
            errors << e;
        };
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                ConnectionOptions o;
                o.readOnly = false;
                o.busyTimeoutMs = 5000;
                auto conn = Connection::open(f.db->url(), o);
                if (!conn) {
                    note(conn.error().oneLine());
                    return;
                }
                MessageStore messages(**conn);
                MemoryStore memory(**conn);
                const QString agent = QStringLiteral("agent-%1").arg(t);
                for (int i = 0; i < kMessages; ++i) {
                    NewMessage m;
                    m.sessionId = session;
                    m.sender = agent;
                    m.content = QStringLiteral("message %1 from %2").arg(i).arg(agent);
                    if (auto id = messages.add(m); !id)
                        note(id.error().oneLine());
                    if (i % 5 != 0)
                        continue;
                    MemoryWrite own;
                    own.agentId = agent;
                    own.key = QStringLiteral("own.%1").arg(i / 5);
                    own.value = QString::number(i);
                    if (auto ok = memory.set(own); !ok)
                        note(ok.error().oneLine());
                    MemoryWrite shared = own; // every thread fights over one global key
                    shared.agentId = QStringLiteral("shared");
                    shared.key = QStringLiteral("shared.latest");
                    shared.value = agent;
                    if (auto ok = memory.set(shared); !ok)
                        note(ok.error().oneLine());
                    shared.sessionId = session; // and one session key
                    if (auto ok = memory.set(shared); !ok)
                        note(ok.error().oneLine());
                }
            });
        }
        for (std::thread& t : threads)
            t.join();
        QVERIFY2(errors.isEmpty(), qPrintable(errors.mid(0, 3).join(" | ")));
        QCOMPARE(f.count("messages", "session_id = ?", {session}), kThreads * kMessages);
        QCOMPARE(f.count("agent_memory", "key LIKE 'own.%'"), kThreads * kKeys);
        QCOMPARE(f.count("agent_memory", "agent_id = 'shared' AND session_id IS NULL"), 1);
        QCOMPARE(f.count("agent_memory", "agent_id = 'shared' AND session_id = ?", {session}), 1);
        // every message once, in a walk of pages
        MessageQuery q;
        q.sessionId = session;
        q.limit = 37;
        QSet<qint64> seen;
        int walked = 0;
        for (int guard = 0; guard < 100; ++guard) {
            auto page = MessageStore(*f.conn).page(q);
            QVERIFY(page.has_value());
            for (const Message& m : page->messages)
                seen.insert(m.id);
            walked += int(page->messages.size());
            if (!page->hasMore)
                break;
            q.after = page->nextCursor;
        }
        QCOMPARE(walked, kThreads * kMessages); // no duplicates
        QCOMPARE(seen.size(), kThreads * kMessages);
    }
};

QTEST_GUILESS_MAIN(TestStoreConcurrency)
#include "tst_store_concurrency.moc"
