// A legacy SQLite session whose timestamp column mixes shapes is paged in true time
// order (issue 16, item 6): forwards, backwards, from anchors, for an agent; the
// source keeps its bytes and gets nothing beside it; rows a writer appends between
// pages take their place; a file replaced under the same name is ordered anew.
#include "core/store/MessageOrderCache.h"
#include "core/store/MessageRows.h"
#include "core/store/Store.h"
#include "support/LegacyFixtures.h"
#include "support/MixedTimeSession.h"

#include <QDir>
#include <QElapsedTimer>
#include <QtTest>
#include <sqlite3.h>

using namespace ctx;
using namespace ctx::store;
using namespace ctx::test;

class TestMessageTimeOrder : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QTemporaryDir m_cache;
    int m_files = 0;

    // A fresh legacy file holding the mixed session (and the fixture's two sessions).
    QString newSource() {
        const QString path = m_dir.filePath(QStringLiteral("src%1/chat_history.db").arg(++m_files));
        QDir().mkpath(QFileInfo(path).absolutePath());
        if (!writeLegacyFile(path, LegacyVersion::V3b) || !addMixedTimeSession(path))
            return {};
        return path;
    }

    static std::unique_ptr<Connection> open(const QString& path) {
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path), {});
        return conn ? std::move(*conn) : nullptr;
    }

    // Every page of a query, each `limit` rows, following next_cursor.
    static QList<qint64> walk(const Connection& conn, MessageQuery q) {
        QList<qint64> ids;
        for (int guard = 0; guard < 1000; ++guard) {
            auto page = MessageStore(conn).page(q);
            if (!page) {
                qWarning() << page.error().oneLine();
                return {};
            }
            for (const Message& m : page->messages)
                ids << m.id;
            if (!page->hasMore)
                break;
            q.after = page->nextCursor;
        }
        return ids;
    }

    static MessageQuery sessionQuery(int limit) {
        MessageQuery q;
        q.sessionId = mixed::kSession;
        q.limit = limit;
        return q;
    }

    static QList<qint64> reversed(QList<qint64> ids) {
        std::reverse(ids.begin(), ids.end());
        return ids;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid() && m_cache.isValid());
        qputenv("XDG_CACHE_HOME", m_cache.path().toUtf8());
    }

    void walksInTimeOrder_data() {
        QTest::addColumn<int>("limit");
        for (int limit : {1, 2, 3, 5, 50})
            QTest::newRow(qPrintable(QString::number(limit))) << limit;
    }

    // Every page size, forwards and backwards: the hand-written time order, each row
    // once, none missing; SQLite's own order differs (the fixture would prove nothing).
    void walksInTimeOrder() {
        QFETCH(int, limit);
        QVERIFY(mixed::idsInTimeOrder() != mixed::idsInStorageOrder());
        const QString path = newSource();
        QVERIFY(!path.isEmpty());
        auto conn = open(path);
        QVERIFY(conn);
        QCOMPARE(walk(*conn, sessionQuery(limit)), mixed::idsInTimeOrder());
        MessageQuery back = sessionQuery(limit);
        back.fromEnd = true;
        QCOMPARE(walk(*conn, back), reversed(mixed::idsInTimeOrder()));
        MessageQuery agent = sessionQuery(limit);
        agent.viewer = Viewer::asAgent(QStringLiteral("claude-main"));
        QCOMPARE(walk(*conn, agent), mixed::idsVisibleToClaude());
        auto first = MessageStore(*conn).page(sessionQuery(limit));
        QVERIFY(first.has_value());
        QCOMPARE(first->total, mixed::idsInTimeOrder().size());
    }

    // The inspector jumps to row N through anchors[N / every]: each anchor starts the
    // page at its row of the time order.
    void anchorsFollowTimeOrder() {
        const QString path = newSource();
        auto conn = open(path);
        QVERIFY(conn);
        const int every = 3;
        auto anchors = MessageStore(*conn).anchors(sessionQuery(1), every);
        QVERIFY2(anchors.has_value(), anchors ? "" : qPrintable(anchors.error().oneLine()));
        const QList<qint64>& order = mixed::idsInTimeOrder();
        QCOMPARE(anchors->size(), 1 + order.size() / every);
        for (int k = 0; k < anchors->size(); ++k) {
            MessageQuery q = sessionQuery(1);
            q.after = anchors->at(k);
            auto page = MessageStore(*conn).page(q);
            QVERIFY(page.has_value() && !page->messages.isEmpty());
            QCOMPARE(page->messages.first().id, order.at(k * every));
        }
    }

    // Read-only: the source's bytes, size and mtime stay; nothing appears beside it;
    // the cache lives under the user's cache directory, the owner's only.
    void sourceUntouched() {
        const QString path = newSource();
        const FileFingerprint before = FileFingerprint::of(path);
        const QByteArray digest = contentDigest(path);
        const QStringList beside = QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files);
        {
            auto conn = open(path);
            QVERIFY(conn && conn->isReadOnly());
            QCOMPARE(walk(*conn, sessionQuery(4)), mixed::idsInTimeOrder());
        }
        QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files), beside);
        QVERIFY(FileFingerprint::of(path) == before);
        QCOMPARE(contentDigest(path), digest);
        const QString cache = MessageOrderCache::cachePathFor(path);
        QVERIFY2(cache.startsWith(m_cache.path()), qPrintable(cache));
        QVERIFY(QFileInfo::exists(cache));
        QCOMPARE(QFileInfo(cache).permissions() & (QFile::ReadGroup | QFile::ReadOther),
                 QFile::Permissions());
    }

    // A session of numbers only keeps the column's own index: the cache holds nothing
    // for it (and its order is right: numbers compare as numbers).
    void numbersOnlyKeepTheirIndex() {
        const QString path = newSource();
        QVERIFY(execSql(path, {QStringLiteral("INSERT INTO sessions (id, purpose, created_by) "
                                              "VALUES ('session_00000000000000bb', 'n', 'x')"),
                               QStringLiteral("INSERT INTO messages (id, session_id, sender, "
                                              "content, timestamp) VALUES (201, "
                                              "'session_00000000000000bb', 'x', 'a', 1735689602), "
                                              "(202, 'session_00000000000000bb', 'x', 'b', "
                                              "1735689601.5), (203, "
                                              "'session_00000000000000bb', 'x', 'c', 1735689600)")})
                    .has_value());
        auto conn = open(path);
        QVERIFY(conn);
        auto numbers = MessageOrderCache::needed(*conn, QStringLiteral("session_00000000000000bb"));
        QVERIFY(numbers.has_value() && !*numbers);
        auto mixedShapes = MessageOrderCache::needed(*conn, mixed::kSession);
        QVERIFY(mixedShapes.has_value() && *mixedShapes);
        MessageQuery q = sessionQuery(1);
        q.sessionId = QStringLiteral("session_00000000000000bb");
        QCOMPARE(walk(*conn, q), QList<qint64>({203, 202, 201}));
        QVERIFY(!QFileInfo::exists(MessageOrderCache::cachePathFor(path)));
    }

    // A server appends while the inspector reads: between two pages of one walk (the
    // row lands after the cursor) and before the next walk (the row lands early). The
    // server holds the file open in WAL mode, as it runs.
    void appendedRowsTakeTheirPlace() {
        const QString path = newSource();
        QVERIFY(execSql(path, {QStringLiteral("PRAGMA journal_mode = WAL")}).has_value());
        sqlite3* server = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &server), SQLITE_OK);
        const auto serverClose = qScopeGuard([server] { sqlite3_close(server); });
        auto append = [server](const QString& sql) {
            return sqlite3_exec(server, sql.toUtf8().constData(), nullptr, nullptr, nullptr) ==
                   SQLITE_OK;
        };
        QVERIFY(append(QStringLiteral("SELECT count(*) FROM messages")));
        auto conn = open(path);
        QVERIFY(conn);
        MessageQuery q = sessionQuery(4);
        auto first = MessageStore(*conn).page(q);
        QVERIFY(first.has_value() && first->hasMore);
        // T+1.25 as REAL: after 104 (T+1), before 107 (T+1.5); the first page ended
        // at 103 (T+0.25), so the walk reaches it on a later page.
        QVERIFY(append(QStringLiteral("INSERT INTO messages (id, session_id, sender, content, "
                                      "timestamp) VALUES (115, '%1', 'claude-main', 'late', "
                                      "1735689601.25)")
                           .arg(mixed::kSession)));
        QList<qint64> ids;
        for (const Message& m : first->messages)
            ids << m.id;
        q.after = first->nextCursor;
        ids << walk(*conn, q);
        QList<qint64> expected = mixed::idsInTimeOrder();
        expected.insert(expected.indexOf(107), 115);
        QCOMPARE(ids, expected);

        // ISO text at T-0.5, between 108 (T-1) and 102 (T): a fresh walk puts it there.
        QVERIFY(append(QStringLiteral("INSERT INTO messages (id, session_id, sender, content, "
                                      "timestamp) VALUES (116, '%1', 'claude-main', 'early', "
                                      "'2024-12-31T23:59:59.500000+00:00')")
                           .arg(mixed::kSession)));
        expected.insert(expected.indexOf(102), 116);
        QCOMPARE(walk(*conn, sessionQuery(3)), expected);
        MessageQuery back = sessionQuery(3);
        back.fromEnd = true;
        QCOMPARE(walk(*conn, back), reversed(expected));
    }

    // The same path holding another file (restored from a backup, rewritten): the
    // cache's entries for the session are dropped and built again.
    void replacedFileIsOrderedAnew() {
        const QString path = newSource();
        {
            auto conn = open(path);
            QVERIFY(conn);
            QCOMPARE(walk(*conn, sessionQuery(5)), mixed::idsInTimeOrder());
        }
        // Same ids, other times: row 112 now comes first and 111 last, the rest reversed.
        QVERIFY(QFile::remove(path));
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3b).has_value());
        QStringList rows{QStringLiteral("INSERT INTO sessions (id, purpose, created_by) VALUES "
                                        "('%1', 'again', 'x')")
                             .arg(mixed::kSession)};
        const QList<qint64>& order = mixed::idsInTimeOrder();
        for (int i = 0; i < order.size(); ++i)
            rows << QStringLiteral("INSERT INTO messages (id, session_id, sender, content, "
                                   "timestamp) VALUES (%1, '%2', 'x', 'y', %3)")
                        .arg(order[i])
                        .arg(mixed::kSession, i % 2 ? QStringLiteral("'2025-03-01T00:00:%1Z'")
                                                          .arg(60 - i - 1, 2, 10, QLatin1Char('0'))
                                                    : QString::number(1740787200 + 60 - i - 1));
        QVERIFY(execSql(path, rows).has_value());
        auto conn = open(path);
        QVERIFY(conn);
        QCOMPARE(walk(*conn, sessionQuery(5)), reversed(order));
    }

    // The time an inspector waits for a page of a big session, with the storage-order
    // query of the same session timed beside it. Runs on a file given in
    // CTX_ORDER_BENCH_DB (a demo: `ctxdb demo --messages 1000000`); skipped otherwise.
    void pageSpeedOnBigSession() {
        const QString path = qEnvironmentVariable("CTX_ORDER_BENCH_DB");
        if (path.isEmpty())
            QSKIP("CTX_ORDER_BENCH_DB not set");
        auto conn = open(path);
        QVERIFY(conn);
        auto big = conn->scalar(QStringLiteral("SELECT session_id FROM messages GROUP BY "
                                               "session_id ORDER BY count(*) DESC LIMIT 1"));
        QVERIFY(big.has_value());
        MessageQuery q;
        q.sessionId = big->toString();
        q.limit = 50;
        QElapsedTimer t;
        t.start();
        auto first = MessageStore(*conn).page(q);
        QVERIFY(first.has_value());
        qInfo("first page (order cache built or checked): %.1f ms, %lld messages",
              t.nsecsElapsed() / 1e6, static_cast<long long>(first->total));
        auto timed = [&](const std::function<bool(const QString&)>& page) {
            QList<double> ms;
            QString after = first->nextCursor;
            for (int i = 0; i < 500; ++i) {
                t.restart();
                if (!page(after))
                    return QStringLiteral("failed");
                ms << t.nsecsElapsed() / 1e6;
            }
            std::sort(ms.begin(), ms.end());
            return QStringLiteral("p50 %1 ms p99 %2 ms").arg(ms[250]).arg(ms[494]);
        };
        MessageStore store(*conn); // as a reader keeps it (features detected once)
        QString after;
        auto timeOrder = [&] {
            after = first->nextCursor;
            qInfo("time order, next page of 50: %s", qPrintable(timed([&](const QString&) {
                      MessageQuery n = q;
                      n.after = after;
                      n.withTotal = false;
                      auto p = store.page(n);
                      if (p && p->hasMore)
                          after = p->nextCursor;
                      return p.has_value();
                  })));
        };
        timeOrder();
        qInfo("of which the order cache's checks: %s", qPrintable(timed([&](const QString&) {
                  auto needed = MessageOrderCache::needed(*conn, q.sessionId);
                  return needed && MessageOrderCache::sync(*conn, q.sessionId).has_value();
              })));
        qint64 lastId = 0;
        QVariant lastTs;
        qInfo("storage order (the query before), rows decoded alike: %s",
              qPrintable(timed([&](const QString&) {
                  int n = 0;
                  auto r = conn->forEachRow(
                      QStringLiteral("SELECT id, session_id, sender, sender_type, content, "
                                     "visibility, message_type, metadata, \"timestamp\", "
                                     "parent_message_id FROM messages WHERE session_id = ? AND "
                                     "(\"timestamp\", id) > (?, ?) ORDER BY \"timestamp\", id "
                                     "LIMIT 51"),
                      {q.sessionId, lastTs.isValid() ? lastTs : QVariant(0), lastId},
                      [&](const Row& row) {
                          const Message m = readMessage(row); // as page() decodes rows
                          if (++n <= 50) {
                              lastId = m.id;
                              lastTs = row.value(8);
                          }
                          return true;
                      });
                  return r.has_value();
              })));
        timeOrder(); // again, on pages the OS has cached by now, as the storage order had
    }
};

QTEST_GUILESS_MAIN(TestMessageTimeOrder)
#include "tst_message_time_order.moc"
