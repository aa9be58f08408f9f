#pragma once

#include "core/Error.h"
#include "core/db/Connection.h"
#include "core/values/RawValue.h"

#include <QString>
#include <atomic>
#include <limits>

namespace ctx::store {

// True time order for a legacy SQLite session whose timestamp column holds text.
//
// SQLite sorts every number before every text, and texts by their characters: REAL
// epoch rows come before ISO rows of the same day, 'YYYY-MM-DD HH:MM:SS' before
// 'YYYY-MM-DDTHH:MM:SS', and other offsets wherever their digits fall. The column's
// own index therefore gives storage order, not time order, as soon as a session holds
// a text timestamp. Such a session is paged through a side cache instead: a small
// SQLite file in the user's cache directory (never beside the source, never in it)
// holding (session_id, micros, id) for the session's rows, its primary key walked as
// the keyset. Sessions whose timestamps are all numbers keep the column's own index.
//
// The cache is kept per session and brought up to date before each page: built on the
// session's first page, extended with rows whose id is above the newest id it has
// seen (a server appends), and rebuilt for the session when the row it saw last is no
// longer as it was (the file was replaced or rewritten).
class MessageOrderCache {
public:
    static constexpr const char* kSchema = "ctxorder";     // attached to the source
    static constexpr const char* kTable = "message_order"; // session_id, micros, id
    static constexpr const char* kState = "order_sessions";
    // Sort keys of the timestamps that have no time: NULL first (where SQLite sorts
    // it), unparseable values last (where SQLite sorts text and blobs after numbers).
    static constexpr qint64 kNullKey = std::numeric_limits<qint64>::min();
    static constexpr qint64 kUnparseableKey = std::numeric_limits<qint64>::max();

    // Whether the session's pages must go through the cache: one index probe for the
    // session's highest stored timestamp, which is text or blob iff any of its rows is.
    static Result<bool> needed(const Connection& conn, const QString& sessionId);
    // Brings the session's entries up to date and attaches the cache to conn as
    // kSchema (read through conn, written through a connection of its own). When
    // *stop turns true the build is abandoned, Cancelled, with nothing written.
    static Status sync(const Connection& conn, const QString& sessionId,
                       const std::atomic<bool>* stop = nullptr);
    // The sort key of a stored timestamp: UTC microseconds, or one of the keys above.
    static qint64 keyOf(const RawValue& timestamp);
    // $XDG_CACHE_HOME/context-studio/order (or ~/.cache/...), 0700.
    static QString cacheDirectory();
    // The cache file of a source (by its canonical path), in cacheDirectory().
    static QString cachePathFor(const QString& sourcePath);
};

} // namespace ctx::store
