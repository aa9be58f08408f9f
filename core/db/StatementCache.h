#pragma once

#include "core/Error.h"

#include <QHash>
#include <QSqlQuery>
#include <QVariantList>
#include <functional>

struct sqlite3;
struct sqlite3_stmt;

namespace ctx {

class Connection;

// One row of a result, read by column index.
class Row {
public:
    virtual ~Row() = default;
    // The value as Qt's drivers give it: qint64, double, QString, QByteArray, and for
    // SQL NULL a null QVariant of type QString.
    virtual QVariant value(int column) const = 0;
};

// The row a QSqlQuery stands on, as a Row.
class QueryRow final : public Row {
public:
    explicit QueryRow(const QSqlQuery& query)
        : m_query(query) {}
    QVariant value(int column) const override { return m_query.value(column); }

private:
    const QSqlQuery& m_query;
};

// Called for each row; returning false stops the reading.
using RowHandler = std::function<bool(const Row&)>;

// The prepared statements of one connection, kept by SQL text for the next call with
// the same text (at most 64). Preparing costs more than running the store's short
// statements: on SQLite the parse and plan of an INSERT with eight indexes, on
// PostgreSQL two extra round trips (Qt's driver sends PREPARE, EXECUTE, DEALLOCATE).
// SQLite statements run on the sqlite3 handle itself: Qt's driver converts every text
// to UTF-16 inside SQLite and boxes each value twice, a third of a page's time.
//
// Ownership: a statement is reset before forEachRow returns, so no read transaction
// stays open behind the caller. A nested call with the text of a running statement gets
// a statement of its own. On PostgreSQL a result arrives whole before its first row is
// handed over (so nesting cannot cut it short): for short results, not for exports.
class StatementCache {
public:
    explicit StatementCache(const Connection& connection);
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    Status forEachRow(const QString& sql, const QVariantList& binds, const RowHandler& onRow);
    // Drops every kept statement, after a schema change (PostgreSQL refuses a kept plan
    // whose result columns changed). One still being read is finalized when it ends.
    void clear();

private:
    Status sqliteRows(const QString& sql, const QVariantList& binds, const RowHandler& onRow);
    Status queryRows(const QString& sql, const QVariantList& binds, const RowHandler& onRow);
    Result<sqlite3_stmt*> prepareSqlite(const QString& sql);
    Error sqliteError(int code) const;
    void dropIdle(); // makes room: statements in use stay
    void release(sqlite3_stmt* stmt);
    void finalizeRetired();

    const Connection& m_connection;
    sqlite3* m_db = nullptr; // SQLite: the connection's handle, looked up once
    QHash<QString, sqlite3_stmt*> m_sqlite;
    QList<sqlite3_stmt*> m_retired; // dropped while being read
    QHash<QString, QSqlQuery> m_queries;
};

} // namespace ctx
