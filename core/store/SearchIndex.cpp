#include "Fts5Rank.h"
#include "MessageRows.h"
#include "MessageScan.h"
#include "MessageValidation.h"
#include "SqliteFtsBuilder.h"
#include "Store.h"
#include "StoreValues.h"
#include "core/transfer/PgLink.h"

#include <QDir>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <algorithm>
#include <cmath>
#include <libpq-fe.h>

namespace ctx {

using namespace store;

namespace {

constexpr const char* kCacheSchema = "ctxfts";
constexpr const char* kPostgresIndex = "idx_messages_content_fts";
constexpr int kRankWindow = 5000;        // matches ranked before the exhaustive fallback
constexpr int kPostgresRankWindow = 300; // newest matches ranked on PostgreSQL
constexpr int kScanRankWindow = 300;     // newest matches ranked without an index

Status validateSearch(const Connection& conn, const SearchQuery& query, const QStringList& words) {
    if (words.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the search text has no words to look for"), conn.subject());
    if (query.limit < 1 || query.limit > kMaxPageSize)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("limit must be between 1 and %1, got %2")
                        .arg(kMaxPageSize)
                        .arg(query.limit),
                    conn.subject());
    if (!query.sessionId.isEmpty() && !SessionStore::isValidId(query.sessionId))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("invalid session id '%1'").arg(query.sessionId.left(80)),
                    conn.subject());
    if (auto ok = validateViewer(query.viewer); !ok)
        return std::unexpected(ok.error().withSubject(conn.subject()));
    return {};
}

// Whether PostgreSQL should read a search's matches through the GIN index. Only the
// newest `window` matches are ranked, and two plans find them; left alone, the planner
// picks the wrong one for words of middling frequency (1.3 s for a word in 0.1 % of
// 1M messages). Reading all E matches through the index costs about 2.5 us each;
// walking the messages backwards by id and checking each with to_tsvector costs
// 0.11 ms per message until `window` match, N / E * window of them. The index wins
// while E * 2.5 < N / E * window * 110: E < sqrt(44 * window * N), about 110,000 on
// 1M messages. E is the planner's own estimate, read from EXPLAIN; N is read once.
Result<bool> readMatchesThroughIndex(const Connection& conn, const SqlWhere& where, int window,
                                     std::optional<double>& tableRows) {
    // EXPLAIN cannot be a prepared statement (Qt prepares every bound query): ask
    // through libpq, with the binds as $n parameters.
    QByteArray explain = "EXPLAIN (FORMAT JSON) SELECT 1 FROM messages AS m";
    QList<QByteArray> params;
    for (const QString& part : where.text().split(QLatin1Char('?'))) {
        explain += part.toUtf8();
        if (params.size() < where.binds.size()) {
            const QVariant& v = where.binds[params.size()];
            params << (v.isNull() ? QByteArray() : v.toString().toUtf8());
            explain += "$" + QByteArray::number(params.size());
        }
    }
    PgLink link(conn.pgHandle(), conn.subject());
    auto estimate = link.scalar(explain, params);
    if (!estimate)
        return std::unexpected(estimate.error());
    const double expected = QJsonDocument::fromJson(*estimate)
                                .array()
                                .at(0)
                                .toObject()
                                .value(QLatin1String("Plan"))
                                .toObject()
                                .value(QLatin1String("Plan Rows"))
                                .toDouble();
    if (!tableRows) { // -1 until the table is analyzed
        auto rows = link.scalar("SELECT reltuples FROM pg_class WHERE oid = 'messages'::regclass");
        if (!rows)
            return std::unexpected(rows.error());
        tableRows = rows->toDouble();
    }
    return expected < std::sqrt(44.0 * window * std::max(expected, *tableRows));
}

} // namespace

const StoreFeatures& SearchIndex::features() const {
    if (!m_features)
        m_features = StoreFeatures::detect(m_conn);
    return *m_features;
}

QString SearchIndex::cacheDirectory() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation))
        .filePath(QStringLiteral("context-studio/fts"));
}

void SearchIndex::setProgress(std::function<void(qint64, qint64)> progress) {
    m_progress = std::move(progress);
}

bool SearchIndex::isPrepared() const {
    return method() != SearchMethod::FullScan;
}

