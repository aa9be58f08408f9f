#include "MessageTableModel.h"

#include "ui/views/InertText.h"
#include "ui/workers/DatabaseSession.h"

#include <QApplication>
#include <QDateTime>
#include <QPalette>
#include <QTimer>

namespace ctx::ui {

namespace {
QString timeText(const Message& m) {
    if (m.timestamp)
        return QDateTime::fromMSecsSinceEpoch(*m.timestamp / 1000, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    return m.rawTimestamp.display();
}
} // namespace

MessageTableModel::MessageTableModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_liveGeneration(std::make_shared<std::atomic<quint64>>(0)) {}

MessageTableModel::~MessageTableModel() {
    // Queued jobs of this model go stale and are skipped on the worker.
    m_liveGeneration->store(~quint64(0));
}

void MessageTableModel::setSession(DatabaseSession* session) {
    m_session = session;
    m_anchorSession = nullptr;
    reset(MessageQuery{});
}

void MessageTableModel::setQuery(const MessageQuery& query, const FirstRows& first) {
    reset(query);
    m_estimate = first.estimate;
    requestFirstRows(first.atEnd);
    requestCount();
}

void MessageTableModel::reset(const MessageQuery& query) {
    beginResetModel();
    m_query = query;
    ++m_generation;
    m_liveGeneration->store(m_generation);
    for (const auto& flag : std::as_const(m_inFlight))
        flag->store(true);
    m_inFlight.clear();
    m_cache.clear();
    m_wanted.clear();
    m_failed.clear();
    m_anchors.clear();
    m_anchorsRequested = m_anchorsReady = false;
    m_total = 0;
    m_totalKnown = m_estimated = m_firstRowsIn = false;
    m_estimate = m_counted = -1;
    m_tail.clear();
    endResetModel();
}

int MessageTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(std::min<qint64>(m_total, INT_MAX));
}

int MessageTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessageTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case IdColumn:
        return tr("Id");
    case TimeColumn:
        return tr("Time (UTC)");
    case SenderColumn:
        return tr("Sender");
    case SenderTypeColumn:
        return tr("Sender type");
    case VisibilityColumn:
        return tr("Visibility");
    case TypeColumn:
        return tr("Type");
    case ContentColumn:
        return tr("Content");
    default:
        return {};
    }
}

const Message* MessageTableModel::rowAt(int row, bool touch) const {
    if (row < 0 || row >= m_total)
        return nullptr;
    const qint64 tailStart = m_total - m_tail.size();
    if (row >= tailStart)
        return &m_tail.at(int(row - tailStart));
    const int page = row / m_pageSize;
    const auto* rows = touch ? m_cache.get(page) : m_cache.peek(page);
    const int offset = row % m_pageSize;
    return rows && offset < rows->size() ? &rows->at(offset) : nullptr;
}

const Message* MessageTableModel::messageAt(int row) const {
    return rowAt(row, false);
}

bool MessageTableModel::isRowLoaded(int row) const {
    return messageAt(row) != nullptr;
}

QVariant MessageTableModel::display(const Message& m, int column) const {
    switch (column) {
    case IdColumn:
        return m.id;
    case TimeColumn:
        return timeText(m);
    case SenderColumn:
        return m.sender;
    case SenderTypeColumn:
        return m.senderType;
    case VisibilityColumn:
        return m.visibility;
    case TypeColumn:
        return m.messageType;
    case ContentColumn: {
        QString s = m.content.left(160);
        s.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return s;
    }
    default:
        return {};
    }
}

QVariant MessageTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_total)
        return {};
    const int page = index.row() / m_pageSize;
    const Message* m = rowAt(index.row(), true);
    if (!m) {
        if (!m_cache.contains(page))
            wantPage(page);
        if (role == Qt::DisplayRole)
            return index.column() == ContentColumn
                       ? QVariant(m_failed.contains(page) ? tr("(could not load)")
                                                          : placeholderText())
                       : QVariant(QStringLiteral("…"));
        if (role == Qt::ForegroundRole)
            return QApplication::palette().brush(QPalette::PlaceholderText);
        if (role == LoadedRole)
            return false;
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        return display(*m, index.column());
    case Qt::ToolTipRole:
        return index.column() == ContentColumn ? QVariant(plainToolTip(m->content)) : QVariant();
    case MessageIdRole:
        return m->id;
    case LoadedRole:
        return true;
    case Qt::TextAlignmentRole:
        return index.column() == IdColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                          : QVariant();
    default:
        return {};
    }
}

void MessageTableModel::wantPage(int page) const {
    if (m_inFlight.contains(page) || m_failed.contains(page))
        return;
    m_wanted.insert(page);
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        auto* self = const_cast<MessageTableModel*>(this);
        QTimer::singleShot(0, self, [self] { self->flushWanted(); });
    }
}

void MessageTableModel::flushWanted() {
    m_flushScheduled = false;
    const QSet<int> wanted = std::exchange(m_wanted, {});
    // Pages asked for by an earlier paint but far from what is on screen now are
    // dropped before they run (a fast scroll must not queue hundreds of pages).
    if (!wanted.isEmpty()) {
        for (auto it = m_inFlight.begin(); it != m_inFlight.end(); ++it) {
            bool near = it.key() <= 0; // the first rows are never dropped
            for (int w : wanted)
                near = near || std::abs(w - it.key()) <= 2;
            if (!near)
                it.value()->store(true);
        }
    }
    for (int page : wanted)
        if (!m_cache.contains(page))
            issuePage(page);
}

