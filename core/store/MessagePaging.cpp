// Keyset paging in (timestamp, id) order: never OFFSET. Each query walks the index
// (session_id, timestamp[, id]) from the cursor on. Rows whose timestamp is NULL form
// their own segment, placed where the engine sorts NULL (SQLite: first; PostgreSQL:
// last), so that every segment query stays an ordered index range scan. A SQLite
// session holding text timestamps is walked in time order through MessageOrderCache
// instead (the column's own order puts every number before every text).
#include "MessageCursor.h"
#include "MessageOrderCache.h"
#include "MessageRows.h"
#include "MessageValidation.h"
#include "Store.h"
#include "StoreValues.h"

namespace ctx {

using namespace store;

namespace {

enum class Segment { Nulls, Values };

QList<Segment> segmentsInOrder(const Dialect& d, bool descending) {
    QList<Segment> s = d.nullsFirstInAscendingOrder() ? QList{Segment::Nulls, Segment::Values}
                                                      : QList{Segment::Values, Segment::Nulls};
    if (descending)
        std::reverse(s.begin(), s.end());
    return s;
}

Status validateQuery(const Connection& conn, const MessageQuery& query) {
    if (query.limit < 1 || query.limit > kMaxPageSize)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("limit must be between 1 and %1, got %2")
                        .arg(kMaxPageSize)
                        .arg(query.limit),
                    conn.subject());
    if (auto ok = validateViewer(query.viewer); !ok)
        return std::unexpected(ok.error().withSubject(conn.subject()));
    if (!query.sessionId.isEmpty() && !SessionStore::isValidId(query.sessionId))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("invalid session id '%1' (expected session_ + 16 lowercase "
                                   "hex digits)")
                        .arg(query.sessionId.left(80)),
                    conn.subject());
    return {};
}

// An unknown session is an error, not an empty page. Asked only when a page came back
// empty: a message of the session proves that it exists (one query less per page).
Status requireSession(const Connection& conn, const QString& sessionId) {
    if (sessionId.isEmpty())
        return {};
    auto exists = conn.scalar(QStringLiteral("SELECT 1 FROM sessions WHERE id = ?"), {sessionId});
    if (!exists)
        return std::unexpected(exists.error());
    if (!exists->isValid())
        return fail(ErrorCode::NotFound, QStringLiteral("no session '%1'").arg(sessionId),
                    conn.subject());
    return {};
}

// The number of rows a query matches, as a sum of index ranges: for an agent, public
// rows on (visibility, session_id) plus its own private and agent_only rows on
// (session_id, sender, ...); the OR of the visibility rule itself would read every row.
// For an admin on PostgreSQL with the visibility CHECK, one range per value on the
// compact (visibility, session_id) index: half the time of counting the session's
// entries of (session_id, timestamp, id) on 250,000 messages.
Result<QVariant> countMatching(const Connection& conn, const StoreFeatures& features,
                               const MessageQuery& query) {
    QStringList parts;
    QVariantList binds;
    auto part = [&](const QString& condition, const QVariantList& values) {
        SqlWhere where;
        addMessageFilter(where, conn.dialect(), features, query.sessionId, Viewer::asAdmin(),
                         query.filter);
        where.add(condition, values);
        parts << QStringLiteral("(SELECT count(*) FROM messages%1)").arg(where.text());
        binds << where.binds;
    };
    if (query.viewer.admin && !features.visibilityChecked) {
        SqlWhere where;
        addMessageFilter(where, conn.dialect(), features, query.sessionId, query.viewer,
                         query.filter);
        return conn.scalar(QStringLiteral("SELECT count(*) FROM messages") + where.text(),
                           where.binds);
    }
    if (query.viewer.admin) {
        for (const char* v : {"public", "private", "agent_only", "admin_only"})
            part(QStringLiteral("visibility = ?"), {QLatin1String(v)});
        part(QStringLiteral("visibility IS NULL"), {});
    } else {
        part(QStringLiteral("visibility = ?"), {QStringLiteral("public")});
        part(QStringLiteral("visibility IN ('private', 'agent_only') AND sender = ?"),
             {query.viewer.agentId});
    }
    return conn.scalar(QStringLiteral("SELECT ") + parts.join(QStringLiteral(" + ")), binds);
}