SearchMethod SearchIndex::method() const {
    if (!m_method) // PostgreSQL: an index made by an earlier prepare() counts
        m_method = m_conn.engine() == Engine::Postgres && postgresIndexExists()
                       ? SearchMethod::PostgresFullText
                       : SearchMethod::FullScan;
    return *m_method;
}

bool SearchIndex::postgresIndexExists() const {
    auto r = m_conn.scalar(QStringLiteral("SELECT 1 FROM pg_indexes WHERE schemaname = "
                                          "current_schema() AND indexname = ?"),
                           {QLatin1String(kPostgresIndex)});
    return r && r->isValid();
}

Result<qint64> SearchIndex::backlog() const {
    if (m_conn.engine() != Engine::Sqlite || isPrepared())
        return 0;
    if (m_conn.tableExists(QLatin1String(SqliteFtsBuilder::kTable)) && m_conn.isReadOnly())
        return 0; // used as it is (prepare() cannot refresh it)
    auto newest = m_conn.scalar(QStringLiteral("SELECT max(id) FROM messages"));
    if (!newest)
        return std::unexpected(newest.error());
    Result<qint64> indexed = qint64(0);
    if (m_conn.tableExists(QLatin1String(SqliteFtsBuilder::kTable))) {
        auto last = m_conn.scalar(QStringLiteral("SELECT value FROM %1 WHERE name = 'last_id'")
                                      .arg(QLatin1String(SqliteFtsBuilder::kState)));
        indexed = last ? Result<qint64>(last->toLongLong()) : std::unexpected(last.error());
    } else {
        indexed = SqliteFtsBuilder::indexedUpTo(
            SqliteFtsBuilder::cachePathFor(m_conn.url().filePath(), cacheDirectory()));
    }
    if (!indexed)
        return std::unexpected(indexed.error());
    return std::max<qint64>(0, newest->toLongLong() - *indexed);
}

Result<QList<SearchHit>> SearchIndex::searchNewest(const SearchQuery& query,
                                                   QDeadlineTimer deadline) {
    const QStringList words = SqliteFtsBuilder::words(query.text);
    if (auto ok = validateSearch(m_conn, query, words); !ok)
        return std::unexpected(ok.error());
    m_lastRankWindow = 0;
    m_lastScanWantsIndex = false;
    const int window = std::max(query.limit, kScanRankWindow);
    auto found = MessageScan(m_conn, features()).newestFirst(query, window, m_stop, deadline);
    if (!found)
        return std::unexpected(found.error());
    if (found->windowFilled)
        m_lastRankWindow = window;
    m_lastScanReach = {found->idsRead, found->idsTotal};
    m_lastScanWantsIndex = found->indexWouldHelp;
    return found->hits;
}

