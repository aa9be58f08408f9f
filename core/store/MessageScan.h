#pragma once

#include "MessageRows.h"
#include "core/db/Connection.h"

#include <QDeadlineTimer>
#include <atomic>

namespace ctx::store {

// Searches without an index, matching as the server does: case-insensitive substrings
// of content, sender or metadata, scored by how often and where the text occurs.
class MessageScan {
public:
    enum class Columns { All, SenderAndMetadata };
    struct Found {
        QList<SearchHit> hits;     // best first, at most the query's limit
        bool windowFilled = false; // more matches exist than were ranked
        // How far it read, by ids: the span from the newest id down to the oldest one
        // read, out of the whole span (equal when every message was read).
        qint64 idsRead = 0;
        qint64 idsTotal = 0;
        // It read past its first range of ids (a word not in the newest messages): a
        // full-text index answers such a search in milliseconds.
        bool indexWouldHelp = false;
    };

    MessageScan(const Connection& conn, const StoreFeatures& features)
        : m_conn(conn)
        , m_features(features) {}

    // Every message (of the session, when given), newest first, in growing ranges of
    // ids, until `window` matches are found or the oldest message was read: a common
    // word answers from the newest rows, a rare one costs one pass over the table (on
    // PostgreSQL with the server's parallel workers, PgScanTuning). The
    // matches found are ranked. Stops early, with what it found, once *stop turns true
    // or, after its first range, once `deadline` has passed.
    Result<Found>
    newestFirst(const SearchQuery& query, int window, const std::atomic<bool>* stop = nullptr,
                QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever)) const;
    // The server's own bounded scan: the most recent 1000 messages only.
    Result<QList<SearchHit>> recent(const SearchQuery& query, Columns columns) const;

    // About 120 characters around the first of the words found in content.
    static QString snippet(const QString& content, const QStringList& words);

private:
    // The needle in the columns, and what the viewer may see.
    void addMatch(SqlWhere& where, const SearchQuery& query, Columns columns) const;
    Result<QList<SearchHit>> read(const QString& sql, const QVariantList& binds,
                                  const SearchQuery& query) const;
    const Connection& m_conn;
    const StoreFeatures& m_features;
};

} // namespace ctx::store
