// Legacy files of every version, opened read-only, through the store: sessions,
// pages with visibility, threads, memory without expired entries, audit, tokens,
// search (bounded scan, then the side cache) and health; the file is unchanged after.
#include "core/store/Store.h"
#include "support/LegacyFixtures.h"

#include <QDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestStoreLegacy : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_cache;

    static QList<qint64> walk(MessageStore& store, MessageQuery q) {
        QList<qint64> ids;
        for (int guard = 0; guard < 100; ++guard) {
            auto page = store.page(q);
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

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid() && m_cache.isValid());
        qputenv("XDG_CACHE_HOME", m_cache.path().toUtf8());
    }

    void everyVersionReadsReadOnly_data() {
        QTest::addColumn<int>("version");
        QTest::addColumn<int>("schema");
        QTest::newRow("1") << int(LegacyVersion::V1) << 1;
        QTest::newRow("2") << int(LegacyVersion::V2) << 2;
        QTest::newRow("2altered") << int(LegacyVersion::V2Altered) << 2;
        QTest::newRow("3a") << int(LegacyVersion::V3a) << 3;
        QTest::newRow("3b") << int(LegacyVersion::V3b) << 3;
    }

    void everyVersionReadsReadOnly() {
        QFETCH(int, version);
        QFETCH(int, schema);
        const auto v = LegacyVersion(version);
        const QString path = m_dir.filePath(QStringLiteral("legacy_%1.db").arg(version));
        QVERIFY(writeLegacyFile(path, v).has_value());
        const FileFingerprint before = FileFingerprint::of(path);
        const QStringList filesBefore = QDir(m_dir.path()).entryList(QDir::Files);
        {
            auto conn = Connection::open(DatabaseUrl::sqliteFile(path), {});
            QVERIFY(conn.has_value());
            QVERIFY((*conn)->isReadOnly());
            const Connection& c = **conn;

            auto sessions = SessionStore(c).list();
            QVERIFY2(sessions.has_value(), sessions ? "" : qPrintable(sessions.error().oneLine()));
            QCOMPARE(sessions->size(), fixture::kSessions);
            auto counted = SessionStore(c).list(1000, SessionDetail::CountsOnly);
            QVERIFY2(counted.has_value(), counted ? "" : qPrintable(counted.error().oneLine()));
            QCOMPARE(counted->size(), fixture::kSessions);
            for (qsizetype i = 0; i < counted->size(); ++i) {
                QCOMPARE(counted->at(i).id, sessions->at(i).id);
                QCOMPARE(counted->at(i).messageCount, sessions->at(i).messageCount);
                QCOMPARE(counted->at(i).lastActivity, sessions->at(i).lastActivity);
            }
            auto a = SessionStore(c).get(fixture::kSessionA);
            QVERIFY(a.has_value());
            QCOMPARE(a->messageCount, 5);
            QCOMPARE(a->agents, QStringList({"admin-console", "claude-main", "gemini-research"}));
            QVERIFY(a->createdAt.has_value());
            QVERIFY(!SessionStore(c).get(fixture::kSessionB)->active == false);

            MessageStore messages(c);
            MessageQuery q;
            q.sessionId = fixture::kSessionA;
            q.limit = 1;
            const QList<qint64> all = walk(messages, q);
            QCOMPARE(all.size(), 5); // every row once across mixed timestamp shapes
            QCOMPARE(QSet<qint64>(all.begin(), all.end()).size(), 5);
            QCOMPARE(messages.page(q)->total, 5);
            q.viewer = Viewer::asAgent("claude-main");
            QList<qint64> claude = walk(messages, q);
            std::sort(claude.begin(), claude.end());
            QCOMPARE(claude, QList<qint64>({1, 2, 3}));
            q.viewer = Viewer::asAgent("gemini-research");
            QList<qint64> gemini = walk(messages, q);
            std::sort(gemini.begin(), gemini.end());
            QCOMPARE(gemini, QList<qint64>({1, 2, 4}));
            auto first = messages.get(1);
            QCOMPARE(*first->timestamp, 1735689700500000LL);
            QCOMPARE(first->senderType,
                     v == LegacyVersion::V1 ? QString("generic") : QString("claude"));
            QCOMPARE(*messages.get(2)->timestamp, 1735689900000000LL);
            QCOMPARE(*messages.get(3)->timestamp, 1735689960000000LL);
            auto anchors = messages.anchors(q, 2);
            QVERIFY(anchors.has_value());

            auto thread = messages.thread(2, Viewer::asAdmin());
            QVERIFY(thread.has_value());
            QCOMPARE(thread->ancestors.size(), 1);
            QCOMPARE(thread->ancestors.first().id, 1);
            QCOMPARE(thread->replies.size(), 1);
            QCOMPARE(thread->replies.first().id, 3);

            MemoryStore memory(c);
            auto entries = memory.list({});
            QVERIFY(entries.has_value());
            QStringList keys;
            for (const MemoryEntry& e : *entries)
                keys << e.key;
            QCOMPARE(keys, QStringList({"global.pref", "task.state"})); // expired: never
            auto pref = memory.get("claude-main", "global.pref");
            QCOMPARE((*pref)->value, QString(R"({"theme":"dark"})"));
            QVERIFY(!memory.get("gemini-research", "cache.ttl")->has_value());
            QVERIFY(!memory.get("gemini-research", "expired.key", fixture::kSessionA)->has_value());

            auto audit = AuditStore(c).query({});
            QCOMPARE(audit->size(), fixture::kAudit);
            for (const AuditEvent& e : *audit)
                QVERIFY(e.timestamp.has_value());

            auto tokens = TokenStore(c).list();
            QVERIFY(tokens.has_value());
            const bool hasTokens = v == LegacyVersion::V3a || v == LegacyVersion::V3b;
            QCOMPARE(tokens->size(), hasTokens ? fixture::kTokens : 0);
            if (hasTokens) {
                QCOMPARE(tokens->at(0).byteLength, 12);
                QCOMPARE(tokens->at(1).byteLength, 1);
                QVERIFY(tokens->at(0).expired);
            }

            SearchIndex index(c);
            SearchQuery s;
            s.text = "hello";
            auto scanned = index.search(s);
            QCOMPARE(index.method(), SearchMethod::FullScan);
            QCOMPARE(scanned->size(), 1);
            QVERIFY(index.prepare(false).has_value());
            QCOMPARE(index.method(), SearchMethod::SqliteFtsCache);
            auto indexed = index.search(s);
            QCOMPARE(indexed->size(), 1);
            QCOMPARE(indexed->first().message.id, 1);
            s.text = "gemini-research";           // a sender
            QCOMPARE(index.search(s)->size(), 2); // messages 2 and 4

            auto health = StoreMaintenance(c).health();
            QVERIFY(health.has_value());
            QCOMPARE(health->schemaVersion, schema);
            QCOMPARE(health->rowCounts.size(), hasTokens ? 5 : 4);

            // Writes are refused on a read-only source, as values.
            NewMessage m;
            m.sessionId = fixture::kSessionA;
            m.sender = "x";
            m.content = "y";
            QVERIFY(!messages.add(m).has_value());
            QVERIFY(!StoreMaintenance(c).cleanup({}).has_value());
        }
        QVERIFY(FileFingerprint::of(path) == before);
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), filesBefore);
    }

    void rowsOnlyInTheWalAreRead() {
        const QString path = m_dir.filePath("wal_only.db");
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3b).has_value());
        QVERIFY(execSqlIntoWalOnly(
                    path, {QStringLiteral("INSERT INTO messages (id, session_id, sender, "
                                          "sender_type, content, timestamp) VALUES (7, '%1', "
                                          "'late', 'generic', 'only in the wal', 1755691300.0)")
                               .arg(fixture::kSessionB)})
                    .has_value());
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path), {});
        QVERIFY(conn.has_value());
        MessageStore messages(**conn);
        MessageQuery q;
        q.sessionId = fixture::kSessionB;
        auto page = messages.page(q);
        QVERIFY(page.has_value());
        QCOMPARE(page->total, 2);
        QCOMPARE(page->messages.last().content, QString("only in the wal"));
    }
};

QTEST_GUILESS_MAIN(TestStoreLegacy)
#include "tst_store_legacy.moc"
