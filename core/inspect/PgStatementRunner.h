#pragma once

#include "ConsoleResult.h"
#include "core/db/Connection.h"

namespace ctx {

class QueryCanceller;

// Runs one console statement on a PostgreSQL connection's own handle, through the
// extended query protocol: the server refuses a message that holds several statements,
// so text the console's splitter misreads can never smuggle a second one (a COMMIT
// that ends the READ ONLY transaction, say). In read-only mode the statement runs in
// BEGIN READ ONLY … ROLLBACK, and a statement that ended that transaction is reported.
// Rows arrive one at a time (single-row mode) up to the bound; then the statement is
// cancelled and the transaction ends.
class PgStatementRunner {
public:
    explicit PgStatementRunner(const Connection& conn);

    Result<ConsoleResult> run(const QString& sql, bool readOnly, const ResultBound& bound,
                              QueryCanceller* canceller);

private:
    Status simple(const char* sql, const QString& doing);
    void stopReading();
    Error errorOf(const QString& message, const QByteArray& state) const;

    const Connection& m_conn;
};

} // namespace ctx
