#pragma once

#include "RowConverter.h"
#include "core/Error.h"

#include <QSet>
#include <functional>
#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace ctx {

class SessionKeys;

// Where one of the five tables lives in a legacy file: whether it exists and which
// of its columns do (version 1 has no sender_type, a "3" file may lack secure_tokens).
struct SourceTableLayout {
    TableSpec spec;
    bool present = false;
    QList<bool> columnPresent;
    bool hasColumn(const QString& name) const;
};

// Streams a table's rows in rowid order over (after, upTo] through the native
// SQLite API, keeping each value's storage class, with the row's context (missing
// session, dangling parent, dropped duplicate) computed by the same query. Values
// point into SQLite's buffers until the next call (zero copy) unless asked otherwise.
class SourceCursor {
public:
    static Result<std::unique_ptr<SourceCursor>> open(sqlite3* db, const SourceTableLayout& layout,
                                                      qint64 after, qint64 upTo,
                                                      const QSet<qint64>* duplicates = nullptr,
                                                      bool zeroCopy = true);
    ~SourceCursor();
    SourceCursor(const SourceCursor&) = delete;
    SourceCursor& operator=(const SourceCursor&) = delete;

    // Session ids that arrive under another id (SessionKeys): the context then names it.
    void setSessionKeys(const SessionKeys* keys);

    // Steps to the next row; false at the end.
    Result<bool> next();
    qint64 rowid() const { return m_rowid; }
    const QList<RawValue>& values() const { return m_values; }
    const RowContext& context() const { return m_context; }
    qint64 rowBytes() const { return m_rowBytes; } // stored payload of the current row

private:
    SourceCursor() = default;
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    const QSet<qint64>* m_duplicates = nullptr;
    const SessionKeys* m_keys = nullptr;
    int m_sessionColumn = -1; // the row's session id: sessions.id or a session_id reference
    bool m_sessionsTable = false;
    bool m_tokensTable = false;
    bool m_zeroCopy = true;
    int m_columns = 0;
    qint64 m_rowid = 0;
    qint64 m_rowBytes = 0;
    QList<RawValue> m_values;
    RowContext m_context;
};

// Runs a query through the native handle: binds integers, calls back per row.
class SqliteRows {
public:
    using RowFn = std::function<bool(sqlite3_stmt*)>; // return false to stop
    static Status each(sqlite3* db, const QByteArray& sql, const QList<qint64>& binds,
                       const RowFn& fn);
    static RawValue column(sqlite3_stmt* stmt, int index, bool zeroCopy);
};

} // namespace ctx
