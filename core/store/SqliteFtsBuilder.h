#pragma once

#include "core/Error.h"

#include <QStringList>
#include <atomic>
#include <functional>

struct sqlite3;

namespace ctx::store {

using IndexProgress = std::function<void(qint64 done, qint64 total)>;

// The FTS5 index over messages: a contentless table (rowid = message id) with the
// columns content, sender and meta (metadata's scalar values), plus a small state
// table remembering the last indexed id. Messages are never updated or deleted by
// the server, so refreshing means indexing the ids above it; a changed source (the
// last indexed row differs) is indexed again from scratch.
class SqliteFtsBuilder {
public:
    static constexpr const char* kTable = "ctx_messages_fts";
    static constexpr const char* kState = "ctx_fts_state";

    // Brings `target`.ctx_messages_fts up to date with `source`.messages, both
    // schemas of one native connection. Batches of rows, each in its own transaction.
    // When *stop turns true (from any thread) the batch running is interrupted within
    // a few thousand SQLite instructions and rolled back, and the call fails with
    // Cancelled; the batches committed before stay, and the next refresh goes on
    // from there.
    // sourceUnchanged, when given, is asked before each batch commits: a batch read from
    // a source that changed under it (SourceWatch) is rolled back and its error returned.
    static Status refresh(sqlite3* db, const QString& target, const QString& source,
                          const IndexProgress& progress, const std::atomic<bool>* stop = nullptr,
                          const std::function<Status()>& sourceUnchanged = {});
    // Side cache for a read-only source: opens (creates) the cache file, attaches
    // the source read-only, refreshes. Returns the cache file's path.
    static Result<QString> refreshCache(const QString& sourcePath, const QString& cacheDir,
                                        const IndexProgress& progress,
                                        const std::atomic<bool>* stop = nullptr);
    // The last message id a side cache file has indexed: 0 when there is no such file
    // or it holds nothing yet. Reads the file only.
    static Result<qint64> indexedUpTo(const QString& cachePath);
    // The cache file a source maps to (by its canonical path).
    static QString cachePathFor(const QString& sourcePath, const QString& cacheDir);

    // The words of a user's query, and the FTS5 MATCH text for them (every word
    // required, each quoted so that no FTS5 syntax leaks in).
    static QStringList words(const QString& text);
    static QString matchExpression(const QStringList& words);
};

} // namespace ctx::store
