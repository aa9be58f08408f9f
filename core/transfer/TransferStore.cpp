#include "TransferStore.h"

#include "PgBinaryCopy.h"
#include "core/db/Dialect.h"

namespace ctx {

namespace {

QByteArray q(const QString& identifier) {
    return Dialect::quoteIdentifier(identifier).toUtf8();
}

const QByteArray kSourceKey = "(source)";

} // namespace

Result<TargetState> TransferStore::inspect() {
    TargetState st;
    auto rows = m_link.query("SELECT tablename FROM pg_tables WHERE schemaname = "
                             "current_schema() ORDER BY tablename");
    if (!rows)
        return std::unexpected(rows.error());
    for (const PgRow& r : *rows)
        st.tables << QString::fromUtf8(r.value(0));
    for (const QString& t : std::as_const(st.tables)) {
        if (t == QLatin1String("schema_version") || t.startsWith(QLatin1String("ctx_transfer_")))
            continue;
        auto any = m_link.scalar("SELECT EXISTS (SELECT 1 FROM " + q(t) + ")");
        if (!any)
            return std::unexpected(any.error());
        if (*any == "t")
            st.nonEmptyTables << t;
    }
    st.unfinishedTransfer = st.tables.contains(QStringLiteral("ctx_transfer_progress"));
    if (st.tables.contains(QStringLiteral("ctx_migration_progress"))) {
        auto fp = m_link.query("SELECT last_key FROM ctx_migration_progress WHERE table_name = "
                               "$1 AND status = 'done'",
                               {kSourceKey});
        if (!fp)
            return std::unexpected(fp.error());
        st.finishedTransfer = !fp->isEmpty();
        if (st.finishedTransfer)
            st.finishedFingerprint = fp->first().value(0);
    }
    return st;
}

Status TransferStore::createStaging() {
    return m_link.exec(
        "CREATE TABLE IF NOT EXISTS ctx_transfer_progress ("
        " unit VARCHAR PRIMARY KEY, table_name VARCHAR NOT NULL,"
        " range_after BIGINT NOT NULL DEFAULT 0, range_last BIGINT NOT NULL DEFAULT 0,"
        " source_rows BIGINT NOT NULL DEFAULT 0, rows_done BIGINT NOT NULL DEFAULT 0,"
        " last_key BIGINT NOT NULL DEFAULT 0, status VARCHAR NOT NULL DEFAULT 'pending',"
        " seconds DOUBLE PRECISION NOT NULL DEFAULT 0, source_path VARCHAR,"
        " source_bytes BIGINT, fingerprint VARCHAR,"
        " updated_at TIMESTAMPTZ NOT NULL DEFAULT now());"
        "CREATE TABLE IF NOT EXISTS ctx_transfer_rejects ("
        " id BIGSERIAL PRIMARY KEY, table_name VARCHAR NOT NULL, row_key VARCHAR NOT NULL,"
        " column_name VARCHAR, original BYTEA, reason VARCHAR NOT NULL,"
        " action VARCHAR NOT NULL, recorded_at TIMESTAMPTZ NOT NULL DEFAULT now());"
        "CREATE TABLE IF NOT EXISTS ctx_transfer_checksums ("
        " unit VARCHAR NOT NULL, table_name VARCHAR NOT NULL, range_after BIGINT NOT NULL,"
        " range_last BIGINT NOT NULL, source_rows BIGINT NOT NULL, checksum BIGINT NOT NULL,"
        " PRIMARY KEY (unit, range_after));");
}

Status TransferStore::writeSource(const TransferSource& s) {
    return m_link.exec(
        "INSERT INTO ctx_transfer_progress (unit, table_name, status, source_path, "
        "source_bytes, fingerprint) VALUES ($1, $1, $2, $3, $4, $5) ON CONFLICT (unit) DO "
        "UPDATE SET status = EXCLUDED.status, updated_at = now()",
        {kSourceKey, s.status.toUtf8(), s.path.toUtf8(), QByteArray::number(s.bytes),
         s.fingerprint});
}

Result<TransferSource> TransferStore::readSource() {
    auto rows = m_link.query("SELECT source_path, source_bytes, fingerprint, status FROM "
                             "ctx_transfer_progress WHERE unit = $1",
                             {kSourceKey});
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->isEmpty())
        return fail(ErrorCode::Conflict,
                    QStringLiteral("the unfinished migration in the target "
                                   "has no source record; use --replace"),
                    m_link.subject());
    const PgRow& r = rows->first();
    return TransferSource{QString::fromUtf8(r[0]), r[1].toLongLong(), r[2],
                          QString::fromUtf8(r[3])};
}

Status TransferStore::insertUnits(const QList<TransferUnit>& units) {
    for (const TransferUnit& u : units) {
        auto ok = m_link.exec("INSERT INTO ctx_transfer_progress (unit, table_name, range_after, "
                              "range_last, source_rows, last_key, status) VALUES "
                              "($1, $2, $3, $4, $5, $3, $6)",
                              {u.name.toUtf8(), u.table.toUtf8(), QByteArray::number(u.after),
                               QByteArray::number(u.last), QByteArray::number(u.sourceRows),
                               u.done ? "done" : "pending"});
        if (!ok)
            return ok;
    }
    return {};
}