// Up to `want` rows from the cursor on in the column's own (timestamp, id) order.
Status readInStorageOrder(const Connection& conn, const StoreFeatures& features,
                          const MessageQuery& query, const std::optional<MessageCursor>& cursor,
                          int want, MessagePage& page) {
    const Dialect& d = conn.dialect();
    SqlWhere base;
    addMessageFilter(base, d, features, query.sessionId, query.viewer, query.filter);
    const QString dir = query.fromEnd ? QStringLiteral("DESC") : QStringLiteral("ASC");
    const QString cmp = query.fromEnd ? QStringLiteral("<") : QStringLiteral(">");
    const QString columns = messageColumns(d, features);
    const QList<Segment> order = segmentsInOrder(d, query.fromEnd);
    const Segment cursorSegment =
        cursor && cursor->timestamp.isNull() ? Segment::Nulls : Segment::Values;
    bool started = !cursor;
    for (const Segment segment : order) {
        if (!started && segment != cursorSegment)
            continue;
        const bool fromCursor = !started;
        started = true;
        SqlWhere where = base;
        QString orderBy;
        if (segment == Segment::Nulls) {
            where.add(QStringLiteral("\"timestamp\" IS NULL"));
            if (fromCursor)
                where.add(QStringLiteral("id %1 ?").arg(cmp), {cursor->id});
            orderBy = QStringLiteral("id %1").arg(dir);
        } else {
            if (fromCursor)
                where.add(QStringLiteral("(\"timestamp\", id) %1 (%2, ?)")
                              .arg(cmp, d.timestampParameter()),
                          {cursor->timestampBinding(), cursor->id});
            else
                where.add(QStringLiteral("\"timestamp\" IS NOT NULL"));
            orderBy = QStringLiteral("\"timestamp\" %1, id %1").arg(dir);
        }
        const QString sql = QStringLiteral("SELECT %1 FROM messages%2 ORDER BY %3 LIMIT ?")
                                .arg(columns, where.text(), orderBy);
        auto read = conn.forEachRow(sql, where.binds + QVariantList{want - page.messages.size()},
                                    [&page](const Row& row) {
                                        page.messages << readMessage(row);
                                        return true;
                                    });
        if (!read)
            return read;
        if (page.messages.size() >= want)
            break;
    }
    return {};
}

// The session's rows in time order, from the cursor on: the cache's primary key
// (session_id, micros, id) walked as the keyset (CROSS JOIN keeps it the outer loop),
// each row read from the source by id and filtered there. The cursor stays the last
// row's stored timestamp and id; its key is computed as the cache's was.
QString timeOrderFrom(const Dialect& d, const StoreFeatures& features, const MessageQuery& query,
                      SqlWhere& where) {
    where.add(QStringLiteral("o.session_id = ?"), {query.sessionId});
    addMessageFilter(where, d, features, query.sessionId, query.viewer, query.filter,
                     QStringLiteral("m"));
    return QStringLiteral(" FROM %1.%2 AS o CROSS JOIN main.messages AS m ON m.id = o.id")
        .arg(QLatin1String(MessageOrderCache::kSchema), QLatin1String(MessageOrderCache::kTable));
}

Status readInTimeOrder(const Connection& conn, const StoreFeatures& features,
                       const MessageQuery& query, const std::optional<MessageCursor>& cursor,
                       int want, MessagePage& page) {
    const QString dir = query.fromEnd ? QStringLiteral("DESC") : QStringLiteral("ASC");
    SqlWhere where;
    if (cursor)
        where.add(QStringLiteral("(o.micros, o.id) %1 (?, ?)")
                      .arg(query.fromEnd ? QStringLiteral("<") : QStringLiteral(">")),
                  {MessageOrderCache::keyOf(cursor->timestamp), cursor->id});
    const QString from = timeOrderFrom(conn.dialect(), features, query, where);
    const QString sql = QStringLiteral("SELECT %1%2%3 ORDER BY o.micros %4, o.id %4 LIMIT ?")
                            .arg(messageColumns(conn.dialect(), features, QStringLiteral("m")),
                                 from, where.text(), dir);
    return conn.forEachRow(sql, where.binds + QVariantList{want}, [&page](const Row& row) {
        page.messages << readMessage(row);
        return true;
    });
}

// Whether a query's session must be walked in time order, the cache then brought up
// to date (see MessageOrderCache).
Result<bool> timeOrdered(const Connection& conn, const MessageQuery& query) {
    auto needed = MessageOrderCache::needed(conn, query.sessionId);
    if (!needed || !*needed)
        return needed;
    if (auto ok = MessageOrderCache::sync(conn, query.sessionId); !ok)
        return std::unexpected(ok.error());
    return true;
}

} // namespace