Status SearchIndex::prepare(bool allowWriteToDatabase) {
    if (m_conn.engine() == Engine::Postgres) {
        m_method.reset();
        if (method() == SearchMethod::PostgresFullText || !allowWriteToDatabase ||
            m_conn.isReadOnly())
            return {}; // without the index, search() scans every message, newest first
        if (m_progress)
            m_progress(0, 1);
        auto made = m_conn.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON messages USING "
                                               "GIN (to_tsvector('simple', content))")
                                    .arg(QLatin1String(kPostgresIndex)));
        if (!made)
            return std::unexpected(made.error());
        // Statistics of the new index's expression: without them every word looks rare
        // to the planner (and to readMatchesThroughIndex), and a common word would be
        // read through the index, 900,000 matches at a time. Nothing else would gather
        // them until a tenth of the table changes.
        if (auto analyzed = m_conn.exec(QStringLiteral("ANALYZE messages")); !analyzed)
            return std::unexpected(analyzed.error());
        if (m_progress)
            m_progress(1, 1);
        m_method = SearchMethod::PostgresFullText;
        return {};
    }
    if (!m_conn.tableExists(QStringLiteral("messages")))
        return fail(ErrorCode::NotADatabase, QStringLiteral("no messages table to index"),
                    m_conn.subject());
    const bool inDatabase = m_conn.tableExists(QLatin1String(SqliteFtsBuilder::kTable));
    if (inDatabase || (allowWriteToDatabase && !m_conn.isReadOnly())) {
        if (!m_conn.isReadOnly()) { // catch up with new messages; stale but usable otherwise
            if (auto ok = SqliteFtsBuilder::refresh(m_conn.sqliteHandle(), QStringLiteral("main"),
                                                    QStringLiteral("main"), m_progress, m_stop);
                !ok)
                return std::unexpected(ok.error().withSubject(m_conn.subject()));
        }
        if (auto ok = Fts5Rank::install(m_conn.sqliteHandle()); !ok)
            return std::unexpected(ok.error().withSubject(m_conn.subject()));
        m_ftsTable = QStringLiteral("main.") + QLatin1String(SqliteFtsBuilder::kTable);
        m_method = SearchMethod::SqliteFts;
        return {};
    }
    auto cache = SqliteFtsBuilder::refreshCache(m_conn.url().filePath(), cacheDirectory(),
                                                m_progress, m_stop);
    if (!cache)
        return std::unexpected(cache.error());
    auto attached =
        m_conn.scalar(QStringLiteral("SELECT 1 FROM pragma_database_list WHERE name = ?"),
                      {QLatin1String(kCacheSchema)});
    if (!attached)
        return std::unexpected(attached.error());
    if (!attached->isValid()) {
        if (auto ok = m_conn.exec(
                QStringLiteral("ATTACH DATABASE ? AS %1").arg(QLatin1String(kCacheSchema)),
                {*cache});
            !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = Fts5Rank::install(m_conn.sqliteHandle()); !ok)
        return std::unexpected(ok.error().withSubject(m_conn.subject()));
    m_ftsTable =
        QLatin1String(kCacheSchema) + QLatin1Char('.') + QLatin1String(SqliteFtsBuilder::kTable);
    m_method = SearchMethod::SqliteFtsCache;
    return {};
}

Result<QList<SearchHit>> SearchIndex::search(const SearchQuery& query) {
    const QStringList words = SqliteFtsBuilder::words(query.text);
    if (auto ok = validateSearch(m_conn, query, words); !ok)
        return std::unexpected(ok.error());
    m_lastRankWindow = 0;
    m_lastScanWantsIndex = false;
    if (m_conn.engine() == Engine::Sqlite) {
        if (m_ftsTable.isEmpty())
            return scan(query);
        // Ranking every match of a common word costs seconds on a million messages
        // (bm25 per match, then a join per match). The newest kRankWindow matches are
        // ranked first (FTS5 walks rowids newest first and stops); when the window was
        // full but holds fewer visible hits than asked for (filters), every match is ranked.
        auto windowed = sqliteSearch(query, words, kRankWindow);
        if (!windowed || windowed->hits.size() >= query.limit ||
            (!windowed->hits.isEmpty() && windowed->candidates < kRankWindow)) {
            if (windowed && windowed->candidates >= kRankWindow)
                m_lastRankWindow = kRankWindow;
            return windowed ? Result<QList<SearchHit>>(windowed->hits)
                            : std::unexpected(windowed.error());
        }
        auto all = sqliteSearch(query, words, 0);
        return all ? Result<QList<SearchHit>>(all->hits) : std::unexpected(all.error());
    }
    if (method() == SearchMethod::FullScan)
        return scan(query);
    return postgresSearch(query, words);
}

Result<QList<SearchHit>> SearchIndex::scan(const SearchQuery& query) {
    return searchNewest(query, QDeadlineTimer(QDeadlineTimer::Forever));
}

