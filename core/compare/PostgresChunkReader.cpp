#include "PostgresChunkReader.h"

#include <libpq-fe.h>

#include <cstdlib>

namespace ctx {

namespace {

// PostgreSQL type OIDs read as numbers or bytes; everything else stays text.
constexpr Oid kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701;

int hexDigit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// bytea in text form: \x followed by hex digits (the server's default output).
QByteArray decodeBytea(const char* text, int length) {
    if (length < 2 || text[0] != '\\' || text[1] != 'x') {
        size_t n = 0;
        unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
        QByteArray out(reinterpret_cast<const char*>(raw), qsizetype(n));
        PQfreemem(raw);
        return out;
    }
    QByteArray out((length - 2) / 2, Qt::Uninitialized);
    char* o = out.data();
    for (int i = 2; i + 1 < length; i += 2)
        *o++ = char(hexDigit(text[i]) << 4 | hexDigit(text[i + 1]));
    return out;
}

RawValue decode(const PGresult* res, int row, int col, Oid type) {
    if (PQgetisnull(res, row, col))
        return RawValue::null();
    const char* text = PQgetvalue(res, row, col);
    const int length = PQgetlength(res, row, col);
    switch (type) {
    case kInt8:
    case kInt4:
    case kInt2:
        return RawValue::fromInteger(std::strtoll(text, nullptr, 10));
    case kFloat4:
    case kFloat8:
        return RawValue::fromReal(std::strtod(text, nullptr));
    case kBytea:
        return RawValue::fromBlob(decodeBytea(text, length));
    default: // no copy: the result outlives the rows (see m_rows)
        return RawValue::fromText(QByteArray::fromRawData(text, length));
    }
}

} // namespace

PostgresChunkReader::PostgresChunkReader(const Connection& conn)
    : m_conn(conn)
    , m_pg(conn.pgHandle()) {}

PostgresChunkReader::~PostgresChunkReader() {
    PQclear(m_rows);
    if (m_pending) // leave the connection usable for its rollback
        while (PGresult* r = PQgetResult(m_pg))
            PQclear(r);
}

Error PostgresChunkReader::error(const QString& doing) const {
    return Error{
        ErrorCode::QueryFailed,
        QStringLiteral("%1: %2").arg(doing, QString::fromUtf8(PQerrorMessage(m_pg)).trimmed()),
        m_conn.subject()};
}

Status PostgresChunkReader::send(const QString& sql, const QList<QByteArray>& params) {
    if (!m_pg)
        return fail(ErrorCode::QueryFailed, QStringLiteral("no PostgreSQL handle"),
                    m_conn.subject());
    if (m_pending) {
        if (auto r = receive(); r)
            PQclear(*r);
    }
    std::vector<const char*> values;
    std::vector<int> lengths;
    for (const QByteArray& p : params) {
        values.push_back(p.constData());
        lengths.push_back(int(p.size()));
    }
    const QByteArray text = sql.toUtf8();
    if (!PQsendQueryParams(m_pg, text.constData(), int(params.size()), nullptr, values.data(),
                           lengths.data(), nullptr, 0))
        return std::unexpected(error(QStringLiteral("cannot send a query")));
    m_pending = true;
    return {};
}

Result<PGresult*> PostgresChunkReader::receive() {
    PGresult* result = nullptr;
    QString failure;
    while (PGresult* r = PQgetResult(m_pg)) {
        const ExecStatusType st = PQresultStatus(r);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && failure.isEmpty())
            failure = QString::fromUtf8(PQresultErrorMessage(r)).trimmed();
        if (result)
            PQclear(result);
        result = r;
    }
    m_pending = false;
    if (!failure.isEmpty() || !result) {
        if (result)
            PQclear(result);
        return fail(ErrorCode::QueryFailed,
                    failure.isEmpty() ? QStringLiteral("no result") : failure, m_conn.subject());
    }
    return result;
}

Status PostgresChunkReader::start(const TablePlan& plan, const ChunkRange& range) {
    QList<QByteArray> params;
    if (range.from)
        params << range.from->toText();
    if (range.to)
        params << range.to->toText();
    m_plan = &plan;
    PQclear(m_rows);
    m_rows = nullptr;
    return send(ChunkQuery::build(plan, range, Engine::Postgres), params);
}

Status PostgresChunkReader::fetch(std::vector<RawRow>& rows) {
    rows.clear();
    auto res = receive();
    if (!res)
        return std::unexpected(res.error().withSubject(m_conn.subject()));
    PGresult* r = *res;
    const int n = PQntuples(r), columns = PQnfields(r);
    std::vector<Oid> types;
    for (int c = 0; c < columns; ++c)
        types.push_back(PQftype(r, c));
    rows.reserve(size_t(n));
    for (int i = 0; i < n; ++i) {
        RawRow row;
        row.reserve(size_t(columns));
        for (int c = 0; c < columns; ++c)
            row.push_back(decode(r, i, c, types[size_t(c)]));
        rows.push_back(std::move(row));
    }
    m_rows = r;
    return {};
}

Result<std::vector<CompareKey>> PostgresChunkReader::boundaries(const TablePlan& plan, int every) {
    const QString key = Dialect::quoteIdentifier(plan.key);
    const QString sql =
        QStringLiteral("SELECT k FROM (SELECT %1 AS k, row_number() OVER (ORDER BY %2) AS rn "
                       "FROM %3) s WHERE rn % $1 = 0 ORDER BY rn")
            .arg(key, ChunkQuery::orderedKey(plan, Engine::Postgres),
                 Dialect::quoteIdentifier(plan.name));
    if (auto s = send(sql, {QByteArray::number(every)}); !s)
        return std::unexpected(s.error());
    auto res = receive();
    if (!res)
        return std::unexpected(res.error());
    std::vector<CompareKey> keys;
    const Oid type = PQftype(*res, 0);
    for (int i = 0; i < PQntuples(*res); ++i) {
        keys.push_back(CompareKey::from(decode(*res, i, 0, type), plan.textKey));
        keys.back().bytes.detach(); // decoded text points into the result cleared below
    }
    PQclear(*res);
    return keys;
}

} // namespace ctx