bool MessageTableModel::issuePage(int page) {
    if (!m_session || (!m_totalKnown && !m_estimated) || m_inFlight.contains(page))
        return false;
    PageRequest req;
    req.base = m_query;
    req.page = page;
    req.pageSize = m_pageSize;
    const qint64 start = qint64(page) * m_pageSize;
    if (!m_totalKnown) {
        // Rows are known by their place from the start only, and short of the newest rows
        // already shown; the others wait for the count.
        const qint64 end = m_tail.isEmpty() ? kMaxRowsPerQuery : m_total - m_tail.size();
        if (start + m_pageSize > std::min<qint64>(kMaxRowsPerQuery, end))
            return false;
        req.from = PageRequest::From::Start;
        req.skip = int(start);
        req.limit = int(start) + m_pageSize;
    } else if (m_anchorsReady && !m_anchors.isEmpty()) {
        const int k = std::min<qint64>(start / m_anchorEvery, m_anchors.size() - 1);
        req.from = PageRequest::From::Anchor;
        req.anchor = m_anchors.at(k);
        req.skip = int(start - qint64(k) * m_anchorEvery);
        req.limit = req.skip + m_pageSize;
    } else if (start + m_pageSize <= kMaxRowsPerQuery) {
        req.from = PageRequest::From::Start;
        req.skip = int(start);
        req.limit = int(start) + m_pageSize;
    } else if (m_total - start <= kMaxRowsPerQuery) {
        req.from = PageRequest::From::End;
        req.limit = int(m_total - start);
    } else {
        requestAnchors(); // the page is requested again once the anchors are in
        return false;
    }
    if (req.limit > kMaxRowsPerQuery) {
        requestAnchors();
        return false;
    }
    postPage(req);
    return true;
}

// On the page session; skipped on the worker once another query started or the page
// was cancelled (evicted before it was read).
void MessageTableModel::postPage(const PageRequest& req) {
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    m_inFlight.insert(req.page, cancelled);
    const quint64 gen = m_generation;
    auto live = m_liveGeneration;
    m_session->run<PageReply>(
        this,
        [req, gen, live, cancelled](WorkerContext& ctx) {
            if (live->load() != gen || cancelled->load() || !ctx.conn) {
                PageReply skipped;
                skipped.page = req.page;
                skipped.skipped = true;
                return skipped;
            }
            return fetchMessagePage(*ctx.conn, req);
        },
        [this, gen](const PageReply& reply) { onPage(gen, reply); });
}

void MessageTableModel::requestAnchors() {
    // After the first rows: on a session walked through the time-order cache, the first
    // page builds it, and the anchors' scan on the other connection must not race it.
    if (m_anchorsRequested || !m_session || !m_totalKnown || !m_firstRowsIn)
        return;
    m_anchorsRequested = true;
    const MessageQuery base = m_query;
    const int every = m_anchorEvery;
    const quint64 gen = m_generation;
    auto live = m_liveGeneration;
    using Anchors = Result<QStringList>;
    DatabaseSession* target = m_anchorSession ? m_anchorSession.data() : m_session.data();
    target->run<Anchors>(
        this,
        [base, every, gen, live](WorkerContext& ctx) -> Anchors {
            if (live->load() != gen || !ctx.conn)
                return fail(ErrorCode::Cancelled, QStringLiteral("stale"));
            return fetchAnchors(*ctx.conn, base, every);
        },
        [this, gen](const Anchors& anchors) {
            if (gen != m_generation) {
                ++m_staleDropped;
                return;
            }
            if (!anchors) {
                emit loadFailed(anchors.error().oneLine());
                return;
            }
            m_anchors = *anchors;
            m_anchorsReady = true;
            // Rows on screen ask again for their pages, now reachable by anchor.
            if (m_total > 0)
                emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        });
}

void MessageTableModel::onPage(quint64 generation, const PageReply& reply) {
    if (generation != m_generation) {
        ++m_staleDropped;
        return;
    }
    m_inFlight.remove(reply.page);
    if (reply.skipped) {
        emitPageChanged(reply.page); // still on screen? then it asks again
        return;
    }
    if (reply.error) {
        m_failed.insert(reply.page);
        emit loadFailed(reply.error->oneLine());
        emitPageChanged(reply.page);
        if ((reply.page == kTailPage || reply.page == 0) && !m_firstRowsIn) {
            m_firstRowsIn = true; // pages are read one by one once counted
            if (m_counted >= 0)
                applyCount();
        }
        return;
    }
    ++m_pagesFetched;
    if (reply.page == kTailPage || (reply.page == 0 && !m_firstRowsIn)) {
        onFirstRows(reply);
        return;
    }
    m_cache.insert(reply.page, reply.rows);
    emitPageChanged(reply.page);
    emit pageLoaded(reply.page);
}

void MessageTableModel::emitPageChanged(int page) {
    if (page >= 0)
        emitRowsChanged(qint64(page) * m_pageSize, qint64(page + 1) * m_pageSize);
}

void MessageTableModel::emitRowsChanged(qint64 first, qint64 end) {
    first = std::max<qint64>(first, 0);
    end = std::min(end, m_total);
    if (first < end)
        emit dataChanged(index(int(first), 0), index(int(end) - 1, ColumnCount - 1));
}

} // namespace ctx::ui