// Each word's idf for ctx_rank, from its newest occurrences: a word with kIdfSample
// matches or more is as frequent as it is among the ids they span; a rarer one is
// counted. Either way at most kIdfSample entries of its doclist are read, where bm25()
// reads all of them (Fts5Rank).
Result<QVariantList> SearchIndex::estimatedIdf(const QStringList& words) const {
    constexpr int kIdfSample = 1000;
    const QString fts = QLatin1String(SqliteFtsBuilder::kTable);
    auto newest = m_conn.scalar(
        QStringLiteral("SELECT rowid FROM %1 ORDER BY rowid DESC LIMIT 1").arg(m_ftsTable));
    auto oldest = m_conn.scalar(
        QStringLiteral("SELECT rowid FROM %1 ORDER BY rowid LIMIT 1").arg(m_ftsTable));
    if (!newest || !oldest)
        return std::unexpected(!newest ? newest.error() : oldest.error());
    const qint64 rows = std::max<qint64>(1, newest->toLongLong() - oldest->toLongLong() + 1);
    QVariantList idf;
    for (const QString& w : words) {
        const QVariantList match{SqliteFtsBuilder::matchExpression({w})};
        auto kth = m_conn.scalar(QStringLiteral("SELECT rowid FROM %2 WHERE %1 MATCH ? ORDER BY "
                                                "rowid DESC LIMIT 1 OFFSET %3")
                                     .arg(fts, m_ftsTable)
                                     .arg(kIdfSample - 1),
                                 match);
        if (!kth)
            return std::unexpected(kth.error());
        qint64 withWord = 0;
        if (kth->isValid()) {
            const qint64 span = std::max<qint64>(1, newest->toLongLong() - kth->toLongLong() + 1);
            withWord = std::min(rows, qint64(double(kIdfSample) * double(rows) / double(span)));
        } else {
            auto count = m_conn.scalar(
                QStringLiteral("SELECT count(*) FROM %2 WHERE %1 MATCH ?").arg(fts, m_ftsTable),
                match);
            if (!count)
                return std::unexpected(count.error());
            withWord = count->toLongLong();
        }
        idf << Fts5Rank::idf(rows, withWord);
    }
    return idf;
}

Result<SearchIndex::SqliteHits> SearchIndex::sqliteSearch(const SearchQuery& query,
                                                          const QStringList& words, int window) {
    const QString fts = QLatin1String(SqliteFtsBuilder::kTable);
    QVariantList rankBinds;
    if (window > 0) {
        auto idf = estimatedIdf(words);
        if (!idf)
            return std::unexpected(idf.error());
        rankBinds = *idf;
    }
    QStringList idfMarks(rankBinds.size(), QStringLiteral("?"));
    const QString candidates =
        window > 0
            ? QStringLiteral("(SELECT rowid, score, count(*) OVER () AS n FROM (SELECT rowid, "
                             "%4(%1, %5) AS score FROM %2 WHERE %1 MATCH ? ORDER BY rowid DESC "
                             "LIMIT %3))")
                  .arg(fts, m_ftsTable)
                  .arg(window)
                  .arg(QLatin1String(Fts5Rank::kFunction), idfMarks.join(QStringLiteral(", ")))
            : QStringLiteral("(SELECT rowid, bm25(%1) AS score, 0 AS n FROM %2 WHERE %1 MATCH ?)")
                  .arg(fts, m_ftsTable);
    SqlWhere where;
    if (!query.sessionId.isEmpty())
        where.add(QStringLiteral("m.session_id = ?"), {query.sessionId});
    addVisibility(where, query.viewer, QStringLiteral("m"));
    const QString sql = QStringLiteral("SELECT %1, c.score, c.n FROM %2 AS c JOIN "
                                       "main.messages AS m ON m.id = c.rowid%3 ORDER BY c.score, "
                                       "m.id DESC LIMIT ?")
                            .arg(messageColumns(m_conn.dialect(), features(), QStringLiteral("m")),
                                 candidates, where.text());
    auto q = m_conn.exec(sql, rankBinds + QVariantList{SqliteFtsBuilder::matchExpression(words)} +
                                  where.binds + QVariantList{query.limit});
    if (!q)
        return std::unexpected(q.error());
    SqliteHits result;
    while (q->next()) {
        SearchHit h;
        h.message = readMessage(*q);
        h.rank = -q->value(kMessageColumnCount).toDouble(); // bm25: lower is better
        h.snippet = MessageScan::snippet(h.message.content, words);
        result.hits << h;
        result.candidates = q->value(kMessageColumnCount + 1).toInt();
    }
    return result;
}

