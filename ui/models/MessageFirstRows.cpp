// MessageTableModel's first rows and its count: the first page (or the newest page of a
// list opened at its end) is shown as soon as it is read, with an estimated rowCount;
// the exact count runs on the anchor session and then fixes rowCount by inserting or
// removing the rows nobody has seen yet, between the rows read and the end.
#include "MessageTableModel.h"

#include "ui/workers/DatabaseSession.h"

namespace ctx::ui {

// The first rows without a count: the first page, or the newest page read backwards.
void MessageTableModel::requestFirstRows(bool atEnd) {
    if (!m_session)
        return;
    PageRequest req;
    req.base = m_query;
    req.page = atEnd ? kTailPage : 0;
    req.from = atEnd ? PageRequest::From::End : PageRequest::From::Start;
    req.pageSize = m_pageSize;
    req.limit = m_pageSize;
    postPage(req);
}

// The exact count, on the anchor session: no page waits behind it.
void MessageTableModel::requestCount() {
    if (!m_session)
        return;
    const MessageQuery base = m_query;
    const quint64 gen = m_generation;
    auto live = m_liveGeneration;
    using Count = Result<qint64>;
    DatabaseSession* target = m_anchorSession ? m_anchorSession.data() : m_session.data();
    target->run<Count>(
        this,
        [base, gen, live](WorkerContext& ctx) -> Count {
            if (live->load() != gen || !ctx.conn)
                return fail(ErrorCode::Cancelled, QStringLiteral("stale"));
            return countMessages(*ctx.conn, base);
        },
        [this, gen](const Count& count) { onCount(gen, count); });
}

// totalKnown() always comes with the first rows or after them: a count that came first
// waits here (and is the estimate, so that no row moves).
void MessageTableModel::onFirstRows(const PageReply& reply) {
    m_firstRowsIn = true;
    const bool atEnd = reply.page == kTailPage;
    const qint64 rows = reply.rows.size();
    m_estimated = reply.hasMore; // otherwise these are all its rows: the exact count
    m_totalKnown = !reply.hasMore;
    const qint64 estimate = m_counted >= 0 ? m_counted : m_estimate;
    const qint64 shown = m_estimated ? std::max(estimate, rows + 1) : rows;
    if (atEnd && m_estimated)
        m_tail = reply.rows;
    else
        m_cache.insert(0, reply.rows);
    if (shown > 0) {
        beginInsertRows({}, 0, int(std::min<qint64>(shown, INT_MAX)) - 1);
        m_total = shown;
        endInsertRows();
    }
    if (m_estimated) {
        emit estimated(m_total);
        emit pageLoaded(atEnd ? int((m_total - 1) / m_pageSize) : 0);
        if (m_counted >= 0)
            applyCount();
    } else {
        emit totalKnown(m_total);
        emit pageLoaded(0);
    }
}

void MessageTableModel::onCount(quint64 generation, const Result<qint64>& count) {
    if (generation != m_generation) {
        ++m_staleDropped;
        return;
    }
    if (!count) {
        emit loadFailed(count.error().oneLine());
        return;
    }
    m_counted = std::min<qint64>(*count, INT_MAX);
    if (m_firstRowsIn)
        applyCount();
}

void MessageTableModel::applyCount() {
    if (m_totalKnown) // the first page held every row
        return;
    const qint64 exact = m_counted;
    const qint64 tail = m_tail.size();
    if (!m_estimated) { // the first rows failed: placeholders
        if (exact > 0) {
            beginInsertRows({}, 0, int(exact) - 1);
            m_total = exact;
            endInsertRows();
        }
    } else if (exact > m_total) {
        // The rows between the first page (or the start) and the newest rows shown.
        const int at = int(m_total - tail);
        beginInsertRows({}, at, at + int(exact - m_total) - 1);
        m_total = exact;
        endInsertRows();
    } else if (exact < m_total && exact >= tail) {
        beginRemoveRows({}, int(exact - tail), int(m_total - tail) - 1);
        m_total = exact;
        endRemoveRows();
    } else if (exact < tail) { // rows deleted since: start over from what the count says
        beginResetModel();
        m_tail.clear();
        m_cache.clear();
        m_total = exact;
        endResetModel();
    }
    m_totalKnown = true;
    m_estimated = false;
    // Placeholders that waited for the count ask again for their pages.
    if (m_total > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit totalKnown(m_total);
    if (m_total > kMaxRowsPerQuery * 2)
        requestAnchors();
}

} // namespace ctx::ui
