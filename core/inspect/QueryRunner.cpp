#include "QueryRunner.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlRecord>
#include <libpq-fe.h>
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

QueryRunner::QueryRunner(const Connection& conn)
    : m_conn(conn) {}

QueryRunner::~QueryRunner() {
    close();
}

QString QueryRunner::firstKeyword(const QString& statement) {
    // Skips leading whitespace and comments, then takes the first word.
    static const QRegularExpression lead(QStringLiteral(R"(^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*)"),
                                         QRegularExpression::DotMatchesEverythingOption);
    QString s = statement;
    s.remove(lead);
    static const QRegularExpression word(QStringLiteral(R"(^([A-Za-z_]+))"));
    const auto m = word.match(s);
    return m.hasMatch() ? m.captured(1).toUpper() : QString();
}

QString QueryRunner::refusalInReadOnly(const QString& statement) {
    static const QStringList refused{
        QStringLiteral("SET"),      QStringLiteral("RESET"),   QStringLiteral("BEGIN"),
        QStringLiteral("START"),    QStringLiteral("COMMIT"),  QStringLiteral("END"),
        QStringLiteral("ROLLBACK"), QStringLiteral("ABORT"),   QStringLiteral("SAVEPOINT"),
        QStringLiteral("RELEASE"),  QStringLiteral("ATTACH"),  QStringLiteral("DETACH"),
        QStringLiteral("VACUUM"),   QStringLiteral("COPY"),    QStringLiteral("CALL"),
        QStringLiteral("DO"),       QStringLiteral("PREPARE"), QStringLiteral("EXECUTE"),
        QStringLiteral("LISTEN"),   QStringLiteral("NOTIFY"),  QStringLiteral("LOCK"),
        QStringLiteral("DISCARD"),  QStringLiteral("LOAD"),    QStringLiteral("CHECKPOINT"),
        QStringLiteral("REINDEX"),  QStringLiteral("ANALYZE"), QStringLiteral("CLUSTER")};
    const QString kw = firstKeyword(statement);
    if (refused.contains(kw))
        return QStringLiteral("read-only mode: %1 statements need write mode").arg(kw);
    if (kw == QLatin1String("PRAGMA") && statement.contains(QLatin1Char('=')))
        return QStringLiteral("read-only mode: setting a PRAGMA needs write mode");
    return {};
}

std::expected<QueryOutcome, QueryFailure> QueryRunner::run(const QList<SqlStatement>& statements,
                                                           QueryCanceller* canceller) {
    close();
    QueryOutcome outcome;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < statements.size(); ++i) {
        const SqlStatement& st = statements.at(i);
        if (canceller && canceller->wasCancelled())
            return std::unexpected(QueryFailure{
                Error{ErrorCode::Cancelled, QStringLiteral("cancelled"), m_conn.subject()}, i, st});
        if (m_conn.isReadOnly()) {
            if (const QString why = refusalInReadOnly(st.text); !why.isEmpty())
                return std::unexpected(
                    QueryFailure{Error{ErrorCode::InvalidArgument, why, m_conn.subject()}, i, st});
        }
        close();
        if (auto ok = runOne(st.text, outcome, canceller); !ok) {
            close();
            return std::unexpected(QueryFailure{ok.error(), i, st});
        }
        outcome.statementsRun = i + 1;
    }
    outcome.elapsedMs = timer.elapsed();
    return outcome;
}

Status QueryRunner::runOne(const QString& sql, QueryOutcome& outcome, QueryCanceller* canceller) {
    // PostgreSQL: the connection's default is already read-only; the explicit READ
    // ONLY transaction, rolled back afterwards, also undoes any set_config() trick.
    if (m_conn.isReadOnly() && m_conn.engine() == Engine::Postgres) {
        if (auto b = m_conn.exec(QStringLiteral("BEGIN READ ONLY")); !b)
            return std::unexpected(b.error());
        m_inReadOnlyTransaction = true;
    }
    m_query = std::make_unique<QSqlQuery>(m_conn.database());
    m_query->setForwardOnly(true);
    if (!m_query->exec(sql)) {
        Error e = m_conn.errorFrom(m_query->lastError());
        if (canceller && canceller->wasCancelled())
            e = Error{ErrorCode::Cancelled, QStringLiteral("cancelled"), m_conn.subject()};
        return std::unexpected(e);
    }
    outcome.columns.clear();
    outcome.hasRows = m_query->isSelect();
    outcome.rowsAffected = outcome.hasRows ? -1 : m_query->numRowsAffected();
    const QSqlRecord rec = m_query->record();
    for (int c = 0; c < rec.count(); ++c)
        outcome.columns << rec.fieldName(c);
    return {};
}

QList<QVariantList> QueryRunner::fetch(int maxRows, bool* atEnd) {
    QList<QVariantList> rows;
    *atEnd = true;
    if (!m_query || !m_query->isActive() || !m_query->isSelect())
        return rows;
    const int columns = m_query->record().count();
    while (rows.size() < maxRows) {
        if (!m_query->next())
            return rows;
        QVariantList row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c)
            row << m_query->value(c);
        rows << row;
    }
    *atEnd = false;
    return rows;
}

void QueryRunner::close() {
    if (m_query) {
        m_query->finish();
        m_query.reset();
    }
    if (m_inReadOnlyTransaction) {
        m_conn.rollback();
        m_inReadOnlyTransaction = false;
    }
}

} // namespace ctx
