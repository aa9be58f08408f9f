// ctxdb assess SOURCE [--json] [--no-check] [--preview TABLE:ROWID]
#include "CliCommand.h"
#include "core/assess/AssessJson.h"
#include "core/assess/Assessor.h"
#include "core/assess/SamplePreview.h"

#include <QLocale>

namespace ctx::cli {
namespace {

void printText(const AssessReport& r, const Output& out) {
    const QLocale c = QLocale::c();
    out.keyValues(
        {{"source", r.path},
         {"size", QStringLiteral("%1 (WAL %2)")
                      .arg(c.formattedDataSize(r.fileBytes), c.formattedDataSize(r.walBytes))},
         {"schema", QStringLiteral("version %1, variant %2%3")
                        .arg(r.schema.version)
                        .arg(r.schema.variant, r.schema.mixed ? " (mixed)" : "")},
         {"quirks", r.schema.quirks.isEmpty() ? QStringLiteral("none")
                                              : r.schema.quirks.join(QStringLiteral("; "))},
         {"quick_check", r.quickCheck.isEmpty() ? QStringLiteral("skipped")
                                                : r.quickCheck.join(QStringLiteral("; "))}});
    out.line(QString());
    QList<QStringList> rows;
    for (const TableAssessment& t : r.tables) {
        rows << QStringList{t.name, t.present ? QString::number(t.rows) : QStringLiteral("absent"),
                            t.walOnlyRows < 0 ? QStringLiteral("?")
                                              : QString::number(t.walOnlyRows),
                            c.formattedDataSize(t.payloadBytes)};
        if (r.salvaged)
            rows.last().insert(2, QString::number(t.unreadable.size()));
    }
    if (r.salvaged)
        out.table({"table", "readable_rows", "unreadable_ranges", "wal_only", "data"}, rows);
    else
        out.table({"table", "rows", "wal_only", "data"}, rows);
    out.line(QString());
    rows.clear();
    if (r.salvaged) {
        for (const TableAssessment& t : r.tables)
            for (const UnreadableRange& u : t.unreadable)
                rows << QStringList{t.name, u.rowKey(), u.error};
        out.line(QStringLiteral("damaged: migrate refuses this file; migrate --salvage carries "
                                "the readable rows above and records each unreadable range:"));
        if (!rows.isEmpty())
            out.table({"table", "unreadable", "sqlite_error"}, rows);
        out.line(QString());
        rows.clear();
    }
    for (const HazardEntry& h : r.hazards)
        rows << QStringList{h.column.isEmpty() ? h.table : h.table + '.' + h.column,
                            hazardReason(h.hazard) + (h.detail.isEmpty() ? "" : ": " + h.detail),
                            QString::number(h.count), h.sampleKeys.join(','), h.action};
    if (rows.isEmpty())
        out.line(QStringLiteral("no hazards: every value arrives unchanged"));
    else
        out.table({"where", "hazard", "count", "samples", "migration will"}, rows);
    out.line(QString());
    out.keyValues(
        {{"recovered",
          QStringLiteral("%1 placeholder session(s) for missing sessions").arg(r.missingSessions)},
         {"recorded", QStringLiteral("%1 value(s) will be recorded in ctx_migration_rejects")
                          .arg(r.recordedCount())},
         {"estimate", QStringLiteral("about %1 in PostgreSQL, about %2 s to migrate")
                          .arg(c.formattedDataSize(r.estimatedTargetBytes))
                          .arg(qint64(r.estimatedSeconds + 0.5))},
         {"assessed in", QStringLiteral("%1 ms").arg(r.milliseconds)}});
}

int preview(const QString& path, const QString& spec, Output& out) {
    const QString table = spec.section(':', 0, 0);
    bool ok = false;
    const qint64 rowid = spec.section(':', 1).toLongLong(&ok);
    if (!ok)
        return out.usage("assess", "--preview takes TABLE:ROWID");
    auto snap = SourceSnapshot::open(path, QStringLiteral("ctxdb assess"));
    if (!snap)
        return out.error(snap.error());
    auto row = SamplePreview::row(**snap, table, rowid);
    if (!row)
        return out.error(row.error());
    QList<QStringList> rows;
    for (const PreviewCell& c : row->cells)
        rows << QStringList{c.column, c.storageType, c.stored, c.arrives, c.hazards.join(',')};
    out.table({"column", "stored_as", "stored", "arrives", "hazards"}, rows);
    if (row->dropped && !out.json())
        out.line(QStringLiteral("(older duplicate global key: recorded, not loaded)"));
    return Ok;
}

int run(const QCommandLineParser& p, Output& out) {
    int code = Ok;
    if (!requirePositional(p, 1, "assess", out, &code))
        return code;
    QString path = p.positionalArguments().first();
    auto url = DatabaseUrl::parse(path);
    if (!url) // a malformed URL is not a file name to open and print
        return out.error(url.error());
    if (!url->isSqlite())
        return out.usage("assess", "SOURCE must be a legacy SQLite file");
    path = url->filePath();
    if (p.isSet("preview"))
        return preview(path, p.value("preview"), out);
    AssessOptions options;
    options.path = path;
    options.quickCheck = !p.isSet("no-check");
    if (!out.json() && Output::stderrIsTerminal())
        options.progress = [&out](const AssessProgress& a) {
            out.progress(
                a.phase == QLatin1String("scan")
                    ? QStringLiteral("assess: %1 %2/%3").arg(a.table).arg(a.done).arg(a.total)
                    : QStringLiteral("assess: %1").arg(a.phase));
        };
    auto report = Assessor::run(options);
    if (Output::stderrIsTerminal() && !out.json())
        out.progress(QString());
    if (!report)
        return out.error(report.error());
    if (out.json())
        out.print(assessReportToJson(*report));
    else
        printText(*report, out);
    if (!report->quickCheck.isEmpty() && !report->quickCheckOk())
        return out.error(Error{ErrorCode::Corrupt,
                               QStringLiteral("PRAGMA quick_check found problems (see above)"),
                               path});
    return Ok;
}

void declare(QCommandLineParser& p) {
    p.addPositionalArgument("SOURCE", "legacy SQLite file (opened read-only)");
    p.addOption({"no-check", "Skip PRAGMA quick_check."});
    p.addOption({"preview", "Show one row as stored and as it will arrive.", "TABLE:ROWID"});
    p.addOption(jsonOption());
}

const Registration reg{
    {"assess", "Read-only pre-flight of a legacy file before migrating it", declare, run, 30}};

} // namespace
} // namespace ctx::cli
