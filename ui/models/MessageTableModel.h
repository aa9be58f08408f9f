#pragma once

#include "MessagePageFetch.h"
#include "PageCache.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QSet>
#include <atomic>
#include <memory>

namespace ctx::ui {

class DatabaseSession;

// The messages of a query as a lazy table. The first rows (the first page, or the
// last page for a list opened at its end) are shown as soon as they arrive, with
// rowCount an estimate (the caller's, or the rows read plus one) while the exact
// count runs apart on the anchor session; then the rows between what is loaded and
// the end are inserted or removed so that rowCount is exact and the rows shown,
// current row included, stay where they were. Rows arrive in pages fetched on the
// worker by keyset (never OFFSET); far rows are reached through anchors fetched once
// per query; pages live in a bounded LRU cache; a row whose page is in flight shows a
// placeholder; a reply from before the last setQuery() is dropped. Never blocks the
// GUI thread.
class MessageTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        TimeColumn,
        SenderColumn,
        SenderTypeColumn,
        VisibilityColumn,
        TypeColumn,
        ContentColumn,
        ColumnCount
    };
    enum Role { MessageIdRole = Qt::UserRole + 1, LoadedRole };

    explicit MessageTableModel(QObject* parent = nullptr);
    ~MessageTableModel() override;

    // Another database: the query, rows, cache, anchors and pages in flight are dropped
    // (a new generation: replies still on their way are ignored).
    void setSession(DatabaseSession* session);
    // Where the exact count and the anchors are computed (each a scan of the query):
    // another connection, so that pages never wait behind them. Defaults to the page
    // session.
    void setAnchorSession(DatabaseSession* session) { m_anchorSession = session; }
    // How a query's first rows are read: from the start or (atEnd) its newest page;
    // estimate: the rows expected (for example the session's message count), or -1.
    struct FirstRows {
        bool atEnd = false;
        qint64 estimate = -1;
    };
    // Starts over with a new query (session, viewer, filter): a new generation.
    void setQuery(const MessageQuery& query, const FirstRows& first);
    void setQuery(const MessageQuery& query) { setQuery(query, FirstRows{}); }
    const MessageQuery& query() const { return m_query; }
    void reload() { setQuery(m_query); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The list form of a row (content cut to a preview); nullptr while not loaded.
    const Message* messageAt(int row) const;
    bool isRowLoaded(int row) const;
    qint64 total() const { return m_total; }
    // False while rowCount is an estimate (or nothing has arrived yet).
    bool isTotalKnown() const { return m_totalKnown; }
    // The first rows are shown and rowCount is an estimate until totalKnown().
    bool isEstimated() const { return m_estimated; }
    bool anchorsReady() const { return m_anchorsReady; }

    // Tuning and proofs for tests and benchmarks.
    int pageSize() const { return m_pageSize; }
    void setPageSize(int rows) { m_pageSize = rows; }
    void setAnchorEvery(int rows) { m_anchorEvery = rows; }
    int maxCachedPages() const { return m_cache.capacity(); }
    void setMaxCachedPages(int pages) { m_cache.setCapacity(pages); }
    int cachedPages() const { return m_cache.size(); }
    int cachedPagesHighWater() const { return m_cache.highWater(); }
    int pagesFetched() const { return m_pagesFetched; }
    int staleRepliesDropped() const { return m_staleDropped; }
    int pagesInFlight() const { return int(m_inFlight.size()); }
    quint64 generation() const { return m_generation; }

    static QString placeholderText() { return tr("loading…"); }
    // The page index of the reply holding the newest rows of a list opened at its end.
    static constexpr int kTailPage = -1;

signals:
    // The first rows are in and rowCount() is an estimate; totalKnown() follows.
    void estimated(qint64 rows);
    void totalKnown(qint64 total);
    void pageLoaded(int page);
    void loadFailed(const QString& message);

private:
    static constexpr int kMaxRowsPerQuery = 1000; // a keyset read's limit
    void reset(const MessageQuery& query);
    void requestFirstRows(bool atEnd);
    void postPage(const PageRequest& req);
    void requestCount();
    void requestAnchors();
    void onFirstRows(const PageReply& reply);
    void onCount(quint64 generation, const Result<qint64>& count);
    void applyCount();
    void emitRowsChanged(qint64 first, qint64 end);
    const Message* rowAt(int row, bool touch) const;
    void wantPage(int page) const;
    void flushWanted();
    bool issuePage(int page);
    void onPage(quint64 generation, const PageReply& reply);
    void emitPageChanged(int page);
    QVariant display(const Message& m, int column) const;

    QPointer<DatabaseSession> m_session;
    QPointer<DatabaseSession> m_anchorSession;
    MessageQuery m_query;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<quint64>> m_liveGeneration;
    qint64 m_total = 0; // rowCount: exact once m_totalKnown, an estimate while m_estimated
    bool m_totalKnown = false;
    bool m_estimated = false;
    bool m_firstRowsIn = false; // the anchors wait for them (one order-cache build at a time)
    qint64 m_estimate = -1;
    qint64 m_counted = -1; // the exact count, once it came (applied after the first rows)
    // Opened at its end: the newest rows, read before the count, are the last
    // m_tail.size() rows (kept once counted: one page beside the cache's bound).
    QList<Message> m_tail;
    int m_pageSize = 200;
    int m_anchorEvery = 200;
    QStringList m_anchors;
    bool m_anchorsRequested = false;
    bool m_anchorsReady = false;
    mutable PageCache<QList<Message>> m_cache{50};
    mutable QSet<int> m_wanted;
    mutable bool m_flushScheduled = false;
    QHash<int, std::shared_ptr<std::atomic<bool>>> m_inFlight; // page -> cancelled flag
    QSet<int> m_failed;
    int m_pagesFetched = 0;
    int m_staleDropped = 0;
};

} // namespace ctx::ui
