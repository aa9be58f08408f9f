#include "PgLink.h"

#include <libpq-fe.h>
#include <vector>

namespace ctx {

namespace {

ErrorCode codeFor(const QByteArray& state) {
    if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("28"))
        return ErrorCode::ConnectionFailed;
    if (state.startsWith("23"))
        return ErrorCode::Conflict;
    if (state == "53100")
        return ErrorCode::Io;
    if (state == "57014")
        return ErrorCode::Cancelled;
    return ErrorCode::QueryFailed;
}

} // namespace

PgLink::PgLink(pg_conn* conn, const QString& subject)
    : m_conn(conn)
    , m_subject(subject) {
    // NOTICEs ("table does not exist, skipping") are not for the user's terminal.
    if (m_conn)
        PQsetNoticeReceiver(
            m_conn, [](void*, const PGresult*) {}, nullptr);
}

bool PgLink::connectionLost() const {
    return !m_conn || PQstatus(m_conn) == CONNECTION_BAD;
}

Error PgLink::lastError(const QString& doing) const {
    QString text = m_conn ? QString::fromUtf8(PQerrorMessage(m_conn)).simplified()
                          : QStringLiteral("no connection");
    if (connectionLost())
        return Error{ErrorCode::ConnectionFailed,
                     QStringLiteral("lost the connection to the server while %1 (%2); the "
                                    "migration is checkpointed: run it again with --resume")
                         .arg(doing, text),
                     m_subject};
    return Error{ErrorCode::QueryFailed, doing + QStringLiteral(": ") + text, m_subject};
}

Status PgLink::checkResult(void* r, int expected, const QString& doing) {
    PGresult* res = static_cast<PGresult*>(r);
    const ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    const bool plain = expected == PGRES_COMMAND_OK || expected == PGRES_TUPLES_OK;
    if (st == ExecStatusType(expected) ||
        (plain && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)))
        return {};
    Error e = lastError(doing);
    if (res && !connectionLost()) {
        const QByteArray state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        e.code = codeFor(state);
        const QString msg = QString::fromUtf8(PQresultErrorMessage(res)).simplified();
        e.message = doing + QStringLiteral(": ") + msg;
        if (e.code == ErrorCode::ConnectionFailed)
            e.message += QStringLiteral("; the migration is checkpointed: run it again with "
                                        "--resume");
        else if (state.startsWith("53")) // disk full, out of memory, too many connections
            e.message += QStringLiteral("; the migration is checkpointed: free the server's "
                                        "resources, then run it again with --resume");
    }
    return std::unexpected(e);
}

Status PgLink::exec(const QByteArray& sql) {
    PGresult* res = PQexec(m_conn, sql.constData());
    auto ok = checkResult(res, PGRES_COMMAND_OK, QString::fromUtf8(sql.left(60)).simplified());
    PQclear(res);
    return ok;
}

Status PgLink::exec(const QByteArray& sql, const QList<QByteArray>& params) {
    auto r = query(sql, params);
    return r ? Status{} : std::unexpected(r.error());
}

Result<QList<PgRow>> PgLink::query(const QByteArray& sql, const QList<QByteArray>& params) {
    std::vector<const char*> values;
    for (const QByteArray& p : params)
        values.push_back(p.isNull() ? nullptr : p.constData());
    PGresult* res = PQexecParams(m_conn, sql.constData(), int(params.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    if (auto ok = checkResult(res, PGRES_TUPLES_OK, QString::fromUtf8(sql.left(60)).simplified());
        !ok) {
        PQclear(res);
        return std::unexpected(ok.error());
    }
    QList<PgRow> rows;
    for (int r = 0; r < PQntuples(res); ++r) {
        PgRow row;
        for (int c = 0; c < PQnfields(res); ++c)
            row << (PQgetisnull(res, r, c) ? QByteArray() : QByteArray(PQgetvalue(res, r, c)));
        rows << row;
    }
    PQclear(res);
    return rows;
}

Result<QByteArray> PgLink::scalar(const QByteArray& sql, const QList<QByteArray>& params) {
    auto rows = query(sql, params);
    if (!rows)
        return std::unexpected(rows.error());
    return rows->isEmpty() || rows->first().isEmpty() ? QByteArray() : rows->first().first();
}

Status PgLink::beginCopy(const QByteArray& copySql) {
    PGresult* res = PQexec(m_conn, copySql.constData());
    auto ok = checkResult(res, PGRES_COPY_IN, QStringLiteral("starting COPY"));
    PQclear(res);
    return ok;
}

Status PgLink::putCopyData(const QByteArray& data) {
    if (data.isEmpty())
        return {};
    if (PQputCopyData(m_conn, data.constData(), int(data.size())) != 1)
        return std::unexpected(lastError(QStringLiteral("sending COPY data")));
    return {};
}

Status PgLink::endCopy(qint64* rows) {
    if (PQputCopyEnd(m_conn, nullptr) != 1)
        return std::unexpected(lastError(QStringLiteral("ending COPY")));
    Status result;
    while (PGresult* res = PQgetResult(m_conn)) {
        if (result)
            result = checkResult(res, PGRES_COMMAND_OK, QStringLiteral("COPY"));
        if (result && rows)
            *rows = QByteArray(PQcmdTuples(res)).toLongLong();
        PQclear(res);
    }
    return result;
}

void PgLink::abortCopy(const QByteArray& why) {
    PQputCopyEnd(m_conn, why.constData());
    while (PGresult* res = PQgetResult(m_conn))
        PQclear(res);
}

Status PgLink::copyOut(const QByteArray& copySql,
                       const std::function<bool(QByteArrayView)>& onData) {
    PGresult* res = PQexec(m_conn, copySql.constData());
    auto ok = checkResult(res, PGRES_COPY_OUT, QStringLiteral("starting COPY"));
    PQclear(res);
    if (!ok)
        return ok;
    bool wanted = true;
    for (;;) {
        char* data = nullptr;
        const int n = PQgetCopyData(m_conn, &data, 0);
        if (n < 0)
            break; // -1: done (the result follows), -2: failed (so does the result)
        if (wanted)
            wanted = onData(QByteArrayView(data, n));
        PQfreemem(data);
        // Stopping early still reads to the end: the connection must come back idle.
    }
    Status result;
    while (PGresult* r = PQgetResult(m_conn)) {
        if (result)
            result = checkResult(r, PGRES_COMMAND_OK, QStringLiteral("COPY"));
        PQclear(r);
    }
    return result;
}

} // namespace ctx
