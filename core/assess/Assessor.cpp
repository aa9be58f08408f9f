#include "Assessor.h"

#include "WalOnlyProbe.h"
#include "core/schema/SchemaDetector.h"
#include "core/transfer/SalvageCopy.h"
#include "core/values/Timestamp.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <sqlite3.h>

namespace ctx {

namespace {

// Throughputs measured on the reference machine (README), used for the estimate.
constexpr double kLoadBytesPerSecond = 120.0 * 1024 * 1024;
constexpr double kIndexBytesPerSecond = 60.0 * 1024 * 1024;

QString detailOf(const Finding& f) {
    if (f.hazard == Hazard::TimestampShape)
        return timestampShapeName(TimestampShape(f.detail));
    if (f.hazard == Hazard::StorageTypeMismatch)
        return storageTypeName(StorageType(f.detail));
    if (f.hazard == Hazard::TextTooLong)
        return QStringLiteral("VARCHAR(%1)").arg(f.detail);
    return {};
}

// Tallies findings per (column, hazard, detail) for one table.
class Tally {
public:
    Tally(const RowConverter& conv, QList<HazardEntry>& out)
        : m_conv(conv)
        , m_out(out) {}
    void add(const Finding& f, qint64 rowid, const ConvertedRow& row) {
        const quint32 key = (quint32(f.column + 1) << 16) | (quint32(f.hazard) << 8) | f.detail;
        auto it = m_index.constFind(key);
        int i;
        if (it == m_index.constEnd()) {
            HazardEntry e;
            e.table = m_conv.spec().name;
            e.column = f.column >= 0 ? m_conv.spec().columns[f.column].name : QString();
            e.hazard = f.hazard;
            e.detail = detailOf(f);
            e.recorded = isRecorded(f.hazard);
            const ColumnSpec* c = f.column >= 0 ? &m_conv.spec().columns[f.column] : nullptr;
            e.action = hazardAction(f.hazard, c && !c->nullable);
            i = int(m_out.size());
            m_out << e;
            m_index.insert(key, i);
        } else {
            i = *it;
        }
        HazardEntry& e = m_out[i];
        ++e.count;
        if (e.sampleRowids.size() < 5 && !e.sampleRowids.contains(rowid)) {
            e.sampleRowids << rowid;
            e.sampleKeys << m_conv.rowKey(row);
        }
    }

private:
    const RowConverter& m_conv;
    QList<HazardEntry>& m_out;
    QHash<quint32, int> m_index;
};

Status scanTable(const SourceSnapshot& snap, const SourceTableLayout& layout,
                 const TableStats& stats, const DuplicateMemory& dups, const SessionKeys& keys,
                 const AssessOptions& options, TableAssessment& table,
                 QList<HazardEntry>& hazards) {
    const RowConverter conv(layout.spec);
    auto cursor = SourceCursor::open(snap.handle(), layout, stats.minRowid - 1, stats.maxRowid,
                                     &dups.dropped);
    if (!cursor)
        return std::unexpected(cursor.error().withSubject(snap.path()));
    (*cursor)->setSessionKeys(&keys);
    const qsizetype firstEntry = hazards.size();
    Tally tally(conv, hazards);
    ConvertedRow row;
    qint64 done = 0;
    for (;;) {
        auto more = (*cursor)->next();
        if (!more)
            return std::unexpected(more.error().withSubject(snap.path()));
        if (!*more)
            break;
        conv.convert((*cursor)->values(), (*cursor)->context(), row);
        table.payloadBytes += (*cursor)->rowBytes();
        for (const Finding& f : std::as_const(row.findings))
            tally.add(f, (*cursor)->rowid(), row);
        if ((++done & 0xffff) == 0) {
            if (options.cancel && options.cancel->load())
                return fail(ErrorCode::Cancelled, QStringLiteral("assessment cancelled"),
                            snap.path());
            if (options.progress)
                options.progress({QStringLiteral("scan"), layout.spec.name, done, stats.rows});
        }
    }
    if (options.progress)
        options.progress({QStringLiteral("scan"), layout.spec.name, done, stats.rows});
    // Column order, then hazard: the report reads like the table.
    auto columnOf = [&](const HazardEntry& e) {
        return layout.spec.columnNames().indexOf(e.column);
    };
    std::stable_sort(hazards.begin() + firstEntry, hazards.end(),
                     [&](const HazardEntry& a, const HazardEntry& b) {
                         return std::tuple(columnOf(a), int(a.hazard), a.detail) <
                                std::tuple(columnOf(b), int(b.hazard), b.detail);
                     });
    return {};
}

QStringList quickCheck(const SourceSnapshot& snap) {
    QStringList lines;
    auto ok = SqliteRows::each(snap.handle(), "PRAGMA quick_check(20)", {}, [&](sqlite3_stmt* row) {
        lines << SqliteRows::column(row, 0, true).display();
        return true;
    });
    if (!ok)
        lines << ok.error().message;
    return lines;
}

} // namespace

qint64 AssessReport::recordedCount() const {
    qint64 n = 0;
    for (const HazardEntry& h : hazards)
        if (h.recorded)
            n += h.count;
    return n;
}

Result<AssessReport> Assessor::run(const AssessOptions& options) {
    QElapsedTimer timer;
    timer.start();
    std::unique_ptr<SalvageCopy> salvage; // outlives the snapshot that reads it
    auto snap = SourceSnapshot::open(options.path, QStringLiteral("ctxdb assess"));
    if (!snap)
        return std::unexpected(snap.error());
    AssessReport report;
    report.path = options.path;
    report.fileBytes = QFileInfo(options.path).size();
    report.walBytes = QFileInfo(options.path + QStringLiteral("-wal")).size();
    auto schema = SchemaDetector::detect((*snap)->connection());
    if (!schema)
        return std::unexpected(schema.error());
    report.schema = *schema;
    if (!schema->sharedContext)
        return fail(ErrorCode::NotADatabase,
                    QStringLiteral("not a shared-context-server database (no sessions and "
                                   "messages tables)"),
                    options.path);
    if (options.quickCheck) {
        if (options.progress)
            options.progress({QStringLiteral("check"), {}, 0, 0});
        report.quickCheck = quickCheck(**snap);
        // Damaged: the rest reads the rows SQLite can still read, as --salvage migrates them.
        if (!report.quickCheckOk()) {
            if (options.progress)
                options.progress({QStringLiteral("salvage"), {}, 0, 0});
            auto copy = SalvageCopy::make(**snap, options.cancel);
            if (!copy)
                return std::unexpected(copy.error());
            salvage = std::move(*copy);
            auto readable = SourceSnapshot::open(salvage->path(), QStringLiteral("ctxdb assess"));
            if (!readable)
                return std::unexpected(readable.error());
            *snap = std::move(*readable);
            report.salvaged = true;
        }
    }
    auto keys = SessionKeys::read((*snap)->handle());
    if (!keys)
        return std::unexpected(keys.error().withSubject(options.path));
    auto dups = (*snap)->duplicateMemory(*keys);
    if (!dups)
        return std::unexpected(dups.error());
    report.droppedDuplicates = dups->dropped.size();
    auto missing = (*snap)->missingSessions(*keys);
    if (!missing)
        return std::unexpected(missing.error());
    report.missingSessions = missing->size();
    auto wal = WalOnlyProbe::run(**snap);
    qint64 totalPayload = 0;
    for (const SourceTableLayout& layout : (*snap)->layouts()) {
        TableAssessment t;
        t.name = layout.spec.name;
        t.present = layout.present;
        if (const SalvageTable* st = salvage ? salvage->table(t.name) : nullptr)
            t.unreadable = st->unreadable;
        if (layout.present) {
            auto stats = (*snap)->stats(layout.spec.name);
            if (!stats)
                return std::unexpected(stats.error());
            t.rows = stats->rows;
            if (auto ok =
                    scanTable(**snap, layout, *stats, *dups, *keys, options, t, report.hazards);
                !ok)
                return std::unexpected(ok.error());
        }
        if (wal) {
            t.walOnlyRows = 0;
            for (const WalOnlyTable& w : *wal) {
                if (w.table != t.name || w.rows == 0)
                    continue;
                t.walOnlyRows = w.rows;
                HazardEntry e{t.name,
                              {},
                              Hazard::WalOnlyRows,
                              {},
                              w.rows,
                              w.sampleRowids,
                              {},
                              hazardAction(Hazard::WalOnlyRows),
                              false};
                for (qint64 id : w.sampleRowids)
                    e.sampleKeys << QString::number(id);
                report.hazards << e;
            }
        }
        totalPayload += t.payloadBytes;
        report.tables << t;
    }
    report.estimatedTargetBytes = qint64(double(totalPayload) * 1.6);
    report.estimatedSeconds =
        double(totalPayload) / kLoadBytesPerSecond + double(totalPayload) / kIndexBytesPerSecond;
    report.milliseconds = timer.elapsed();
    return report;
}

} // namespace ctx
