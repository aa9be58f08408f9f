// The store's session and message operations on the engine under test: errors as
// values with nothing written, visibility per agent and admin, keyset paging with
// total/has_more, fromEnd, anchors, threads.
#include "core/inspect/ActivityStats.h"
#include "tst_store_fixture.h"

#include <QSet>

using namespace ctx;
using namespace ctx::test;

class TestStore : public QObject {
    Q_OBJECT

private:
    StoreFixture f;

    QList<qint64> walk(MessageQuery q, QList<qint64>* pageSizes = nullptr) {
        QList<qint64> ids;
        MessageStore store(*f.conn);
        for (int guard = 0; guard < 10000; ++guard) {
            auto page = store.page(q);
            if (!page) {
                qWarning() << page.error().oneLine();
                return {};
            }
            for (const Message& m : page->messages)
                ids << m.id;
            if (pageSizes)
                *pageSizes << page->messages.size();
            if (!page->hasMore)
                break;
            q.after = page->nextCursor;
        }
        return ids;
    }

private Q_SLOTS:
    void initTestCase() {
        const QString why = f.init(QStringLiteral("store"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void sessionsCreateGetListDeactivate() {
        SessionStore sessions(*f.conn);
        auto id = sessions.create("Plan the release", "claude-main", R"({"b":1,"a":[true]})");
        QVERIFY2(id.has_value(), id ? "" : qPrintable(id.error().oneLine()));
        QVERIFY(SessionStore::isValidId(*id));
        QVERIFY(f.add(*id, "claude-main", "one") > 0);
        QVERIFY(f.add(*id, "gemini", "two") > 0);
        auto got = sessions.get(*id);
        QVERIFY(got.has_value());
        QCOMPARE(got->purpose, QString("Plan the release"));
        QCOMPARE(got->createdBy, QString("claude-main"));
        QVERIFY(got->active);
        QCOMPARE(got->messageCount, 2);
        QCOMPARE(got->agents, QStringList({"claude-main", "gemini"}));
        QCOMPARE(got->metadataJson.remove(' '), QString(R"({"a":[true],"b":1})"));
        QVERIFY(got->createdAt.has_value());
        QVERIFY(got->lastActivity >= got->createdAt);
        auto list = sessions.list();
        QVERIFY(list.has_value());
        QCOMPARE(list->first().id, *id); // newest activity first
        QVERIFY(sessions.deactivate(*id).has_value());
        QVERIFY(!sessions.get(*id)->active);
    }

    // The inspector's list comes in two reads: counts and last activity (from an index
    // where there is one), then the agents (a pass over the table on a legacy file).
    // Both give the same counts and times; an index that holds only some rows (partial)
    // must not be the one the counts are read from.
    void listCountsWithoutAgents() {
        SessionStore sessions(*f.conn);
        auto a = sessions.create("counts a", "claude-main");
        auto b = sessions.create("counts b", "gemini");
        QVERIFY(a && b);
        for (int i = 0; i < 3; ++i)
            QVERIFY(f.add(*a, i == 2 ? "gemini" : "claude-main", QString("a%1").arg(i)) > 0);
        QVERIFY(f.add(*b, "gemini", "b0") > 0);
        if (f.conn->engine() == Engine::Sqlite)
            QVERIFY(f.conn->exec("CREATE INDEX IF NOT EXISTS a_partial_session_time ON messages "
                                 "(session_id, \"timestamp\") WHERE sender = 'gemini'"));
        auto counted = sessions.list(1000, SessionDetail::CountsOnly);
        QVERIFY2(counted, counted ? "" : qPrintable(counted.error().oneLine()));
        auto full = sessions.list(1000, SessionDetail::WithAgents);
        QVERIFY(full.has_value());
        QCOMPARE(counted->size(), full->size());
        for (qsizetype i = 0; i < full->size(); ++i) {
            QCOMPARE(counted->at(i).id, full->at(i).id);
            QCOMPARE(counted->at(i).messageCount, full->at(i).messageCount);
            QCOMPARE(counted->at(i).lastActivity, full->at(i).lastActivity);
            QVERIFY(counted->at(i).agents.isEmpty());
        }
        auto byId = [](const QList<SessionInfo>& list, const QString& id) {
            return *std::find_if(list.begin(), list.end(),
                                 [&](const SessionInfo& s) { return s.id == id; });
        };
        QCOMPARE(byId(*counted, *a).messageCount, 3);
        QCOMPARE(byId(*counted, *b).messageCount, 1);
        QCOMPARE(byId(*full, *a).agents, QStringList({"claude-main", "gemini"}));
        if (f.conn->engine() == Engine::Sqlite)
            QVERIFY(f.conn->exec("DROP INDEX a_partial_session_time"));
    }

    void sessionErrorsWriteNothing() {
        SessionStore sessions(*f.conn);
        const qint64 before = f.count("sessions");
        QCOMPARE(sessions.create("  ", "x").error().code, ErrorCode::InvalidArgument);
        QCOMPARE(sessions.create("p", "").error().code, ErrorCode::InvalidArgument);
        QCOMPARE(sessions.create("p", "x", "{bad").error().code, ErrorCode::InvalidArgument);
        QCOMPARE(sessions.create("p", "x", "[1]").error().code, ErrorCode::InvalidArgument);
        QCOMPARE(f.count("sessions"), before);
        QCOMPARE(sessions.get("session_XYZ").error().code, ErrorCode::InvalidArgument);
        QCOMPARE(sessions.get("session_0000000000000000").error().code, ErrorCode::NotFound);
        QCOMPARE(sessions.deactivate("session_0000000000000000").error().code, ErrorCode::NotFound);
        QVERIFY(!sessions.get("session_0000000000000000").error().subject.isEmpty());
    }

    void messageAddAndErrors() {
        const QString s = f.newSession();
        MessageStore store(*f.conn);
        NewMessage ok;
        ok.sessionId = s;
        ok.sender = "claude-main";
        ok.senderType = "claude";
        ok.content = QString(100000, QChar('x'));
        ok.metadataJson = R"({"model": "opus"})";
        auto id = store.add(ok);
        QVERIFY2(id.has_value(), id ? "" : qPrintable(id.error().oneLine()));
        auto m = store.get(*id);
        QVERIFY(m.has_value());
        QCOMPARE(m->content.size(), 100000);
        QCOMPARE(m->senderType, QString("claude"));
        QCOMPARE(m->metadataJson.remove(' '), QString(R"({"model":"opus"})"));
        QVERIFY(m->timestamp.has_value());
        QVERIFY(qAbs(*m->timestamp - QDateTime::currentMSecsSinceEpoch() * 1000) < 600000000LL);

        const qint64 before = f.count("messages");
        struct Case {
            const char* what;
            std::function<void(NewMessage&)> change;
            ErrorCode code;
        };
        const QList<Case> cases{
            {"bad session id", [](NewMessage& n) { n.sessionId = "session_1"; },
             ErrorCode::InvalidArgument},
            {"unknown session", [](NewMessage& n) { n.sessionId = "session_00000000000000ff"; },
             ErrorCode::NotFound},
            {"too long", [](NewMessage& n) { n.content = QString(100001, QChar('y')); },
             ErrorCode::InvalidArgument},
            {"empty", [](NewMessage& n) { n.content = " \n"; }, ErrorCode::InvalidArgument},
            {"visibility", [](NewMessage& n) { n.visibility = "secret"; },
             ErrorCode::InvalidArgument},
            {"bad json", [](NewMessage& n) { n.metadataJson = "{\"a\":"; },
             ErrorCode::InvalidArgument},
            {"json array", [](NewMessage& n) { n.metadataJson = "[1,2]"; },
             ErrorCode::InvalidArgument},
            {"no sender", [](NewMessage& n) { n.sender = ""; }, ErrorCode::InvalidArgument},
            {"unknown parent", [](NewMessage& n) { n.parentId = 987654321; }, ErrorCode::NotFound},
        };
        for (const Case& c : cases) {
            NewMessage n = ok;
            n.content = "fine";
            c.change(n);
            auto r = store.add(n);
            QVERIFY2(!r.has_value(), c.what);
            QCOMPARE(r.error().code, c.code);
            QVERIFY2(!r.error().message.isEmpty(), c.what);
        }
        QCOMPARE(f.count("messages"), before);
        QCOMPARE(store.get(987654321).error().code, ErrorCode::NotFound);
    }

    void visibilityPerAgentAndAdmin() {
        const QString s = f.newSession();
        const qint64 pub = f.add(s, "a", "public by a");
        const qint64 privA = f.add(s, "a", "private by a", "private");
        const qint64 onlyA = f.add(s, "a", "agent_only by a", "agent_only");
        const qint64 privB = f.add(s, "b", "private by b", "private");
        const qint64 admin = f.add(s, "b", "admin only", "admin_only");
        MessageQuery q;
        q.sessionId = s;
        q.viewer = Viewer::asAdmin();
        QCOMPARE(walk(q), QList<qint64>({pub, privA, onlyA, privB, admin}));
        q.viewer = Viewer::asAgent("a");
        QCOMPARE(walk(q), QList<qint64>({pub, privA, onlyA}));
        q.viewer = Viewer::asAgent("b");
        QCOMPARE(walk(q), QList<qint64>({pub, privB}));
        q.viewer = Viewer::asAgent("c");
        QCOMPARE(walk(q), QList<qint64>({pub}));
        auto page = MessageStore(*f.conn).page(q);
        QCOMPARE(page->total, 1);
        // Totals agree with the rows a walk returns, also for a row without visibility
        // (legacy files hold them); PostgreSQL counts an admin's view value by value.
        QVERIFY(f.conn
                    ->exec("INSERT INTO messages (session_id, sender, content, visibility) "
                           "VALUES (?, 'a', 'no visibility', NULL)",
                           {s})
                    .has_value());
        for (const Viewer& v : {Viewer::asAdmin(), Viewer::asAgent("a"), Viewer::asAgent("b")}) {
            q.viewer = v;
            QCOMPARE(MessageStore(*f.conn).page(q)->total, walk(q).size());
        }
        q.viewer = Viewer::asAdmin();
        QCOMPARE(MessageStore(*f.conn).page(q)->total, 6);
        q.viewer = Viewer::asAgent("");
        QCOMPARE(MessageStore(*f.conn).page(q).error().code, ErrorCode::InvalidArgument);
    }

    void pagingWalksEveryRowOnce() {
        const QString s = f.newSession();
        QList<qint64> expected;
        for (int i = 0; i < 137; ++i)
            expected << f.add(s, i % 3 ? "a" : "b", QStringLiteral("message %1").arg(i));
        MessageQuery q;
        q.sessionId = s;
        q.limit = 10;
        QList<qint64> sizes;
        QCOMPARE(walk(q, &sizes), expected);
        QCOMPARE(sizes.size(), 14);
        QCOMPARE(sizes.last(), 7);
        auto first = MessageStore(*f.conn).page(q);
        QCOMPARE(first->total, 137);
        QVERIFY(first->hasMore);
        q.limit = 1000;
        auto all = MessageStore(*f.conn).page(q);
        QCOMPARE(all->messages.size(), 137);
        QVERIFY(!all->hasMore);
        // newest first
        q.limit = 25;
        q.fromEnd = true;
        QList<qint64> reversed = expected;
        std::reverse(reversed.begin(), reversed.end());
        QCOMPARE(walk(q), reversed);
        // filters
        q.fromEnd = false;
        q.filter.sender = "b";
        const QList<qint64> byB = walk(q);
        QCOMPARE(byB.size(), 46);
        QCOMPARE(MessageStore(*f.conn).page(q)->total, 46);
    }

    void pagingErrors() {
        MessageStore store(*f.conn);
        MessageQuery q;
        q.sessionId = f.newSession();
        for (int bad : {0, -1, 1001}) {
            q.limit = bad;
            QCOMPARE(store.page(q).error().code, ErrorCode::InvalidArgument);
        }
        q.limit = 1000;
        QVERIFY(store.page(q).has_value());
        q.after = "not a cursor!";
        QCOMPARE(store.page(q).error().code, ErrorCode::InvalidArgument);
        q.after.clear();
        q.sessionId = "session_0000000000000000";
        QCOMPARE(store.page(q).error().code, ErrorCode::NotFound);
        q.sessionId = "nope";
        QCOMPARE(store.page(q).error().code, ErrorCode::InvalidArgument);
    }

    // count() answers what page()'s total does, without a page: for each viewer and a
    // filter, whatever the limit, cursor or direction; an unknown session is an error.
    void countWithoutAPage() {
        const QString s = f.newSession();
        for (int i = 0; i < 41; ++i)
            f.add(s, i % 2 ? "a" : "b", QStringLiteral("m %1").arg(i),
                  i % 3 == 0 ? "private" : (i % 5 == 0 ? "admin_only" : "public"));
        MessageStore store(*f.conn);
        MessageQuery q;
        q.sessionId = s;
        for (const Viewer& v : {Viewer::asAdmin(), Viewer::asAgent("a"), Viewer::asAgent("b")}) {
            for (const QString& sender : {QString(), QStringLiteral("a")}) {
                q.viewer = v;
                q.filter.sender = sender;
                q.limit = 5;
                q.fromEnd = false;
                auto counted = store.count(q);
                QVERIFY2(counted, qPrintable(counted ? QString() : counted.error().oneLine()));
                QCOMPARE(*counted, qint64(walk(q).size()));
                QCOMPARE(*counted, store.page(q)->total);
                q.fromEnd = true;
                q.limit = 1000;
                QCOMPARE(*store.count(q), *counted);
            }
        }
        q = MessageQuery{};
        q.sessionId = s;
        q.filter.sender = "nobody";
        QCOMPARE(*store.count(q), qint64(0));
        q.sessionId = "session_0000000000000000";
        QCOMPARE(store.count(q).error().code, ErrorCode::NotFound);
        q.sessionId = "nope";
        QCOMPARE(store.count(q).error().code, ErrorCode::InvalidArgument);
        q.sessionId = s;
        q.viewer = Viewer::asAgent("");
        QCOMPARE(store.count(q).error().code, ErrorCode::InvalidArgument);
    }

    void pagingTiesNullsAndTimeRange() {
        const QString s = f.newSession();
        const qint64 t0 = 1755691200000000LL; // 2025-08-20 12:00:00 UTC
        QList<qint64> expectedValues;
        for (int i = 0; i < 5; ++i) // identical timestamps: the id breaks the tie
            expectedValues << f.addAt(s, t0, QStringLiteral("tie %1").arg(i));
        expectedValues << f.addAt(s, t0 + 1, "later by a microsecond");
        const qint64 early = f.addAt(s, t0 - 3600000000LL, "an hour earlier");
        expectedValues.prepend(early);
        QList<qint64> nulls{f.addAt(s, std::nullopt, "no time 1"),
                            f.addAt(s, std::nullopt, "no time 2")};
        const bool nullsFirst = f.conn->dialect().nullsFirstInAscendingOrder();
        const QList<qint64> expected = nullsFirst ? nulls + expectedValues : expectedValues + nulls;
        MessageQuery q;
        q.sessionId = s;
        q.limit = 2;
        QCOMPARE(walk(q), expected);
        q.fromEnd = true;
        QList<qint64> reversed = expected;
        std::reverse(reversed.begin(), reversed.end());
        QCOMPARE(walk(q), reversed);
        q.fromEnd = false;
        q.filter.since = t0;
        q.filter.until = t0 + 1;
        QCOMPARE(walk(q), expectedValues.mid(1, 5));
        QCOMPARE(MessageStore(*f.conn).page(q)->total, 5);
        auto m = MessageStore(*f.conn).get(expectedValues[1]);
        QCOMPARE(*m->timestamp, t0);
    }

    void anchorsJumpToAnyRow() {
        const QString s = f.newSession();
        QList<qint64> ids;
        for (int i = 0; i < 53; ++i)
            ids << f.add(s, "a", QStringLiteral("row %1").arg(i));
        MessageStore store(*f.conn);
        MessageQuery q;
        q.sessionId = s;
        auto anchors = store.anchors(q, 10);
        QVERIFY(anchors.has_value());
        QCOMPARE(anchors->size(), 6); // "", then after rows 9, 19, 29, 39, 49
        for (int row : {0, 10, 27, 50, 52}) {
            q.after = anchors->at(row / 10);
            q.limit = row % 10 + 1;
            auto page = store.page(q);
            QVERIFY(page.has_value());
            QCOMPARE(page->messages.last().id, ids[row]);
        }
        QCOMPARE(store.anchors(q, 0).error().code, ErrorCode::InvalidArgument);
        q.after.clear();
        q.fromEnd = true;
        auto back = store.anchors(q, 10);
        q.after = back->at(1);
        q.limit = 1;
        QCOMPARE(store.page(q)->messages.first().id, ids[52 - 10]);
    }

    void threadShowsAncestorsAndReplies() {
        const QString s = f.newSession();
        const qint64 root = f.add(s, "a", "root");
        const qint64 child = f.add(s, "b", "child", "public", root);
        const qint64 grandchild = f.add(s, "a", "grandchild", "public", child);
        const qint64 secret = f.add(s, "b", "b's private reply", "private", child);
        const qint64 deeper = f.add(s, "a", "reply to the secret", "public", secret);
        f.add(s, "a", "unrelated");
        MessageStore store(*f.conn);
        auto t = store.thread(child, Viewer::asAdmin());
        QVERIFY(t.has_value());
        QCOMPARE(t->ancestors.size(), 1);
        QCOMPARE(t->ancestors.first().id, root);
        QCOMPARE(t->message.id, child);
        QList<qint64> replies;
        for (const Message& m : t->replies)
            replies << m.id;
        QCOMPARE(replies, QList<qint64>({grandchild, secret, deeper}));
        auto asA = store.thread(child, Viewer::asAgent("a"));
        replies.clear();
        for (const Message& m : asA->replies)
            replies << m.id;
        QCOMPARE(replies, QList<qint64>({grandchild, deeper}));
        QCOMPARE(store.thread(secret, Viewer::asAgent("a")).error().code, ErrorCode::NotFound);
        auto up = store.thread(deeper, Viewer::asAgent("a"));
        QCOMPARE(up->ancestors.size(), 2); // root and child; the secret is skipped
        QCOMPARE(store.thread(123456789, Viewer::asAdmin()).error().code, ErrorCode::NotFound);
    }

    // "View as" is one rule for every reader the inspector uses: the message pane's
    // get(), the thread and the activity chart see exactly the rows of the list.
    void everyReaderAppliesTheListsVisibility() {
        const QString s = f.newSession();
        const qint64 root = f.add(s, "a", "root by a");
        const qint64 privB = f.add(s, "b", "b's private reply", "private", root);
        const qint64 onlyB = f.add(s, "b", "b's agent_only reply", "agent_only", root);
        const qint64 admin = f.add(s, "admin", "admin_only reply", "admin_only", root);
        const qint64 privA = f.add(s, "a", "a's private reply", "private", root);
        MessageStore store(*f.conn);
        const Viewer asA = Viewer::asAgent("a");
        QCOMPARE(walk([&] {
                     MessageQuery q;
                     q.sessionId = s;
                     q.viewer = asA;
                     return q;
                 }()),
                 QList<qint64>({root, privA}));
        // get(): a hidden message answers exactly as a missing one.
        for (qint64 hidden : {privB, onlyB, admin}) {
            auto m = store.get(hidden, asA);
            QVERIFY(!m.has_value());
            QCOMPARE(m.error().code, ErrorCode::NotFound);
            QCOMPARE(m.error().message, QStringLiteral("no message %1").arg(hidden));
            QCOMPARE(store.get(987654321, asA).error().message, QString("no message 987654321"));
            QVERIFY(store.get(hidden, Viewer::asAdmin()).has_value());
        }
        QCOMPARE(store.get(privA, asA)->content, QString("a's private reply"));
        QCOMPARE(store.get(privB, Viewer::asAgent("b"))->id, privB);
        QCOMPARE(store.get(root, Viewer::asAgent("")).error().code, ErrorCode::InvalidArgument);
        // The thread of the root lists only what a may see.
        const auto thread = store.thread(root, asA);
        QVERIFY(thread.has_value());
        QList<qint64> replies;
        for (const Message& m : thread->replies)
            replies << m.id;
        QCOMPARE(replies, QList<qint64>({privA}));
        // Activity counts only what the viewer may see, per session and database-wide.
        auto total = [&](const QString& session, const Viewer& v) -> qint64 {
            auto a = ActivityStats::messagesPerHour(*f.conn, session, v, 48);
            return a ? a->total : -1;
        };
        QCOMPARE(total(s, Viewer::asAdmin()), 5);
        QCOMPARE(total(s, asA), 2);
        QCOMPARE(total(s, Viewer::asAgent("b")), 3);
        QCOMPARE(total(s, Viewer::asAgent("nobody")), 1);
        auto perAgent = ActivityStats::messagesPerHour(*f.conn, s, asA, 48);
        QVERIFY(perAgent.has_value());
        QCOMPARE(perAgent->agents, QStringList({"a"})); // no "b", no "admin"
        QVERIFY(total({}, asA) < total({}, Viewer::asAdmin()));
        QVERIFY(!ActivityStats::messagesPerHour(*f.conn, s, Viewer::asAgent(" "), 48));
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
