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

// The messages of a query as a lazy table: rowCount is the total from the first
// page; rows arrive in pages fetched on the worker by keyset (never OFFSET); far
// rows are reached through anchors fetched once per query; pages live in a bounded
// LRU cache; a row whose page is in flight shows a placeholder; a reply from before
// the last setQuery() is dropped. Never blocks the GUI thread.
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
    // Where the anchors are computed (one scan of the query): another connection, so
    // that pages at either end never wait behind it. Defaults to the page session.
    void setAnchorSession(DatabaseSession* session) { m_anchorSession = session; }
    // Starts over with a new query (session, viewer, filter): a new generation.
    void setQuery(const MessageQuery& query);
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
    bool isTotalKnown() const { return m_totalKnown; }
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

signals:
    void totalKnown(qint64 total);
    void pageLoaded(int page);
    void loadFailed(const QString& message);

private:
    void reset(const MessageQuery& query);
    void requestFirstPage();
    void requestAnchors();
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
    qint64 m_total = 0;
    bool m_totalKnown = false;
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