Result<QList<SearchHit>> SearchIndex::postgresSearch(const SearchQuery& query,
                                                     const QStringList& words) {
    const Dialect& d = m_conn.dialect();
    QList<SearchHit> hits;
    // PostgreSQL: content matches of to_tsvector('simple', content) (GIN-indexed) over
    // every message; senders and metadata values match within the most recent 1000
    // messages (the server's bounded scan), ranked below any content match.
    SqlWhere where;
    where.add(QStringLiteral("to_tsvector('simple', m.content) @@ plainto_tsquery('simple', ?)"),
              {words.join(QLatin1Char(' '))});
    if (!query.sessionId.isEmpty())
        where.add(QStringLiteral("m.session_id = ?"), {query.sessionId});
    addVisibility(where, query.viewer, QStringLiteral("m"));
    const QString columns = messageColumns(d, features(), QStringLiteral("m"));
    // Ranked by how often the words occur in the content. ts_rank would rebuild every
    // match's tsvector (about 12 us per message of 1.3 KB: 12 ms for 1000 matches);
    // counting occurrences with lower()/replace() costs a tenth of that.
    QStringList terms;
    QVariantList scoreBinds;
    for (const QString& w : words) {
        terms << QStringLiteral("(char_length(lower(m.content)) - char_length(replace(lower("
                                "m.content), ?, ''))) / ?::float8");
        scoreBinds << w << qMax(qsizetype(1), w.size());
    }
    // Only the newest matches are ranked, as on SQLite (see readMatchesThroughIndex).
    const int window = std::max(query.limit, kPostgresRankWindow);
    auto throughIndex = readMatchesThroughIndex(m_conn, where, window, m_postgresRows);
    if (!throughIndex)
        return std::unexpected(throughIndex.error());
    m_lastSearchUsedIndex = *throughIndex;
    PgLink link(m_conn.pgHandle(), m_conn.subject());
    QByteArray planSettings =
        *throughIndex ? "SET enable_indexscan = off; SET enable_seqscan = off; "
                        "SET work_mem = '64MB'" // an exact bitmap: no recheck with to_tsvector
                      : "SET enable_bitmapscan = off";
    // Through a transaction pooler a session setting would stay on the server connection
    // for its next client (enable_seqscan = off for someone else's queries), and the
    // query could run on another one: the settings are then the transaction's.
    const bool local =
        m_conn.throughPooler() && PQtransactionStatus(m_conn.pgHandle()) == PQTRANS_IDLE;
    if (local)
        planSettings = "BEGIN; " + planSettings.replace("SET ", "SET LOCAL ");
    auto resetPlan = [&] {
        if (local)
            (void)link.exec("ROLLBACK"); // it only read
        else
            (void)link.exec("RESET enable_indexscan; RESET enable_seqscan; RESET work_mem; "
                            "RESET enable_bitmapscan");
    };
    if (auto ok = link.exec(planSettings); !ok) {
        resetPlan();
        return std::unexpected(ok.error());
    }
    const QString ftsSql =
        QStringLiteral("SELECT %1, %2 AS score, count(*) OVER () AS candidates FROM (SELECT * "
                       "FROM messages AS m%3 ORDER BY m.id DESC LIMIT %4) AS m ORDER BY score "
                       "DESC, m.id DESC LIMIT ?")
            .arg(columns, terms.join(QStringLiteral(" + ")), where.text())
            .arg(window);
    auto q = m_conn.exec(ftsSql, scoreBinds + where.binds + QVariantList{query.limit});
    if (!q) {
        resetPlan();
        return std::unexpected(q.error());
    }
    QHash<qint64, qsizetype> seen;
    while (q->next()) {
        SearchHit h;
        h.message = readMessage(*q);
        h.rank = q->value(kMessageColumnCount).toDouble();
        h.snippet = MessageScan::snippet(h.message.content, words);
        if (q->value(kMessageColumnCount + 1).toInt() >= window)
            m_lastRankWindow = window;
        seen.insert(h.message.id, hits.size());
        hits << h;
    }
    q->finish();
    resetPlan();
    // Sender and metadata values, bounded like the server; content is the index's job
    // (scanning it again would cost 25 ms per search).
    auto extra =
        MessageScan(m_conn, features()).recent(query, MessageScan::Columns::SenderAndMetadata);
    if (!extra)
        return std::unexpected(extra.error());
    for (SearchHit h : *extra) {
        if (seen.contains(h.message.id))
            continue;
        h.rank = h.rank / 1000.0; // below any content match
        hits << h;
    }
    std::stable_sort(hits.begin(), hits.end(),
                     [](const SearchHit& a, const SearchHit& b) { return a.rank > b.rank; });
    if (hits.size() > query.limit)
        hits.resize(query.limit);
    return hits;
}

} // namespace ctx
