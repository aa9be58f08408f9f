#pragma once

#include "core/db/Connection.h"
#include "core/db/SqlScript.h"
#include "core/inspect/ConsoleResult.h"

#include <QElapsedTimer>
#include <QVariantList>
#include <atomic>
#include <memory>
#include <mutex>

struct pg_cancel;

namespace ctx {

// Stops the statement running on a connection from any thread: sqlite3_interrupt
// for SQLite, PQcancel for PostgreSQL. Create it on the connection's own thread.
class QueryCanceller {
public:
    explicit QueryCanceller(const Connection& conn);
    ~QueryCanceller();
    QueryCanceller(const QueryCanceller&) = delete;
    QueryCanceller& operator=(const QueryCanceller&) = delete;

    void cancel();
    bool wasCancelled() const { return m_cancelled.load(); }
    // The flag cancel() raises, for work that polls (building a search index).
    const std::atomic<bool>* flag() const { return &m_cancelled; }
    void reset() { m_cancelled = false; }
    // The connection was opened again (Connection::reopenChangedSource): null while it
    // is, so that cancel() never interrupts a closed handle.
    void rebind(const Connection* conn);

private:
    sqlite3* m_sqlite = nullptr;
    pg_cancel* m_pg = nullptr;
    std::mutex m_mutex;
    std::atomic<bool> m_cancelled{false};
};

// What the last statement of a script produced.
struct QueryOutcome {
    QStringList columns;
    bool hasRows = false;     // a statement that returns rows (its rows come by fetch())
    qint64 rowsAffected = -1; // for the others
    int statementsRun = 0;
    qint64 elapsedMs = 0;
    qint64 rowsRead = 0;    // rows held for fetch()
    bool truncated = false; // the result bound was reached: more rows existed
};

// Where a script failed: which statement and why (the editor marks it).
struct QueryFailure {
    Error error;
    int index = -1;         // in the statement list
    SqlStatement statement; // offset and line in the script
};

// The SQL console's engine: runs statements one by one, each alone (PostgreSQL: one
// statement per protocol message), reads the last one's rows up to a bound and lets go
// of the database at once: no statement, read transaction or snapshot stays open while
// the user scrolls. A read-only connection stays read-only whatever the text:
// ReadOnlyGuard refuses transaction and session control and out-of-transaction
// functions on the statement's tokens; on SQLite an authorizer and
// sqlite3_stmt_readonly refuse every write; on PostgreSQL each statement runs in its
// own READ ONLY transaction, rolled back.
class QueryRunner {
public:
    explicit QueryRunner(const Connection& conn, const ResultBound& bound = {});
    ~QueryRunner();

    std::expected<QueryOutcome, QueryFailure> run(const QList<SqlStatement>& statements,
                                                  QueryCanceller* canceller = nullptr);
    // Up to maxRows of the last result; atEnd when no row is left.
    QList<QVariantList> fetch(int maxRows, bool* atEnd);
    void close();

    // The lexical rules of the connection's SQL (PostgreSQL: its
    // standard_conforming_strings).
    SqlLexRules lexRules() const;

private:
    Result<ConsoleResult> runOne(const QString& sql, QueryCanceller* canceller);
    Result<ConsoleResult> runSqlite(const QString& sql);

    const Connection& m_conn;
    ResultBound m_bound;
    QList<QVariantList> m_rows;
    qsizetype m_next = 0;
};

} // namespace ctx
