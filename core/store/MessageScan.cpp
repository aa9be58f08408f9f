#include "MessageScan.h"

#include "PgScanTuning.h"
#include "SqliteFtsBuilder.h"

#include <QElapsedTimer>
#include <algorithm>
#include <optional>

namespace ctx::store {

namespace {

constexpr int kRecentWindow = 1000;  // the server's bounded scan
constexpr qint64 kFirstRange = 4096; // ids read by the first step of newestFirst()
// Each next range is sized from the last one's pace to take about kRangeMs (less when
// the deadline is nearer), at most kRangeGrowth times as many ids: a stop or deadline
// is heard within a second, and a rare word costs a few large queries, not many.
constexpr qint64 kRangeMs = 1000;
constexpr qint64 kRangeGrowth = 16;

void sortBest(QList<SearchHit>& hits, int limit) {
    std::stable_sort(hits.begin(), hits.end(),
                     [](const SearchHit& a, const SearchHit& b) { return a.rank > b.rank; });
    if (hits.size() > limit)
        hits.resize(limit);
}

} // namespace

QString MessageScan::snippet(const QString& content, const QStringList& words) {
    qsizetype at = -1;
    for (const QString& w : words) {
        const qsizetype i = content.indexOf(w, 0, Qt::CaseInsensitive);
        if (i >= 0 && (at < 0 || i < at))
            at = i;
    }
    if (at < 0)
        at = 0;
    const qsizetype start = std::max<qsizetype>(0, at - 40);
    QString s = content.mid(start, 120).simplified();
    if (start > 0)
        s.prepend(QStringLiteral("…"));
    if (start + 120 < content.size())
        s.append(QStringLiteral("…"));
    return s;
}

void MessageScan::addMatch(SqlWhere& where, const SearchQuery& query, Columns columns) const {
    const Dialect& d = m_conn.dialect();
    const QString needle = query.text.trimmed();
    const QString others = QStringLiteral("%1 OR %2")
                               .arg(d.containsInsensitive(QStringLiteral("m.sender")),
                                    d.containsInsensitive(QStringLiteral("m.metadata")));
    if (columns != Columns::All) {
        where.add(QStringLiteral("(%1)").arg(others), {needle, needle});
    } else {
        // PostgreSQL: a cheaper test in front of the exact one (PgScanTuning).
        const auto content =
            m_conn.engine() == Engine::Postgres
                ? PgScanTuning::contentMatch(QStringLiteral("m.content"), needle)
                : PgScanTuning::Condition{d.containsInsensitive(QStringLiteral("m.content")),
                                          {needle}};
        where.add(QStringLiteral("(%1 OR %2)").arg(content.sql, others),
                  content.binds + QVariantList{needle, needle});
    }
    addVisibility(where, query.viewer, QStringLiteral("m"));
}

// The matching rows of `sql`, scored as the server scores them.
Result<QList<SearchHit>> MessageScan::read(const QString& sql, const QVariantList& binds,
                                           const SearchQuery& query) const {
    auto q = m_conn.exec(sql, binds);
    if (!q)
        return std::unexpected(q.error());
    const QStringList words = SqliteFtsBuilder::words(query.text);
    const QString needle = query.text.trimmed();
    QList<SearchHit> hits;
    while (q->next()) {
        SearchHit h;
        h.message = readMessage(*q);
        h.rank = double(h.message.content.count(needle, Qt::CaseInsensitive)) +
                 (h.message.sender.contains(needle, Qt::CaseInsensitive) ? 0.5 : 0.0) +
                 (h.message.metadataJson.contains(needle, Qt::CaseInsensitive) ? 0.25 : 0.0);
        h.snippet = snippet(h.message.content, words);
        hits << h;
    }
    return hits;
}

Result<MessageScan::Found> MessageScan::newestFirst(const SearchQuery& query, int window,
                                                    const std::atomic<bool>* stop,
                                                    QDeadlineTimer deadline) const {
    SqlWhere session;
    if (!query.sessionId.isEmpty())
        session.add(QStringLiteral("m.session_id = ?"), {query.sessionId});
    qint64 oldest = 0, newest = 0;
    Found found;
    { // destroyed before the scan's transaction: a live result keeps the connection busy
        auto bounds = m_conn.exec(
            QStringLiteral("SELECT min(m.id), max(m.id) FROM messages AS m%1").arg(session.text()),
            session.binds);
        if (!bounds)
            return std::unexpected(bounds.error());
        if (!bounds->next() || bounds->value(0).isNull())
            return found;
        oldest = bounds->value(0).toLongLong();
        newest = bounds->value(1).toLongLong();
    }
    const qint64 top = newest;
    found.idsTotal = top - oldest + 1;
    const QString columns = messageColumns(m_conn.dialect(), m_features, QStringLiteral("m"));
    std::optional<PgScanTuning> tuning;
    if (m_conn.engine() == Engine::Postgres) {
        tuning.emplace(m_conn);
        if (auto ok = tuning->begin(); !ok)
            return std::unexpected(ok.error());
    }
    qint64 range = kFirstRange;
    QElapsedTimer pace;
    while (newest >= oldest && found.hits.size() < window && !(stop && stop->load()) &&
           (newest == top || !deadline.hasExpired())) {
        // One more than needed: whether this range holds more matches than are ranked.
        const qsizetype need = window - found.hits.size();
        // At the pace of the matches so far, will this range be read to its end? Then,
        // with no deadline, the rest is one query: each range's plan on PostgreSQL
        // reads the whole heap (0.4 to 1 s at 1M messages), and a rare word's time
        // went to 20 such passes. It is cancelled as any statement is (QueryCanceller).
        const qint64 readSoFar = top - newest;
        const bool whole = readSoFar > 0 && double(found.hits.size()) * double(range) <
                                                double(need) * double(readSoFar);
        if (whole && deadline.isForever())
            range = newest - oldest + 1;
        SqlWhere where;
        where.add(QStringLiteral("m.id <= ? AND m.id > ?"), {newest, newest - range});
        where.conditions << session.conditions;
        where.binds << session.binds;
        addMatch(where, query, Columns::All);
        if (tuning) {
            if (auto ok = tuning->readWholeRange(whole); !ok)
                return std::unexpected(ok.error());
        }
        pace.start();
        auto hits = read(QStringLiteral("SELECT %1 FROM messages AS m%2 ORDER BY m.id DESC LIMIT ?")
                             .arg(columns, where.text()),
                         where.binds + QVariantList{need + 1}, query);
        if (!hits)
            return std::unexpected(hits.error());
        if (hits->size() > need) {
            found.windowFilled = true;
            hits->resize(need);
        }
        found.hits << *hits;
        newest -= range;
        const qint64 budget =
            deadline.isForever() ? kRangeMs : std::min(kRangeMs, deadline.remainingTime());
        const qint64 paced =
            range * std::max<qint64>(1, budget) / std::max<qint64>(1, pace.elapsed());
        range = std::clamp(paced, kFirstRange, range * kRangeGrowth);
    }
    found.indexWouldHelp = top - newest > kFirstRange;
    found.idsRead = std::min(found.idsTotal, top - newest);
    // Older messages were not read: the window may have left matches out.
    found.windowFilled = found.windowFilled || (found.hits.size() >= window && newest >= oldest);
    sortBest(found.hits, query.limit);
    return found;
}

Result<QList<SearchHit>> MessageScan::recent(const SearchQuery& query, Columns columns) const {
    SqlWhere inner;
    if (!query.sessionId.isEmpty())
        inner.add(QStringLiteral("session_id = ?"), {query.sessionId});
    SqlWhere outer;
    addMatch(outer, query, columns);
    const QString sql =
        QStringLiteral("SELECT %1 FROM (SELECT * FROM messages%2 ORDER BY id DESC "
                       "LIMIT %3) AS m%4 ORDER BY m.id DESC")
            .arg(messageColumns(m_conn.dialect(), m_features, QStringLiteral("m")), inner.text())
            .arg(kRecentWindow)
            .arg(outer.text());
    auto hits = read(sql, inner.binds + outer.binds, query);
    if (hits)
        sortBest(*hits, query.limit);
    return hits;
}

} // namespace ctx::store
