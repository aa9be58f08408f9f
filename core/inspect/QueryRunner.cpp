#include "QueryRunner.h"

#include "PgStatementRunner.h"
#include "ReadOnlyGuard.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QSqlResult>
#include <libpq-fe.h>
#include <optional>
#include <sqlite3.h>

namespace ctx {

QueryCanceller::QueryCanceller(const Connection& conn) {
    if (conn.engine() == Engine::Sqlite)
        m_sqlite = conn.sqliteHandle();
    else if (PGconn* pg = conn.pgHandle())
        m_pg = PQgetCancel(pg);
}

QueryCanceller::~QueryCanceller() {
    if (m_pg)
        PQfreeCancel(m_pg);
}

void QueryCanceller::rebind(const Connection* conn) {
    std::lock_guard lock(m_mutex);
    if (!m_pg)
        m_sqlite = conn ? conn->sqliteHandle() : nullptr;
}

void QueryCanceller::cancel() {
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
    if (m_sqlite)
        sqlite3_interrupt(m_sqlite);
    if (m_pg) {
        char err[256];
        PQcancel(m_pg, err, sizeof err);
    }
}

QueryRunner::QueryRunner(const Connection& conn, const ResultBound& bound)
    : m_conn(conn)
    , m_bound(bound) {}

QueryRunner::~QueryRunner() {
    close();
}

SqlLexRules QueryRunner::lexRules() const {
    if (m_conn.engine() == Engine::Sqlite)
        return SqlLexRules::sqlite();
    PGconn* pg = m_conn.pgHandle();
    const char* scs = pg ? PQparameterStatus(pg, "standard_conforming_strings") : nullptr;
    return SqlLexRules::postgres(!scs || qstrcmp(scs, "off") != 0);
}

std::expected<QueryOutcome, QueryFailure> QueryRunner::run(const QList<SqlStatement>& statements,
                                                           QueryCanceller* canceller) {
    close();
    QueryOutcome outcome;
    QElapsedTimer timer;
    timer.start();
    const SqlLexRules rules = lexRules();
    for (int i = 0; i < statements.size(); ++i) {
        const SqlStatement& st = statements.at(i);
        if (canceller && canceller->wasCancelled())
            return std::unexpected(QueryFailure{
                Error{ErrorCode::Cancelled, QStringLiteral("cancelled"), m_conn.subject()}, i, st});
        if (m_conn.isReadOnly()) {
            if (const QString why = ReadOnlyGuard::refusal(st.text, m_conn.engine(), rules);
                !why.isEmpty())
                return std::unexpected(
                    QueryFailure{Error{ErrorCode::InvalidArgument, why, m_conn.subject()}, i, st});
        }
        close();
        auto result = runOne(st.text, canceller);
        if (!result) {
            Error e = result.error();
            if (canceller && canceller->wasCancelled())
                e = Error{ErrorCode::Cancelled, QStringLiteral("cancelled"), m_conn.subject()};
            return std::unexpected(QueryFailure{e, i, st});
        }
        outcome.columns = result->columns;
        outcome.hasRows = result->hasRows;
        outcome.rowsAffected = result->hasRows ? -1 : result->rowsAffected;
        outcome.rowsRead = result->rows.size();
        outcome.truncated = result->truncated;
        m_rows = std::move(result->rows);
        outcome.statementsRun = i + 1;
    }
    outcome.elapsedMs = timer.elapsed();
    return outcome;
}

Result<ConsoleResult> QueryRunner::runOne(const QString& sql, QueryCanceller* canceller) {
    if (m_conn.engine() == Engine::Postgres)
        return PgStatementRunner(m_conn).run(sql, m_conn.isReadOnly(), m_bound, canceller);
    return runSqlite(sql);
}

Result<ConsoleResult> QueryRunner::runSqlite(const QString& sql) {
    std::optional<ReadOnlyGuard::SqliteAuthorizer> guard;
    if (m_conn.isReadOnly())
        guard.emplace(m_conn.sqliteHandle());
    QSqlQuery q(m_conn.database());
    q.setForwardOnly(true);
    auto failed = [&]() -> Error {
        if (guard && !guard->refused().isEmpty())
            return Error{ErrorCode::InvalidArgument, guard->refused(), m_conn.subject()};
        return m_conn.errorFrom(q.lastError());
    };
    if (!q.prepare(sql))
        return std::unexpected(failed());
    if (guard) {
        const QVariant handle = q.result()->handle();
        if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3_stmt*") != 0)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("read-only mode: the statement cannot be checked"),
                        m_conn.subject());
        sqlite3_stmt* stmt = *static_cast<sqlite3_stmt* const*>(handle.constData());
        if (stmt && !sqlite3_stmt_readonly(stmt))
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("read-only mode does not run statements that write; "
                                       "switch to write mode"),
                        m_conn.subject());
    }
    if (!q.exec())
        return std::unexpected(failed());
    ConsoleResult out;
    out.hasRows = q.isSelect();
    out.rowsAffected = out.hasRows ? -1 : q.numRowsAffected();
    const QSqlRecord rec = q.record();
    for (int c = 0; c < rec.count(); ++c)
        out.columns << rec.fieldName(c);
    qint64 bytes = 0;
    while (out.hasRows && q.next()) {
        if (out.rows.size() >= m_bound.maxRows || bytes >= m_bound.maxBytes) {
            out.truncated = true;
            break;
        }
        QVariantList row;
        row.reserve(rec.count());
        for (int c = 0; c < rec.count(); ++c) {
            row << q.value(c);
            bytes += approximateBytes(row.constLast());
        }
        out.rows << row;
    }
    if (q.lastError().isValid() && !out.truncated)
        return std::unexpected(failed());
    q.finish(); // the statement, and with it SQLite's read transaction, ends here
    return out;
}

QList<QVariantList> QueryRunner::fetch(int maxRows, bool* atEnd) {
    const qsizetype n = std::min<qsizetype>(maxRows, m_rows.size() - m_next);
    QList<QVariantList> rows = m_rows.mid(m_next, n);
    m_next += n;
    *atEnd = m_next >= m_rows.size();
    return rows;
}

void QueryRunner::close() {
    m_rows.clear();
    m_next = 0;
}

} // namespace ctx
