#include "SalvagedSide.h"

#include "RejectIndex.h"
#include "core/transfer/Hazard.h"
#include "core/transfer/SalvageCopy.h"
#include "core/transfer/SourceSnapshot.h"

#include <QSqlQuery>

namespace ctx {

namespace {

// "table: rowid a..b" of every unreadable range the other side's migration recorded.
Result<QSet<QString>> recordedRanges(const DatabaseUrl& other) {
    QSet<QString> ranges;
    ConnectionOptions options;
    options.readOnly = true;
    options.applicationName = QStringLiteral("ctxdb diff");
    auto conn = Connection::open(other, options);
    if (!conn)
        return std::unexpected(conn.error());
    if (!(*conn)->tableExists(QString::fromLatin1(RejectIndex::kTable)))
        return ranges;
    auto q = (*conn)->exec(
        QStringLiteral("SELECT table_name, row_key FROM %1 WHERE reason = '%2'")
            .arg(QString::fromLatin1(RejectIndex::kTable), hazardReason(Hazard::UnreadableRange)));
    if (!q)
        return std::unexpected(q.error());
    while (q->next())
        ranges.insert(q->value(0).toString() + QStringLiteral(": ") + q->value(1).toString());
    return ranges;
}

} // namespace

SalvagedSide::~SalvagedSide() = default;

Result<std::unique_ptr<SalvagedSide>>
SalvagedSide::prepare(const DatabaseUrl& side, const DatabaseUrl& other, const QString& name) {
    if (!side.isSqlite() || other.isSqlite())
        return nullptr;
    auto recorded = recordedRanges(other);
    if (!recorded)
        return std::unexpected(recorded.error());
    if (recorded->isEmpty())
        return nullptr;
    auto snap = SourceSnapshot::open(side.filePath(), QStringLiteral("ctxdb diff"));
    if (!snap)
        return std::unexpected(snap.error());
    QSet<QString> found;
    std::unique_ptr<SalvagedSide> s(new SalvagedSide);
    if (!(*snap)->damage().isEmpty()) {
        auto copy = SalvageCopy::make(**snap);
        if (!copy)
            return std::unexpected(copy.error());
        s->m_copy = std::move(*copy);
        s->m_url = DatabaseUrl::sqliteFile(s->m_copy->path());
        for (const SalvageTable& t : s->m_copy->tables())
            for (const UnreadableRange& r : t.unreadable)
                found.insert(t.name + QStringLiteral(": ") + r.rowKey());
    } else {
        s->m_url = side;
    }
    s->m_findings << SchemaFinding{
        SchemaFinding::Level::Note,
        {},
        QStringLiteral("%1 is damaged: its readable rows are compared; %2 rowid range(s) "
                       "SQLite cannot read are not (the migration recorded %3)")
            .arg(name)
            .arg(found.size())
            .arg(recorded->size())};
    QStringList unrecorded, readable;
    for (const QString& r : std::as_const(found))
        if (!recorded->contains(r))
            unrecorded << r;
    for (const QString& r : std::as_const(*recorded))
        if (!found.contains(r))
            readable << r;
    unrecorded.sort();
    readable.sort();
    for (const QString& r : std::as_const(unrecorded))
        s->m_findings << SchemaFinding{
            SchemaFinding::Level::Difference, r.section(QLatin1Char(':'), 0, 0),
            QStringLiteral("%1 cannot be read in %2 and the migration did not record it")
                .arg(r, name)};
    for (const QString& r : std::as_const(readable))
        s->m_findings << SchemaFinding{
            SchemaFinding::Level::Difference, r.section(QLatin1Char(':'), 0, 0),
            QStringLiteral("%1 was recorded unreadable by the migration, but %2 reads it now")
                .arg(r, name)};
    return s;
}

} // namespace ctx
