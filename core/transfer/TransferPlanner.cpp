#include "TransferPlanner.h"

#include "core/db/Dialect.h"
#include "core/values/Timestamp.h"

namespace ctx {

namespace {
constexpr qint64 kSplitAbove = 100000; // rows; smaller tables load as one unit
}

Result<QList<TransferUnit>> TransferPlanner::plan(const SourceSnapshot& source, int jobs) {
    QList<TransferUnit> units;
    for (const SourceTableLayout& l : source.layouts()) {
        if (!l.present)
            continue;
        auto st = source.stats(l.spec.name);
        if (!st)
            return std::unexpected(st.error());
        const int parts = st->rows > kSplitAbove ? std::max(1, jobs) : 1;
        const qint64 first = st->minRowid - 1;
        const qint64 span = st->maxRowid - first;
        for (int i = 0; i < parts; ++i) {
            TransferUnit u;
            u.table = l.spec.name;
            u.name = parts == 1 ? l.spec.name : QStringLiteral("%1#%2").arg(l.spec.name).arg(i + 1);
            u.after = first + span * i / parts;
            u.last = i + 1 == parts ? st->maxRowid : first + span * (i + 1) / parts;
            u.lastKey = u.after;
            u.sourceRows = parts == 1 ? st->rows : 0;
            u.done = st->rows == 0;
            units << u;
        }
        if (parts > 1) { // exact per-range counts, for progress and verification
            for (TransferUnit& u : units) {
                if (u.table != l.spec.name)
                    continue;
                // "+rowid": not a range walk over the table's leaves (the whole
                // file, about 1 s per range on 1M messages) but a scan of its smallest
                // index, which holds every rowid (0.1 s).
                const QByteArray sql = "SELECT count(*) FROM " +
                                       Dialect::quoteIdentifier(l.spec.name).toUtf8() +
                                       " WHERE +rowid > ?1 AND +rowid <= ?2";
                auto ok = SqliteRows::each(
                    source.handle(), sql, {u.after, u.last}, [&](sqlite3_stmt* row) {
                        u.sourceRows = SqliteRows::column(row, 0, true).integer;
                        return false;
                    });
                if (!ok)
                    return std::unexpected(ok.error());
            }
        }
    }
    return units;
}

Status TransferPlanner::insertPlaceholders(PgLink& target, const QList<MissingSession>& missing,
                                           qint64 startedMicros) {
    const QByteArray when = Timestamp::toPostgresText(startedMicros);
    for (const MissingSession& m : missing) {
        const QByteArray& id = m.target; // cleaned: several stored ids may share it
        auto ok = target.exec(
            "INSERT INTO sessions (id, purpose, created_at, updated_at, is_active, created_by, "
            "metadata) VALUES ($1, $2, $3, $3, false, 'ctxdb migrate', "
            "'{\"ctx_recovered\":true,\"reason\":\"session missing in source\"}')",
            {id, kRecoveredPurpose, when});
        if (!ok)
            return ok;
        ok = target.exec("INSERT INTO ctx_transfer_rejects (table_name, row_key, column_name, "
                         "original, reason, action) VALUES ('sessions', $1, 'id', $2::bytea, $3, "
                         "$4)",
                         {id, "\\x" + m.id.toHex(), hazardReason(Hazard::RecoveredSession).toUtf8(),
                          QStringLiteral("placeholder session created for %1 row(s) that use it "
                                         "(metadata ctx_recovered=true)")
                              .arg(m.rows)
                              .toUtf8()});
        if (!ok)
            return ok;
    }
    return {};
}

} // namespace ctx