Result<QList<TransferUnit>> TransferStore::units() {
    auto rows = m_link.query("SELECT unit, table_name, range_after, range_last, source_rows, "
                             "rows_done, last_key, status, seconds FROM ctx_transfer_progress "
                             "WHERE unit <> $1 ORDER BY unit",
                             {kSourceKey});
    if (!rows)
        return std::unexpected(rows.error());
    QList<TransferUnit> units;
    for (const PgRow& r : *rows)
        units << TransferUnit{QString::fromUtf8(r[0]), QString::fromUtf8(r[1]), r[2].toLongLong(),
                              r[3].toLongLong(),       r[4].toLongLong(),       r[5].toLongLong(),
                              r[6].toLongLong(),       r[7] == "done",          r[8].toDouble()};
    return units;
}

Status TransferStore::checkpoint(const TransferUnit& u) {
    return m_link.exec("UPDATE ctx_transfer_progress SET rows_done = $2, last_key = $3, status = "
                       "$4, seconds = $5, updated_at = now() WHERE unit = $1",
                       {u.name.toUtf8(), QByteArray::number(u.rowsDone),
                        QByteArray::number(u.lastKey), u.done ? "done" : "loading",
                        QByteArray::number(u.seconds, 'f', 3)});
}

Status TransferStore::recordChecksum(const RangeChecksum& r) {
    return m_link.exec("INSERT INTO ctx_transfer_checksums (unit, table_name, range_after, "
                       "range_last, source_rows, checksum) VALUES ($1, $2, $3, $4, $5, $6)",
                       {r.unit.toUtf8(), r.table.toUtf8(), QByteArray::number(r.after),
                        QByteArray::number(r.last), QByteArray::number(r.source.rows),
                        QByteArray::number(qint64(r.source.sum))});
}

Result<std::optional<QList<RangeChecksum>>> TransferStore::checksums() {
    auto present = m_link.scalar("SELECT to_regclass('ctx_transfer_checksums') IS NOT NULL");
    if (!present)
        return std::unexpected(present.error());
    if (*present != "t")
        return std::nullopt;
    auto rows = m_link.query("SELECT unit, table_name, range_after, range_last, source_rows, "
                             "checksum FROM ctx_transfer_checksums ORDER BY table_name, "
                             "range_after");
    if (!rows)
        return std::unexpected(rows.error());
    QList<RangeChecksum> ranges;
    for (const PgRow& r : *rows)
        ranges << RangeChecksum{QString::fromUtf8(r[0]),
                                QString::fromUtf8(r[1]),
                                r[2].toLongLong(),
                                r[3].toLongLong(),
                                {r[4].toLongLong(), quint64(r[5].toLongLong())}};
    return ranges;
}

Status TransferStore::recordRejects(const QList<RejectRecord>& rejects) {
    if (rejects.isEmpty())
        return {};
    if (auto ok = m_link.beginCopy("COPY ctx_transfer_rejects (table_name, row_key, column_name, "
                                   "original, reason, action) FROM STDIN (FORMAT binary)");
        !ok)
        return ok;
    QByteArray buf;
    PgBinaryCopy::header(buf);
    for (const RejectRecord& r : rejects) {
        PgBinaryCopy::textRow({r.table.toUtf8(), r.rowKey.toUtf8(), r.column.toUtf8(), r.original,
                               r.reason.toUtf8(), r.action.toUtf8()},
                              {false, false, r.column.isEmpty(), r.originalIsNull, false, false},
                              buf);
        if (buf.size() > (1 << 20)) {
            if (auto ok = m_link.putCopyData(buf); !ok)
                return ok;
            buf.clear();
        }
    }
    PgBinaryCopy::trailer(buf);
    if (auto ok = m_link.putCopyData(buf); !ok)
        return ok;
    return m_link.endCopy();
}

Status TransferStore::finish() {
    return m_link.exec(
        "INSERT INTO ctx_migration_rejects (table_name, row_key, column_name, original, reason, "
        "action, recorded_at) SELECT table_name, row_key, column_name, original, reason, action, "
        "recorded_at FROM ctx_transfer_rejects ORDER BY id;"
        "INSERT INTO ctx_migration_progress (table_name, source_rows, rows_done, last_key, "
        "status, source_path) SELECT table_name, sum(source_rows), sum(rows_done), "
        "max(last_key)::varchar, 'done', min(source_path) FROM ctx_transfer_progress WHERE unit "
        "<> '(source)' GROUP BY table_name;"
        "INSERT INTO ctx_migration_progress (table_name, source_rows, rows_done, last_key, "
        "status, source_path) SELECT unit, source_bytes, 0, fingerprint, 'done', source_path "
        "FROM ctx_transfer_progress WHERE unit = '(source)';"
        "DROP TABLE ctx_transfer_progress; DROP TABLE ctx_transfer_rejects;"
        "DROP TABLE IF EXISTS ctx_transfer_checksums;");
}

Result<QHash<QString, qint64>> TransferStore::rejectsBy(const QByteArray& column) {
    auto state = inspect();
    if (!state)
        return std::unexpected(state.error());
    const QByteArray table =
        state->unfinishedTransfer ? "ctx_transfer_rejects" : "ctx_migration_rejects";
    QHash<QString, qint64> counts;
    if (!state->tables.contains(QString::fromUtf8(table)))
        return counts;
    auto rows = m_link.query("SELECT " + column + ", count(*) FROM " + table + " GROUP BY 1");
    if (!rows)
        return std::unexpected(rows.error());
    for (const PgRow& r : *rows)
        counts.insert(QString::fromUtf8(r[0]), r[1].toLongLong());
    return counts;
}

} // namespace ctx
