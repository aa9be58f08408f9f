#include "PgStatementRunner.h"

#include "QueryRunner.h"

#include <libpq-fe.h>

namespace ctx {

namespace {

constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701;

QVariant valueOf(const PGresult* r, int row, int col) {
    if (PQgetisnull(r, row, col))
        return {};
    const char* text = PQgetvalue(r, row, col);
    const int length = PQgetlength(r, row, col);
    const QByteArray bytes(text, length);
    bool ok = false;
    switch (PQftype(r, col)) {
    case kBool:
        return QVariant(bytes == "t");
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: {
        const qlonglong v = bytes.toLongLong(&ok);
        return ok ? QVariant(v) : QVariant(QString::fromUtf8(bytes));
    }
    case kFloat4:
    case kFloat8: {
        const double v = bytes.toDouble(&ok);
        return ok ? QVariant(v) : QVariant(QString::fromUtf8(bytes)); // NaN, Infinity
    }
    case kBytea: {
        size_t n = 0;
        unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
        const QByteArray out(reinterpret_cast<const char*>(raw), qsizetype(n));
        PQfreemem(raw);
        return out;
    }
    default:
        return QString::fromUtf8(bytes); // numeric stays text: no digit is lost
    }
}

} // namespace

PgStatementRunner::PgStatementRunner(const Connection& conn)
    : m_conn(conn) {}

Error PgStatementRunner::errorOf(const QString& message, const QByteArray& state) const {
    PGconn* pg = m_conn.pgHandle();
    ErrorCode code = ErrorCode::QueryFailed;
    if (!pg || PQstatus(pg) == CONNECTION_BAD || state.startsWith("08"))
        code = ErrorCode::ConnectionFailed;
    else if (state == "57014")
        code = ErrorCode::Cancelled;
    else if (state == "25006")
        code = ErrorCode::InvalidArgument; // read_only_sql_transaction
    return Error{code, message.simplified(), m_conn.subject()};
}

Status PgStatementRunner::simple(const char* sql, const QString& doing) {
    PGconn* pg = m_conn.pgHandle();
    PGresult* r = PQexec(pg, sql);
    const bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    const QString why = QString::fromUtf8(r ? PQresultErrorMessage(r) : PQerrorMessage(pg));
    const QByteArray state = r ? QByteArray(PQresultErrorField(r, PG_DIAG_SQLSTATE)) : QByteArray();
    PQclear(r);
    if (ok)
        return {};
    return std::unexpected(errorOf(doing + QStringLiteral(": ") + why, state));
}

void PgStatementRunner::stopReading() {
    if (PGcancel* c = PQgetCancel(m_conn.pgHandle())) {
        char err[256];
        PQcancel(c, err, sizeof err);
        PQfreeCancel(c);
    }
}

Result<ConsoleResult> PgStatementRunner::run(const QString& sql, bool readOnly,
                                             const ResultBound& bound, QueryCanceller* canceller) {
    PGconn* pg = m_conn.pgHandle();
    if (!pg)
        return fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"), m_conn.subject());
    if (readOnly) {
        if (auto b = simple("BEGIN READ ONLY", QStringLiteral("starting a read-only transaction"));
            !b)
            return std::unexpected(b.error());
    }
    ConsoleResult out;
    std::optional<Error> failure;
    const QByteArray text = sql.toUtf8();
    if (!PQsendQueryParams(pg, text.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0)) {
        failure = errorOf(QString::fromUtf8(PQerrorMessage(pg)), {});
    } else {
        PQsetSingleRowMode(pg);
        qint64 bytes = 0;
        while (PGresult* r = PQgetResult(pg)) {
            const ExecStatusType st = PQresultStatus(r);
            if ((st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) && out.columns.isEmpty()) {
                for (int c = 0; c < PQnfields(r); ++c)
                    out.columns << QString::fromUtf8(PQfname(r, c));
                out.hasRows = PQnfields(r) > 0;
            }
            if (st == PGRES_SINGLE_TUPLE && !out.truncated) {
                if (out.rows.size() >= bound.maxRows || bytes >= bound.maxBytes) {
                    out.truncated = true;
                    stopReading();
                } else {
                    QVariantList row;
                    for (int c = 0; c < PQnfields(r); ++c) {
                        row << valueOf(r, 0, c);
                        bytes += approximateBytes(row.constLast());
                    }
                    out.rows << row;
                }
            } else if (st == PGRES_COMMAND_OK) {
                const QByteArray n = PQcmdTuples(r);
                out.rowsAffected = n.isEmpty() ? -1 : n.toLongLong();
            } else if (st == PGRES_COPY_IN) {
                PQputCopyEnd(pg, "the SQL console sends no COPY data");
            } else if (st == PGRES_COPY_OUT) {
                char* line = nullptr;
                while (PQgetCopyData(pg, &line, 0) > 0)
                    PQfreemem(line);
            } else if (st == PGRES_FATAL_ERROR && !failure && !out.truncated) {
                failure = errorOf(QString::fromUtf8(PQresultErrorMessage(r)),
                                  PQresultErrorField(r, PG_DIAG_SQLSTATE));
            }
            PQclear(r);
        }
    }
    if (canceller && canceller->wasCancelled())
        failure = Error{ErrorCode::Cancelled, QStringLiteral("cancelled"), m_conn.subject()};
    if (readOnly) {
        if (PQtransactionStatus(pg) == PQTRANS_IDLE && !failure)
            failure = Error{ErrorCode::InvalidArgument,
                            QStringLiteral("read-only mode: the statement ended the read-only "
                                           "transaction"),
                            m_conn.subject()};
        // A cancel that arrived late fails the ROLLBACK once; the second one ends it.
        if (PQtransactionStatus(pg) != PQTRANS_IDLE &&
            !simple("ROLLBACK", QStringLiteral("ending the read-only transaction")))
            (void)simple("ROLLBACK", QStringLiteral("ending the read-only transaction"));
    }
    if (failure)
        return std::unexpected(*failure);
    return out;
}

} // namespace ctx
