#include "UnitLoader.h"

#include "CopyRefusal.h"
#include "PgBinaryCopy.h"
#include "core/db/Dialect.h"

#include <QElapsedTimer>

namespace ctx {

namespace {

QByteArray copySql(const TableSpec& spec) {
    QStringList cols;
    for (const ColumnSpec& c : spec.columns)
        cols << Dialect::quoteIdentifier(c.name);
    return QStringLiteral("COPY %1 (%2) FROM STDIN (FORMAT binary)")
        .arg(Dialect::quoteIdentifier(spec.name), cols.join(QStringLiteral(", ")))
        .toUtf8();
}

} // namespace

Status UnitLoader::load(TransferUnit& unit, const BatchDone& onBatch) {
    if (unit.done)
        return {};
    const SourceTableLayout* layout = m_source.layout(unit.table);
    if (!layout)
        return fail(ErrorCode::NotFound,
                    QStringLiteral("no table %1 in the source").arg(unit.table), m_source.path());
    auto cursor =
        SourceCursor::open(m_source.handle(), *layout, unit.lastKey, unit.last, &m_duplicates);
    if (!cursor)
        return std::unexpected(cursor.error().withSubject(m_source.path()));
    (*cursor)->setSessionKeys(&m_keys);
    const RowConverter conv(layout->spec);
    bool finished = false;
    while (!finished) {
        if (stopped())
            return fail(ErrorCode::Cancelled, QStringLiteral("migration stopped"),
                        m_target.subject());
        qint64 rows = 0;
        if (auto ok = batch(**cursor, conv, unit, &finished, &rows); !ok) {
            if (!m_target.connectionLost())
                (void)m_target.exec("ROLLBACK");
            return ok;
        }
        if (onBatch)
            onBatch(unit, rows);
    }
    return {};
}

Status UnitLoader::batch(SourceCursor& cursor, const RowConverter& conv, TransferUnit& unit,
                         bool* finished, qint64* rowsOut) {
    QElapsedTimer timer;
    timer.start();
    if (auto ok = m_target.exec("BEGIN"); !ok)
        return ok;
    if (auto ok = m_target.beginCopy(copySql(conv.spec())); !ok)
        return ok;
    QByteArray buf;
    buf.reserve(int(m_limits.sendChunk + (1 << 16)));
    PgBinaryCopy::header(buf);
    QList<RejectRecord> rejects;
    qint64 rejectBytes = 0, rows = 0, bytes = 0, lastKey = unit.lastKey;
    ConvertedRow row;
    QList<qint64> sent; // source rowid of each COPY line, to name a row the target refuses
    RowSum sourceSum;   // of the rows as read, dropped ones too: --resume checks them again
    *finished = false;
    while (rows < m_limits.rows && bytes < m_limits.bytes && rejectBytes < m_limits.rejectBytes) {
        auto more = cursor.next();
        if (!more) {
            m_target.abortCopy("source read failed");
            return std::unexpected(more.error().withSubject(m_source.path()));
        }
        if (!*more) {
            *finished = true;
            break;
        }
        sourceSum.add(RowChecksum::raw(cursor.rowid(), cursor.values()));
        conv.convert(cursor.values(), cursor.context(), row);
        for (const Finding& f : std::as_const(row.findings)) {
            if (!isRecorded(f.hazard))
                continue;
            rejects << conv.reject(cursor.values(), row, f);
            rejectBytes += rejects.last().original.size() + 64;
        }
        lastKey = cursor.rowid();
        ++rows;
        if (row.dropped)
            continue;
        const qint64 before = buf.size();
        sent << lastKey;
        PgBinaryCopy::row(row.values, buf);
        bytes += buf.size() - before;
        if (buf.size() >= m_limits.sendChunk) {
            if (auto ok = m_target.putCopyData(buf); !ok)
                return ok;
            buf.clear();
        }
        if ((rows & 0x3ff) == 0 && stopped()) {
            m_target.abortCopy("migration stopped");
            return fail(ErrorCode::Cancelled, QStringLiteral("migration stopped"),
                        m_target.subject());
        }
    }
    if (!*finished && lastKey >= unit.last)
        *finished = true; // the range ends exactly at a batch boundary
    PgBinaryCopy::trailer(buf);
    if (auto ok = m_target.putCopyData(buf); !ok)
        return ok;
    if (auto ok = m_target.endCopy(); !ok)
        return std::unexpected(CopyRefusal::explain(ok.error(), unit.table, sent));
    TransferStore store(m_target);
    if (auto ok = store.recordRejects(rejects); !ok)
        return ok;
    TransferUnit next = unit;
    next.rowsDone += rows;
    next.lastKey = lastKey;
    next.done = *finished;
    next.seconds += double(timer.nsecsElapsed()) / 1e9;
    if (rows > 0) {
        if (auto ok =
                store.recordChecksum({unit.name, unit.table, unit.lastKey, lastKey, sourceSum});
            !ok)
            return ok;
    }
    if (auto ok = store.checkpoint(next); !ok)
        return ok;
    if (auto ok = m_target.exec("COMMIT"); !ok)
        return ok;
    unit = next;
    *rowsOut = rows;
    return {};
}

} // namespace ctx
