#include "SamplePreview.h"

namespace ctx {

Result<PreviewRow> SamplePreview::row(const SourceSnapshot& snapshot, const QString& table,
                                      qint64 rowid) {
    const SourceTableLayout* layout = snapshot.layout(table);
    if (!layout || !layout->present)
        return fail(ErrorCode::NotFound, QStringLiteral("no table %1").arg(table), snapshot.path());
    auto keys = SessionKeys::read(snapshot.handle());
    if (!keys)
        return std::unexpected(keys.error().withSubject(snapshot.path()));
    DuplicateMemory dups;
    if (table == QLatin1String("agent_memory")) {
        auto d = snapshot.duplicateMemory(*keys);
        if (!d)
            return std::unexpected(d.error());
        dups = *d;
    }
    auto cursor =
        SourceCursor::open(snapshot.handle(), *layout, rowid - 1, rowid, &dups.dropped, false);
    if (!cursor)
        return std::unexpected(cursor.error());
    (*cursor)->setSessionKeys(&*keys);
    auto found = (*cursor)->next();
    if (!found)
        return std::unexpected(found.error());
    if (!*found)
        return fail(ErrorCode::NotFound, QStringLiteral("%1 has no row %2").arg(table).arg(rowid),
                    snapshot.path());
    const RowConverter conv(layout->spec);
    ConvertedRow converted;
    conv.convert((*cursor)->values(), (*cursor)->context(), converted);
    PreviewRow out;
    out.table = table;
    out.rowid = rowid;
    out.key = conv.rowKey(converted);
    out.dropped = converted.dropped;
    for (int i = 0; i < layout->spec.columns.size(); ++i) {
        const RawValue& raw = (*cursor)->values()[i];
        PreviewCell cell;
        cell.column = layout->spec.columns[i].name;
        cell.storageType =
            layout->columnPresent.value(i) ? storageTypeName(raw.type) : QStringLiteral("absent");
        cell.stored = raw.display();
        cell.arrives = converted.values[i].display();
        for (const Finding& f : converted.findings)
            if (f.column == i)
                cell.hazards << hazardReason(f.hazard);
        out.cells << cell;
    }
    return out;
}

} // namespace ctx
