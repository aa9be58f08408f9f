// Search on the engine under test: ranked hits over content, sender and metadata
// values, visibility, the scan without an index, and (SQLite) the FTS5 index in the
// database or in a side cache file for read-only sources.
#include "tst_store_fixture.h"

#include "core/store/PgScanTuning.h"
#include "core/store/SqliteFtsBuilder.h"

#include <QDir>

using namespace ctx;
using namespace ctx::test;

class TestStoreSearch : public QObject {
    Q_OBJECT

private:
    StoreFixture f;
    QTemporaryDir m_cache;
    QString m_session;
    qint64 m_once = 0, m_thrice = 0, m_meta = 0, m_private = 0, m_sender = 0;
    bool sqlite() const { return engineUnderTest() == Engine::Sqlite; }
    // The PostgreSQL full-text index is built by SearchIndex::prepare, not the schema;
    // start without it whatever the schema scripts hold.
    void dropPostgresIndex(StoreFixture& fixture) {
        if (!sqlite())
            QVERIFY(
                fixture.conn->exec("DROP INDEX IF EXISTS idx_messages_content_fts").has_value());
    }

    static QList<qint64> ids(const Result<QList<SearchHit>>& hits) {
        QList<qint64> out;
        if (!hits) {
            qWarning() << hits.error().oneLine();
            return out;
        }
        for (const SearchHit& h : *hits)
            out << h.message.id;
        return out;
    }
    static SearchQuery query(const QString& text, const Viewer& viewer = Viewer::asAdmin()) {
        SearchQuery q;
        q.text = text;
        q.viewer = viewer;
        return q;
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("XDG_CACHE_HOME", m_cache.path().toUtf8());
        const QString why = f.init(QStringLiteral("storesearch"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        dropPostgresIndex(f);
        m_session = f.newSession();
        m_once = f.add(m_session, "a", "A zebra crossing at noon");
        m_thrice = f.add(m_session, "a", "zebra, zebra and another zebra everywhere");
        m_meta = f.add(m_session, "b", "nothing relevant here", "public", std::nullopt,
                       R"({"ticket":"QX4711","tags":["alpha"]})");
        m_private = f.add(m_session, "b", "a private zebra note", "private");
        m_sender = f.add(m_session, "gemini-scout", "hello world");
        for (int i = 0; i < 30; ++i)
            f.add(m_session, "filler", QStringLiteral("filler text number %1").arg(i));
    }

    // Without an index every message is searched, newest first: a message older than the
    // server's window of 1000 is found (in every session and in its own), and a word in
    // most messages is answered from the newest ones, its ranking window said.
    void withoutIndexFindsMessagesBeyondTheNewest1000() {
        StoreFixture old;
        const QString why = old.init(QStringLiteral("scanall"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        dropPostgresIndex(old);
        const QString s = old.newSession();
        const QString other = old.newSession();
        const qint64 review = old.add(s, "planner", "Step 6: review the migration plan");
        const qint64 again = old.add(other, "planner", "step 6: Review again");
        for (int i = 0; i < 1500; ++i)
            old.add(s, "filler", QStringLiteral("common chatter %1").arg(i));
        SearchIndex index(*old.conn);
        QCOMPARE(index.method(), SearchMethod::FullScan);
        QCOMPARE(ids(index.search(query("Step 6: review"))), (QList<qint64>{again, review}));
        SearchQuery inSession = query("step 6: review");
        inSession.sessionId = s;
        QCOMPARE(ids(index.search(inSession)), QList<qint64>{review});
        QCOMPARE(index.lastRankWindow(), 0);
        SearchQuery common = query("chatter");
        common.limit = 10;
        const QList<qint64> newest = ids(index.search(common));
        QCOMPARE(newest.size(), 10);
        QCOMPARE(index.lastRankWindow(), 300);
        QVERIFY(newest.last() > again + 1500 - 300);
    }

    // Without an index a message matches exactly when the engine's own lower() finds
    // the text in its content, sender or metadata: on PostgreSQL a cheaper ASCII fold
    // runs first for text without i or k, and must never lose a match (the Kelvin sign
    // lowers to k and İ to i there; "ZeBrA" and accented text around the word).
    void withoutIndexMatchesAsTheEnginesLower() {
        StoreFixture db;
        const QString why = db.init(QStringLiteral("scanlower"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        dropPostgresIndex(db);
        const QString s = db.newSession();
        const QStringList contents{QStringLiteral("a ZeBrA crossing"),
                                   QStringLiteral("caf\u00e9 zebra\u2014stripes"),
                                   QStringLiteral("\u212Aoala in a tree"),
                                   QStringLiteral("KOALA and Koala"),
                                   QStringLiteral("\u0130nfo desk"),
                                   QStringLiteral("INFO: step 6: review"),
                                   QStringLiteral("z\u00e9bra is not zebra-less"),
                                   QStringLiteral("nothing here")};
        for (const QString& c : contents)
            db.add(s, "a", c);
        db.add(s, "ZEBRA-bot", "from a sender");
        db.add(s, "b", "in metadata", "public", std::nullopt, R"({"tag":"Koala"})");
        SearchIndex index(*db.conn);
        QCOMPARE(index.method(), SearchMethod::FullScan);
        const Dialect& d = db.conn->dialect();
        for (const QString needle :
             {"zebra", "ZEBRA", "koala", "info", "step 6: REVIEW", "\u00e9bra", "6:", "ala in"}) {
            auto expected = db.conn->exec(
                QStringLiteral("SELECT id FROM messages WHERE %1 OR %2 OR %3 ORDER BY id")
                    .arg(d.containsInsensitive("content"), d.containsInsensitive("sender"),
                         d.containsInsensitive("metadata")),
                {needle, needle, needle});
            QVERIFY(expected.has_value());
            QList<qint64> want;
            while (expected->next())
                want << expected->value(0).toLongLong();
            QList<qint64> got = ids(index.search(query(needle)));
            std::sort(got.begin(), got.end());
            QVERIFY2(!want.isEmpty(), qPrintable(needle));
            QVERIFY2(got == want, qPrintable(QStringLiteral("%1: %2 hits, the engine's lower() %3")
                                                 .arg(needle)
                                                 .arg(got.size())
                                                 .arg(want.size())));
        }
        // Where lower() folds the Kelvin sign to k (ICU, or a libc UTF-8 ctype; not the
        // C ctype of the default test database) the ASCII fold must not decide alone.
        auto folds = db.conn->scalar(QStringLiteral("SELECT lower(?) = 'k'"), {"\u212A"});
        QVERIFY(folds.has_value());
        QCOMPARE(ids(index.search(query("koala in"))).size(), folds->toBool() ? 1 : 0);
        QVERIFY(store::PgScanTuning::asciiFoldIsNecessary("zebra 6:"));
        QVERIFY(!store::PgScanTuning::asciiFoldIsNecessary("koala"));
        QVERIFY(!store::PgScanTuning::asciiFoldIsNecessary("Info"));
        QVERIFY(!store::PgScanTuning::asciiFoldIsNecessary("\u00e9bra"));
    }

    void withoutIndexScansEveryMessage() {
        SearchIndex index(*f.conn);
        QVERIFY(!index.isPrepared());
        QCOMPARE(index.method(), SearchMethod::FullScan);
        const QList<qint64> hits = ids(index.search(query("zebra")));
        QCOMPARE(hits.size(), 3);
        QCOMPARE(hits.first(), m_thrice); // most occurrences first
    }

    void rankedHitsOverContentSenderAndMetadata() {
        SearchIndex index(*f.conn);
        QVERIFY(index.prepare(true).has_value());
        QVERIFY(index.isPrepared());
        QCOMPARE(index.method(),
                 sqlite() ? SearchMethod::SqliteFts : SearchMethod::PostgresFullText);
        const QList<qint64> zebra = ids(index.search(query("zebra")));
        QCOMPARE(zebra.size(), 3);
        QCOMPARE(zebra.first(), m_thrice);
        QVERIFY(zebra.contains(m_once) && zebra.contains(m_private));
        auto hits = index.search(query("zebra"));
        QVERIFY(hits->first().rank > hits->last().rank);
        QVERIFY(hits->first().snippet.contains("zebra"));
        QCOMPARE(ids(index.search(query("QX4711"))), QList<qint64>({m_meta}));
        QCOMPARE(ids(index.search(query("gemini-scout"))), QList<qint64>({m_sender}));
        QCOMPARE(ids(index.search(query("crossing noon"))), QList<qint64>({m_once}));
        QVERIFY(ids(index.search(query("zebra crossing unicorn"))).isEmpty());
    }

    void visibilityAppliesToHits() {
        SearchIndex index(*f.conn);
        QVERIFY(index.prepare(true).has_value());
        QCOMPARE(ids(index.search(query("zebra", Viewer::asAgent("a")))).size(), 2);
        QCOMPARE(ids(index.search(query("zebra", Viewer::asAgent("b")))).size(), 3);
        SearchQuery other = query("zebra");
        other.sessionId = f.newSession();
        QVERIFY(ids(index.search(other)).isEmpty());
    }

    void newMessagesAreFoundAfterRefresh() {
        const qint64 late = f.add(m_session, "a", "a late quagga appears");
        SearchIndex index(*f.conn);
        QVERIFY(index.prepare(true).has_value());
        QCOMPARE(ids(index.search(query("quagga"))), QList<qint64>({late}));
    }

    // A word in more messages than the ranking window (SQLite 5,000): the newest matches are
    // ranked; a filter that leaves too few of them falls back to ranking every match,
    // so an old session's hits are still found.
    void commonWordsStayCompleteBeyondTheRankingWindow() {
        const QString old = f.newSession(QStringLiteral("old"));
        const QList<qint64> oldHits{f.add(old, "a", "wombat one"),
                                    f.add(old, "a", "wombat wombat two"),
                                    f.add(old, "a", "wombat three")};
        const QString crowd = f.newSession(QStringLiteral("crowd"));
        const QString bulk =
            sqlite() ? QStringLiteral(
                           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE "
                           "i < 10050) INSERT INTO messages (session_id, sender, content, "
                           "visibility, message_type, timestamp) SELECT ?, 'crowd', 'wombat "
                           "crowd ' || i, 'public', 'agent_response', 1767225600.0 + i FROM n")
                     : QStringLiteral("INSERT INTO messages (session_id, sender, content, "
                                      "visibility, message_type, timestamp) SELECT ?, 'crowd', "
                                      "'wombat crowd ' || i, 'public', 'agent_response', now() "
                                      "FROM generate_series(1, 10050) AS i");
        auto inserted = f.conn->exec(bulk, {crowd});
        QVERIFY2(inserted.has_value(), inserted ? "" : qPrintable(inserted.error().oneLine()));
        SearchIndex index(*f.conn);
        QVERIFY(index.prepare(true).has_value());
        SearchQuery all = query("wombat");
        all.limit = 50;
        const QList<qint64> crowdHits = ids(index.search(all));
        QCOMPARE(crowdHits.size(), 50);
        QVERIFY(index.lastRankWindow() > 0); // the caller can say only the newest were ranked
        QVERIFY(index.lastRankWindow() < 10053);
        // Every crowd message holds the word once: equal ranks, newest first, so the
        // window was walked from the newest message down.
        auto newest = f.conn->scalar("SELECT max(id) FROM messages");
        QVERIFY(newest.has_value());
        QCOMPARE(crowdHits.first(), newest->toLongLong());
        QVERIFY(crowdHits.first() > crowdHits.last());
        SearchQuery inOld = query("wombat");
        inOld.sessionId = old;
        const QList<qint64> found = ids(index.search(inOld));
        QCOMPARE(found.size(), 3);
        QCOMPARE(index.lastRankWindow(), 0); // every match of the old session was ranked
        QCOMPARE(found.first(), oldHits[1]); // two occurrences rank first
        for (qint64 id : oldHits)
            QVERIFY(found.contains(id));
    }

    // PostgreSQL reads the matches of a rare word through the GIN index and walks the
    // newest messages for a word in most of them; both give the newest matches ranked.
    void postgresPicksThePlanByExpectedMatches() {
        if (sqlite())
            QSKIP("PostgreSQL only: SQLite's FTS5 walks matches newest first itself");
        const QString herd = f.newSession(QStringLiteral("herd"));
        auto inserted = f.conn->exec(
            "INSERT INTO messages (session_id, sender, content, visibility, message_type, "
            "timestamp) SELECT ?, 'herd', 'capybara herd ' || i, 'public', 'agent_response', "
            "now() FROM generate_series(1, 40000) AS i",
            {herd});
        QVERIFY2(inserted.has_value(), inserted ? "" : qPrintable(inserted.error().oneLine()));
        // No ANALYZE here: building the index gathers the statistics the choice needs.
        dropPostgresIndex(f);
        SearchIndex index(*f.conn);
        QVERIFY(index.prepare(true).has_value());
        QVERIFY(!index.lastSearchUsedIndex().has_value());
        SearchQuery common = query("capybara");
        common.limit = 50;
        const QList<qint64> newest = ids(index.search(common));
        QCOMPARE(index.lastSearchUsedIndex(), std::optional<bool>(false));
        QCOMPARE(newest.size(), 50);
        auto last = f.conn->scalar("SELECT max(id) FROM messages");
        QVERIFY(last.has_value());
        QCOMPARE(newest.first(), last->toLongLong());
        const QList<qint64> rare = ids(index.search(query("capybara 31337")));
        QCOMPARE(index.lastSearchUsedIndex(), std::optional<bool>(true));
        QCOMPARE(rare.size(), 1);
        auto expected = f.conn->scalar("SELECT id FROM messages WHERE content = 'capybara herd "
                                       "31337'");
        QVERIFY(expected.has_value());
        QCOMPARE(rare.first(), expected->toLongLong());
    }

    void badQueriesAreErrors() {
        SearchIndex index(*f.conn);
        QCOMPARE(index.search(query("  ...  ")).error().code, ErrorCode::InvalidArgument);
        SearchQuery q = query("zebra");
        q.limit = 0;
        QCOMPARE(index.search(q).error().code, ErrorCode::InvalidArgument);
        q.limit = 5;
        q.sessionId = "bogus";
        QCOMPARE(index.search(q).error().code, ErrorCode::InvalidArgument);
    }

    // A search that cannot wait for the index: the newest messages until the deadline
    // (one range of ids at least), saying how far it read; and how far the index is
    // behind, read from the side cache without building anything.
    void newestFirstUntilTheDeadlineAndTheBacklog() {
        StoreFixture source;
        const QString why = source.init(QStringLiteral("backlog"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        dropPostgresIndex(source);
        const QString s = source.newSession();
        const qint64 early = source.add(s, "a", "an okapi at dawn");
        for (int i = 0; i < 4400; ++i)
            source.add(s, "filler", QStringLiteral("chatter %1").arg(i));
        const qint64 late = source.add(s, "b", "an okapi at dusk");
        auto reader = source.db->connect(true);
        QVERIFY(reader.has_value());
        SearchIndex index(**reader);
        QCOMPARE(index.backlog().value_or(-1), sqlite() ? late : 0);
        QVERIFY(!QFile::exists(store::SqliteFtsBuilder::cachePathFor(
            source.db->url().filePath(), SearchIndex::cacheDirectory()))); // nothing built

        QCOMPARE(ids(index.searchNewest(query("okapi"), QDeadlineTimer(0))), QList<qint64>({late}));
        QVERIFY(!index.lastScanWantsIndex()); // it read the newest range only
        SearchIndex::ScanReach reach = index.lastScanReach();
        QCOMPARE(reach.idsTotal, late - early + 1);
        QVERIFY2(reach.idsRead > 0 && reach.idsRead < late - early, "one range, not all");
        QVERIFY(!reach.everyMessage());
        QVERIFY(scanReachNote(reach.idsRead, reach.idsTotal).contains("newest"));
        QCOMPARE(ids(index.searchNewest(query("okapi"), QDeadlineTimer(QDeadlineTimer::Forever))),
                 (QList<qint64>{late, early}));
        QVERIFY(index.lastScanReach().everyMessage());
        // A rare word read past the newest range (the oldest message, in one query for
        // the rest): an index would answer it at once, and the note says how to get one.
        QCOMPARE(ids(index.search(query("okapi"))), (QList<qint64>{late, early}));
        QVERIFY(index.lastScanWantsIndex());
        QVERIFY(indexAdviceNote(source.conn->engine())
                    .contains(sqlite() ? "search index" : "CREATE INDEX"));
        SearchQuery common = query("chatter"); // answered from the newest range
        common.limit = 5;
        QCOMPARE(ids(index.search(common)).size(), 5);
        QVERIFY(!index.lastScanWantsIndex());
        if (!sqlite())
            return;
        QVERIFY(index.prepare(false).has_value());
        QCOMPARE(index.backlog().value_or(-1), 0);
        SearchIndex another(**reader); // a new window: the side cache is complete
        QCOMPARE(another.backlog().value_or(-1), 0);
        source.add(s, "c", "one more");
        source.add(s, "c", "and another");
        QCOMPARE(another.backlog().value_or(-1), 2);
    }

    // SQLite ranks the newest matches with ctx_rank (bm25 with each word's frequency
    // estimated from its newest matches, not counted over the whole index): a rare word
    // weighs more than a common one, as in bm25, and the order is bm25's.
    void rankedAsBm25WithoutReadingWholeDoclists() {
        if (!sqlite())
            QSKIP("SQLite's FTS5 ranking");
        StoreFixture db;
        const QString why = db.init(QStringLiteral("rank"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        const QString s = db.newSession();
        const qint64 manyCommon = db.add(s, "a", "alpha beta beta beta");
        const qint64 twiceRare = db.add(s, "a", "alpha alpha beta");
        for (int i = 0; i < 1200; ++i) // a common word: its frequency is estimated
            db.add(s, "filler", QStringLiteral("beta gamma %1").arg(i));
        SearchIndex index(*db.conn);
        QVERIFY(index.prepare(true).has_value());
        QCOMPARE(index.method(), SearchMethod::SqliteFts);
        auto hits = index.search(query("alpha beta"));
        QCOMPARE(ids(hits), (QList<qint64>{twiceRare, manyCommon}));
        auto bm25 = db.conn->exec(
            "SELECT rowid, bm25(ctx_messages_fts) FROM ctx_messages_fts WHERE ctx_messages_fts "
            "MATCH '\"alpha\" \"beta\"' ORDER BY bm25(ctx_messages_fts)");
        QVERIFY(bm25.has_value());
        QList<qint64> order;
        while (bm25->next())
            order << bm25->value(0).toLongLong();
        QCOMPARE(ids(hits), order);
        // A rare word alone: counted exactly, so the score is bm25's own.
        auto rare = index.search(query("alpha"));
        QVERIFY(rare.has_value() && rare->size() == 2);
        auto exact = db.conn->scalar(
            "SELECT bm25(ctx_messages_fts) FROM ctx_messages_fts WHERE ctx_messages_fts MATCH "
            "'\"alpha\"' AND rowid = ?",
            {twiceRare});
        QVERIFY(exact.has_value());
        QVERIFY2(
            qAbs(rare->first().rank + exact->toDouble()) < 1e-9,
            qPrintable(QStringLiteral("%1 vs %2").arg(rare->first().rank).arg(-exact->toDouble())));
    }

    // A read-only source: SQLite keeps the index in a side cache file and never
    // writes the source; PostgreSQL needs nothing prepared.
    void readOnlySourceUsesSideCache() {
        StoreFixture source;
        const QString why = source.init(QStringLiteral("searchro"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        const QString s = source.newSession();
        dropPostgresIndex(source);
        const qint64 first = source.add(s, "a", "okapi sighting in the forest");
        auto reader = source.db->connect(true);
        QVERIFY(reader.has_value());
        SearchIndex index(**reader);
        qint64 lastTotal = -1;
        index.setProgress([&](qint64, qint64 total) { lastTotal = total; });
        QVERIFY2(index.prepare(false).has_value(), "prepare");
        if (!sqlite()) { // read-only: no index can be made; the bounded scan answers
            QCOMPARE(index.method(), SearchMethod::FullScan);
            QCOMPARE(ids(index.search(query("okapi"))), QList<qint64>({first}));
            QVERIFY(index.prepare(true).has_value()); // allowed, but the source is read-only
            QCOMPARE(index.method(), SearchMethod::FullScan);
            return;
        }
        QCOMPARE(index.method(), SearchMethod::SqliteFtsCache);
        QCOMPARE(lastTotal, 1);
        QVERIFY(!source.conn->tableExists("ctx_messages_fts"));
        const QString cacheFile = store::SqliteFtsBuilder::cachePathFor(
            source.db->url().filePath(), SearchIndex::cacheDirectory());
        QVERIFY(cacheFile.startsWith(m_cache.path()));
        QVERIFY(QFile::exists(cacheFile));
        QCOMPARE(ids(index.search(query("okapi"))), QList<qint64>({first}));
        const qint64 second = source.add(s, "b", "another okapi");
        QVERIFY(index.prepare(false).has_value()); // only the new row is indexed
        QCOMPARE(lastTotal, 1);
        QCOMPARE(ids(index.search(query("okapi"))).size(), 2);
        QVERIFY(ids(index.search(query("okapi"))).contains(second));
    }
};

QTEST_GUILESS_MAIN(TestStoreSearch)
#include "tst_store_search.moc"
