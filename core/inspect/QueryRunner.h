#pragma once

#include "core/db/Connection.h"
#include "core/db/SqlScript.h"

#include <QElapsedTimer>
#include <QSqlQuery>
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
    void reset() { m_cancelled = false; }

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
};

// Where a script failed: which statement and why (the editor marks it).
struct QueryFailure {
    Error error;
    int index = -1;         // in the statement list
    SqlStatement statement; // offset and line in the script
};

// The SQL console's engine: runs statements one by one on a connection, keeps the
// last result open and hands out its rows in chunks (a lazy grid never holds a
// whole result). A read-only connection stays read-only: statements that would
// change the session's transaction state or write files are refused, and on
// PostgreSQL each statement runs inside a READ ONLY transaction that is rolled back.
class QueryRunner {
public:
    explicit QueryRunner(const Connection& conn);
    ~QueryRunner();

    std::expected<QueryOutcome, QueryFailure> run(const QList<SqlStatement>& statements,
                                                  QueryCanceller* canceller = nullptr);
    // Up to maxRows of the open result; atEnd when it is exhausted.
    QList<QVariantList> fetch(int maxRows, bool* atEnd);
    void close();

    // Why a statement may not run on a read-only connection (empty: it may).
    static QString refusalInReadOnly(const QString& statement);
    static QString firstKeyword(const QString& statement);

private:
    Status runOne(const QString& sql, QueryOutcome& outcome, QueryCanceller* canceller);

    const Connection& m_conn;
    std::unique_ptr<QSqlQuery> m_query;
    bool m_inReadOnlyTransaction = false;
};

} // namespace ctx
