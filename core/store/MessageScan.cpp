#include "MessageScan.h"

#include "SqliteFtsBuilder.h"

#include <algorithm>

namespace ctx::store {

namespace {

constexpr int kRecentWindow = 1000;  // the server's bounded scan
constexpr qint64 kFirstRange = 4096; // ids read by the first step of newestFirst()
constexpr qint64 kLargestRange = 262144;

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
    if (columns == Columns::All)
        where.add(QStringLiteral("(%1 OR %2 OR %3)")
                      .arg(d.containsInsensitive(QStringLiteral("m.content")),
                           d.containsInsensitive(QStringLiteral("m.sender")),
                           d.containsInsensitive(QStringLiteral("m.metadata"))),
                  {needle, needle, needle});
    else
        where.add(QStringLiteral("(%1 OR %2)")
                      .arg(d.containsInsensitive(QStringLiteral("m.sender")),
                           d.containsInsensitive(QStringLiteral("m.metadata"))),
                  {needle, needle});
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
    auto bounds = m_conn.exec(
        QStringLiteral("SELECT min(m.id), max(m.id) FROM messages AS m%1").arg(session.text()),
        session.binds);
    if (!bounds)
        return std::unexpected(bounds.error());
    Found found;
    if (!bounds->next() || bounds->value(0).isNull())
        return found;
    const qint64 oldest = bounds->value(0).toLongLong();
    qint64 newest = bounds->value(1).toLongLong();
    bounds->finish();
    const qint64 top = newest;
    found.idsTotal = top - oldest + 1;
    const QString columns = messageColumns(m_conn.dialect(), m_features, QStringLiteral("m"));
    qint64 range = kFirstRange;
    while (newest >= oldest && found.hits.size() < window && !(stop && stop->load()) &&
           (newest == top || !deadline.hasExpired())) {
        SqlWhere where;
        where.add(QStringLiteral("m.id <= ? AND m.id > ?"), {newest, newest - range});
        where.conditions << session.conditions;
        where.binds << session.binds;
        addMatch(where, query, Columns::All);
        // One more than needed: whether this range holds more matches than are ranked.
        const qsizetype need = window - found.hits.size();
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
        range = std::min(range * 4, kLargestRange);
    }
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
