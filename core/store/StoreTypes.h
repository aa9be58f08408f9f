#pragma once

#include "core/values/RawValue.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace ctx {

// Who is reading: the server's visibility rules depend on it. A non-admin agent X
// sees public messages plus its own private and agent_only ones; admin_only only
// for admins; admins see everything.
struct Viewer {
    bool admin = true;
    QString agentId;
    static Viewer asAdmin() { return {true, {}}; }
    static Viewer asAgent(const QString& id) { return {false, id}; }
    bool operator==(const Viewer&) const = default;
};

// How much SessionStore::list reads per session besides the sessions table.
enum class SessionDetail { CountsOnly, WithAgents };

struct SessionInfo {
    QString id;
    QString purpose;
    QString createdBy;
    bool active = true;
    std::optional<qint64> createdAt; // UTC microseconds
    std::optional<qint64> lastActivity;
    qint64 messageCount = 0;
    QStringList agents; // distinct senders
    QString metadataJson;
};

struct NewMessage {
    QString sessionId;
    QString sender;
    QString senderType = QStringLiteral("generic");
    QString content;
    QString visibility = QStringLiteral("public");
    QString messageType = QStringLiteral("agent_response");
    QString metadataJson; // a JSON object or empty
    std::optional<qint64> parentId;
};

struct Message {
    qint64 id = 0;
    QString sessionId;
    QString sender;
    QString senderType;
    QString content;
    QString visibility;
    QString messageType;
    QString metadataJson;
    std::optional<qint64> timestamp; // UTC microseconds, when parseable
    RawValue rawTimestamp;           // as stored (SQLite storage type included)
    std::optional<qint64> parentId;
};

struct MessageFilter {
    QString sender;
    QString senderType;
    QString visibility;
    QString messageType;
    std::optional<qint64> since; // UTC microseconds, inclusive
    std::optional<qint64> until; // exclusive
    bool operator==(const MessageFilter&) const = default;
};

// A page request: keyset paging in (timestamp, id) order, never OFFSET.
struct MessageQuery {
    QString sessionId; // empty: all sessions
    Viewer viewer;
    MessageFilter filter;
    int limit = 50;        // 1..1000
    QString after;         // cursor from a previous page (empty: from the start)
    bool fromEnd = false;  // newest first, for "jump to the end"
    bool withTotal = true; // count the matching rows too
};

struct MessagePage {
    QList<Message> messages;
    qint64 total = -1; // -1 when not counted
    bool hasMore = false;
    QString nextCursor; // pass as MessageQuery::after
};

struct MessageThread {
    QList<Message> ancestors; // root first
    Message message;
    QList<Message> replies; // direct and indirect, in time order
};

struct SearchHit {
    Message message;
    double rank = 0;
    QString snippet; // content excerpt around the match
};

// How a search found its hits: through a full-text index over every message, or
// (no index prepared) the server's own bounded scan of the most recent messages.
enum class SearchMethod {
    SqliteFts,        // FTS5 table inside the database
    SqliteFtsCache,   // FTS5 index in a side cache file (read-only sources)
    PostgresFullText, // GIN index on to_tsvector('simple', content)
    FullScan,         // substring scan of every message, newest first (no index)
};
QString searchMethodName(SearchMethod method);
// What a search result says when only the newest `window` matches of a common word
// were ranked (SearchIndex::lastRankWindow); empty for 0.
QString rankWindowNote(int window);
// What a result found without waiting for the index says (SearchIndex::searchNewest):
// how much of the messages, newest first, was read; "no index yet" while one is being
// built (SQLite's side index), "no index" where none is coming (a read-only PostgreSQL).
QString scanReachNote(qint64 idsRead, qint64 idsTotal, bool indexComing = true);

struct SearchQuery {
    QString text;
    QString sessionId; // empty: all sessions
    Viewer viewer;
    int limit = 50;
};

struct MemoryWrite {
    QString agentId;
    QString key;
    QString value;
    QString sessionId; // empty: global
    QString metadataJson;
    qint64 ttlSeconds = 0; // 0: never expires; at most 31,536,000
    bool overwrite = true;
};

struct MemoryEntry {
    qint64 id = 0;
    QString agentId;
    QString sessionId;
    QString key;
    QString value;
    QString metadataJson;
    std::optional<qint64> createdAt;
    std::optional<qint64> updatedAt;
    std::optional<qint64> expiresAt;
};

struct MemoryQuery {
    QString agentId;   // empty: all agents
    QString sessionId; // with global = false: that session only
    bool global = false;
    QString prefix;
    int limit = 1000;
    // The server never returns expired entries; the inspector shows them, dimmed.
    bool includeExpired = false;
};

struct AuditEvent {
    qint64 id = 0;
    std::optional<qint64> timestamp;
    QString eventType;
    QString agentId;
    QString sessionId;
    QString resource;
    QString action;
    QString result;
    QString metadataJson;
};

struct AuditQuery {
    QString agentId;
    QString eventType;
    QString sessionId;
    std::optional<qint64> since;
    std::optional<qint64> until;
    int limit = 1000;
};

struct TokenInfo {
    qint64 id = 0;
    QString tokenId;
    QString agentId;
    qint64 byteLength = 0; // the encrypted bytes are never decoded
    std::optional<qint64> createdAt;
    std::optional<qint64> expiresAt;
    bool expired = false;
};

struct CleanupOptions {
    int auditDays = 30; // audit rows older than this; 0 keeps all
    bool dryRun = false;
};

struct CleanupReport {
    qint64 expiredMemory = 0;
    qint64 expiredTokens = 0;
    qint64 oldAudit = 0;
};

struct Health {
    QString engine;
    QString serverVersion;
    int schemaVersion = 0;
    QList<std::pair<QString, qint64>> rowCounts;
    qint64 fileBytes = -1; // SQLite file, or PostgreSQL database size
    qint64 walBytes = -1;  // SQLite -wal file
};

} // namespace ctx
