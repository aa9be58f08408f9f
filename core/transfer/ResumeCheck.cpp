#include "ResumeCheck.h"

#include <QLocale>

namespace ctx {

namespace {

Error changed(const QString& path, const QString& table, qint64 from, qint64 to) {
    return Error{ErrorCode::Conflict,
                 QStringLiteral("source changed since the interrupted run: %1 rows %2..%3 "
                                "differ; start again with --replace")
                     .arg(table)
                     .arg(from)
                     .arg(to),
                 path};
}

} // namespace

Status ResumeCheck::run(const SourceSnapshot& source, TransferStore& store, const Note& note) {
    auto units = store.units();
    if (!units)
        return std::unexpected(units.error());
    auto recorded = store.checksums();
    if (!recorded)
        return std::unexpected(recorded.error());
    qint64 loaded = 0, unchecked = 0;
    for (const TransferUnit& u : std::as_const(*units))
        loaded += u.rowsDone;
    if (!*recorded) {
        unchecked = loaded;
    } else {
        if (note && loaded > 0)
            note(QStringLiteral("checking the %1 rows already loaded against the source")
                     .arg(QLocale::c().toString(loaded)));
        QHash<QString, QList<RangeChecksum>> byUnit;
        for (const RangeChecksum& r : std::as_const(**recorded))
            byUnit[r.unit] << r;
        for (const TransferUnit& u : std::as_const(*units))
            if (auto ok = checkUnit(source, u, byUnit.value(u.name), &unchecked); !ok)
                return ok;
    }
    if (unchecked > 0 && note)
        note(QStringLiteral("%1 rows were loaded by an older ctxdb that kept no checksums: they "
                            "cannot be checked against the source now; the final verification "
                            "compares every row's content")
                 .arg(QLocale::c().toString(unchecked)));
    return store.createStaging(); // an older run's staging gets the checksum table
}

Status ResumeCheck::checkUnit(const SourceSnapshot& source, const TransferUnit& unit,
                              const QList<RangeChecksum>& ranges, qint64* unchecked) {
    qint64 covered = 0;
    for (const RangeChecksum& r : ranges)
        covered += r.source.rows;
    *unchecked += std::max<qint64>(0, unit.rowsDone - covered);
    // A finished unit also owns the rowids after its last row: none may have appeared.
    const qint64 end = unit.done ? unit.last : unit.lastKey;
    const qint64 start = ranges.isEmpty() ? unit.lastKey : ranges.first().after;
    if (end <= start)
        return {};
    const SourceTableLayout* layout = source.layout(unit.table);
    if (!layout || !layout->present)
        return std::unexpected(changed(source.path(), unit.table, start + 1, end));
    auto cursor = SourceCursor::open(source.handle(), *layout, start, end);
    if (!cursor)
        return std::unexpected(cursor.error().withSubject(source.path()));
    qsizetype i = 0;
    RowSum now;
    // Compares range i (or, past the last one, the empty tail) with what was read.
    auto close = [&]() -> Status {
        const bool tail = i >= ranges.size();
        const RowSum expected = tail ? RowSum{} : ranges[i].source;
        if (now == expected)
            return {};
        const qint64 from =
            tail ? (ranges.isEmpty() ? start : ranges.last().last) : ranges[i].after;
        return std::unexpected(
            changed(source.path(), unit.table, from + 1, tail ? end : ranges[i].last));
    };
    for (;;) {
        auto more = (*cursor)->next();
        if (!more)
            return std::unexpected(more.error().withSubject(source.path()));
        if (!*more)
            break;
        const qint64 rowid = (*cursor)->rowid();
        while (i < ranges.size() && rowid > ranges[i].last) {
            if (auto ok = close(); !ok)
                return ok;
            now = {};
            ++i;
        }
        now.add(RowChecksum::raw(rowid, (*cursor)->values()));
    }
    for (; i <= ranges.size(); ++i, now = {})
        if (auto ok = close(); !ok)
            return ok;
    return {};
}

} // namespace ctx
