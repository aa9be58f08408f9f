#pragma once

// The storage core's operations: the server's meaning, one code path for SQLite and
// PostgreSQL. Each class does one job over a Connection owned by the calling thread.
// Errors are values (invalid session id, unknown session, content too long, bad
// visibility, bad JSON, invalid key): a clear message, nothing written.

#include "StoreFeatures.h"
#include "StoreTypes.h"
#include "core/db/Connection.h"

#include <QDeadlineTimer>
#include <atomic>
#include <functional>

namespace ctx {

class SessionStore {
public:
    explicit SessionStore(const Connection& conn)
        : m_conn(conn) {}
    // id: "session_" + 16 lowercase hex
    Result<QString> create(const QString& purpose, const QString& createdBy,
                           const QString& metadataJson = {});
    Result<SessionInfo> get(const QString& id);
    // With message counts and last activity, newest activity first; with the distinct
    // agents too unless detail is CountsOnly. Counts alone are read from an index holding
    // (session_id, timestamp) where there is one; agents need (session_id, sender) or the
    // table itself, which on a legacy file of ten million messages means the whole file.
    Result<QList<SessionInfo>> list(int limit = 1000,
                                    SessionDetail detail = SessionDetail::WithAgents);
    Status deactivate(const QString& id);
    static bool isValidId(const QString& id);

private:
    const Connection& m_conn;
};

class MessageStore {
public:
    explicit MessageStore(const Connection& conn)
        : m_conn(conn) {}
    Result<qint64> add(const NewMessage& message);
    Result<Message> get(qint64 id);
    // The message as the viewer may see it: one the viewer may not see is "not found",
    // the same answer as for an id that does not exist.
    Result<Message> get(qint64 id, const Viewer& viewer);
    // A page of 1–1000 in time order with total and has_more, keyset-paged.
    Result<MessagePage> page(const MessageQuery& query);
    // The number of messages the query matches (its limit, cursor and direction do not
    // matter), without reading a page: a list shows its first rows first and counts apart.
    Result<qint64> count(const MessageQuery& query);
    // The message, its ancestors and its replies, as the viewer may see them.
    Result<MessageThread> thread(qint64 id, const Viewer& viewer);
    // Every `every`-th cursor of a query's order: lets a view jump to any row
    // without OFFSET (row N starts at anchors[N / every]).
    Result<QStringList> anchors(const MessageQuery& query, int every);

private:
    const StoreFeatures& features() const;
    const Connection& m_conn;
    mutable std::optional<StoreFeatures> m_features;
};

// What a scan without an index says when an index would have answered it in
// milliseconds (SearchIndex::lastScanWantsIndex): how to get one on this engine.
QString indexAdviceNote(Engine engine);

class SearchIndex {
public:
    explicit SearchIndex(const Connection& conn)
        : m_conn(conn) {}
    // Ranked matches across content, sender and metadata values.
    Result<QList<SearchHit>> search(const SearchQuery& query);
    // SQLite: builds or refreshes the FTS5 index (in the database when writable and
    // allowed, otherwise in a side cache file). PostgreSQL: uses the GIN index on
    // to_tsvector('simple', content), creating it when writable and allowed.
    Status prepare(bool allowWriteToDatabase = false);
    bool isPrepared() const;
    // SQLite: about how many messages prepare() would still have to index (by ids), so
    // that a caller can answer from searchNewest() and build the index elsewhere
    // (SqliteFtsBuilder::refreshCache on its own thread) instead of waiting. 0 on
    // PostgreSQL, once prepared, and for an index inside a read-only database.
    Result<qint64> backlog() const;
    // A backlog prepare() clears in about a second.
    static constexpr qint64 kQuickBacklog = 20000;
    // Without waiting for an index: the newest messages, newest first (as search() does
    // without one), read until `deadline` (at least one range). lastScanReach() says how
    // far it read.
    Result<QList<SearchHit>> searchNewest(const SearchQuery& query, QDeadlineTimer deadline);
    struct ScanReach {
        qint64 idsRead = 0;  // the span of ids read, newest first
        qint64 idsTotal = 0; // the span of every message's id
        bool everyMessage() const { return idsRead >= idsTotal; }
    };
    ScanReach lastScanReach() const { return m_lastScanReach; }
    // The last search scanned without an index and read past the newest range of ids
    // (a word not in the newest messages): an index would have answered it at once
    // (indexAdviceNote). False after an indexed search.
    bool lastScanWantsIndex() const { return m_lastScanWantsIndex; }
    // How search() finds hits now: an index when prepared, else a scan of every message.
    SearchMethod method() const;
    // Called while prepare() indexes rows (done, total), from the calling thread.
    void setProgress(std::function<void(qint64, qint64)> progress);
    // prepare() stops building SQLite's full-text index, keeping what it committed,
    // soon after *stop turns true (set from any thread: Cancel, closing the database).
    void setStopFlag(const std::atomic<bool>* stop) { m_stop = stop; }
    // Where side cache files live: $XDG_CACHE_HOME/context-studio/fts (or ~/.cache/...).
    static QString cacheDirectory();
    // PostgreSQL: whether the last search read its matches through the GIN index
    // (true) or walked the newest messages (false); unset before a search.
    std::optional<bool> lastSearchUsedIndex() const { return m_lastSearchUsedIndex; }
    // When the last search found more matches than it ranks (a word in many messages),
    // the number of newest matches it ranked; 0 when it ranked every match.
    int lastRankWindow() const { return m_lastRankWindow; }

private:
    // No index: every message, newest first (MessageScan).
    Result<QList<SearchHit>> scan(const SearchQuery& query);
    Result<QList<SearchHit>> postgresSearch(const SearchQuery& query, const QStringList& words);
    struct SqliteHits {
        QList<SearchHit> hits;
        int candidates = 0; // matches in the window (0: every match was ranked)
    };
    // window > 0: rank only the newest `window` matches; 0: every match.
    Result<SqliteHits> sqliteSearch(const SearchQuery& query, const QStringList& words, int window);
    // Each word's inverse document frequency, estimated from its newest matches.
    Result<QVariantList> estimatedIdf(const QStringList& words) const;
    bool postgresIndexExists() const;
    const StoreFeatures& features() const;
    const Connection& m_conn;
    mutable std::optional<StoreFeatures> m_features;
    QString m_ftsTable; // schema-qualified FTS5 table once prepared (SQLite)
    const std::atomic<bool>* m_stop = nullptr;
    mutable std::optional<SearchMethod> m_method; // detected on first use
    std::function<void(qint64, qint64)> m_progress;
    std::optional<bool> m_lastSearchUsedIndex;
    int m_lastRankWindow = 0;
    ScanReach m_lastScanReach;
    bool m_lastScanWantsIndex = false;
    std::optional<double> m_postgresRows; // pg_class.reltuples of messages, read once
};

class MemoryStore {
public:
    explicit MemoryStore(const Connection& conn)
        : m_conn(conn) {}
    Status set(const MemoryWrite& write);
    // Expired entries are never returned.
    Result<std::optional<MemoryEntry>> get(const QString& agentId, const QString& key,
                                           const QString& sessionId = {});
    Result<QList<MemoryEntry>> list(const MemoryQuery& query);
    static bool isValidKey(const QString& key);

private:
    Status setOnce(const MemoryWrite& write);
    const Connection& m_conn;
};

class AuditStore {
public:
    explicit AuditStore(const Connection& conn)
        : m_conn(conn) {}
    Result<qint64> append(const AuditEvent& event);
    Result<QList<AuditEvent>> query(const AuditQuery& query);

private:
    const Connection& m_conn;
};

class TokenStore {
public:
    explicit TokenStore(const Connection& conn)
        : m_conn(conn) {}
    Result<QList<TokenInfo>> list(const QString& agentId = {}, int limit = 1000);

private:
    const StoreFeatures& features() const;
    const Connection& m_conn;
    mutable std::optional<StoreFeatures> m_features;
};

class StoreMaintenance {
public:
    explicit StoreMaintenance(const Connection& conn)
        : m_conn(conn) {}
    Result<CleanupReport> cleanup(const CleanupOptions& options);
    Result<Health> health();

private:
    const StoreFeatures& features() const;
    const Connection& m_conn;
    mutable std::optional<StoreFeatures> m_features;
};

} // namespace ctx