Result<MessagePage> MessageStore::page(const MessageQuery& query) {
    if (auto ok = validateQuery(m_conn, query); !ok)
        return std::unexpected(ok.error());
    std::optional<MessageCursor> cursor;
    if (!query.after.isEmpty()) {
        auto c = MessageCursor::decode(query.after);
        if (!c)
            return std::unexpected(c.error().withSubject(m_conn.subject()));
        cursor = *c;
    }
    const int want = query.limit + 1; // one more tells whether there is a next page
    auto inTime = timeOrdered(m_conn, query);
    if (!inTime)
        return std::unexpected(inTime.error());
    MessagePage page;
    const Status read = *inTime ? readInTimeOrder(m_conn, features(), query, cursor, want, page)
                                : readInStorageOrder(m_conn, features(), query, cursor, want, page);
    if (!read)
        return std::unexpected(read.error());
    if (page.messages.isEmpty())
        if (auto ok = requireSession(m_conn, query.sessionId); !ok)
            return std::unexpected(ok.error());
    page.hasMore = page.messages.size() > query.limit;
    if (page.hasMore)
        page.messages.resize(query.limit);
    if (!page.messages.isEmpty())
        page.nextCursor =
            MessageCursor{page.messages.last().rawTimestamp, page.messages.last().id}.encode();
    if (query.withTotal) {
        auto total = countMatching(m_conn, features(), query);
        if (!total)
            return std::unexpected(total.error());
        page.total = total->toLongLong();
    }
    return page;
}

Result<qint64> MessageStore::count(const MessageQuery& query) {
    MessageQuery checked = query;
    checked.limit = 1;
    if (auto ok = validateQuery(m_conn, checked); !ok)
        return std::unexpected(ok.error());
    auto total = countMatching(m_conn, features(), query);
    if (!total)
        return std::unexpected(total.error());
    if (total->toLongLong() == 0)
        if (auto ok = requireSession(m_conn, query.sessionId); !ok)
            return std::unexpected(ok.error());
    return total->toLongLong();
}

Result<QStringList> MessageStore::anchors(const MessageQuery& query, int every) {
    if (every < 1)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("anchor spacing must be at least 1, got %1").arg(every),
                    m_conn.subject());
    MessageQuery checked = query;
    checked.limit = 1;
    if (auto ok = validateQuery(m_conn, checked); !ok)
        return std::unexpected(ok.error());
    if (auto ok = requireSession(m_conn, query.sessionId); !ok)
        return std::unexpected(ok.error());
    const Dialect& d = m_conn.dialect();
    auto inTime = timeOrdered(m_conn, query);
    if (!inTime)
        return std::unexpected(inTime.error());
    SqlWhere where;
    const QString dir = query.fromEnd ? QStringLiteral("DESC") : QStringLiteral("ASC");
    QString sql;
    if (*inTime) { // the order of page()'s time-ordered walk
        const QString from = timeOrderFrom(d, features(), query, where);
        sql = QStringLiteral("SELECT ts, id FROM (SELECT %1 AS ts, m.id AS id, row_number() OVER "
                             "(ORDER BY o.micros %2, o.id %2) AS rn%3%4) AS w WHERE rn %5 ? = 0 "
                             "ORDER BY rn")
                  .arg(d.timestampSelect(QStringLiteral("m.\"timestamp\"")), dir, from,
                       where.text(), QStringLiteral("%"));
    } else {
        addMessageFilter(where, d, features(), query.sessionId, query.viewer, query.filter);
        // The window runs over (timestamp, id) only: an index-only scan where the filter
        // is the session alone. Its NULL placement is the engine's, as in page().
        sql = QStringLiteral("SELECT ts, id FROM (SELECT %1 AS ts, id, row_number() OVER (ORDER "
                             "BY \"timestamp\" %2, id %2) AS rn FROM messages%3) AS w WHERE rn "
                             "%4 ? = 0 ORDER BY rn")
                  .arg(d.timestampSelect(QStringLiteral("\"timestamp\"")), dir, where.text(),
                       QStringLiteral("%"));
    }
    auto q = m_conn.exec(sql, where.binds + QVariantList{every});
    if (!q)
        return std::unexpected(q.error());
    QStringList result{QString()};
    while (q->next())
        result
            << MessageCursor{RawValue::fromVariant(q->value(0)), q->value(1).toLongLong()}.encode();
    return result;
}

} // namespace ctx
