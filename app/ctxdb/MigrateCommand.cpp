// ctxdb migrate SOURCE TARGET [--resume] [--replace] [--salvage] [--jobs N] [--json]
#include "CliCommand.h"
#include "core/transfer/Migrator.h"

#include <QJsonArray>
#include <QJsonObject>
#include <thread>

namespace ctx::cli {
namespace {

QString bar(qint64 done, qint64 total) {
    const int width = 24;
    const int filled = total > 0 ? int(double(done) / double(total) * width) : width;
    return QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.'));
}

QJsonObject eventJson(const MigrateEvent& e) {
    if (e.type == MigrateEvent::Type::Phase)
        return QJsonObject{{"event", "phase"}, {"phase", e.phase}, {"message", e.message}};
    return QJsonObject{{"event", "progress"},
                       {"table", e.table},
                       {"rows_done", double(e.done)},
                       {"rows_total", double(e.total)},
                       {"rows_per_second", qRound64(e.rowsPerSecond)},
                       {"eta_seconds", e.etaSeconds < 0 ? QJsonValue() : qRound64(e.etaSeconds)}};
}

void onEvent(const MigrateEvent& e, const Output& out) {
    if (out.json()) {
        out.jsonLine(eventJson(e));
        return;
    }
    if (e.type == MigrateEvent::Type::Phase) {
        if (Output::stderrIsTerminal())
            out.progress(QString());
        out.progress(QStringLiteral("migrate: %1").arg(e.message));
        return;
    }
    if (!Output::stderrIsTerminal())
        return; // no bar in logs
    out.progress(
        QStringLiteral("%1 [%2] %3/%4 %5 rows/s ETA %6 s")
            .arg(e.table.leftJustified(13), bar(e.done, e.total))
            .arg(e.done)
            .arg(e.total)
            .arg(qRound64(e.rowsPerSecond))
            .arg(e.etaSeconds < 0 ? QStringLiteral("?") : QString::number(qRound64(e.etaSeconds))));
}

QJsonObject summaryJson(const MigrateSummary& s, const QString& source, const QString& target) {
    QJsonArray tables;
    for (const TableSummary& t : s.tables)
        tables.append(QJsonObject{{"name", t.name},
                                  {"source_rows", double(t.sourceRows)},
                                  {"expected_rows", double(t.expectedRows)},
                                  {"target_rows", double(t.targetRows)},
                                  {"rejected", double(t.rejected)},
                                  {"unreadable_ranges", double(t.unreadableRanges)},
                                  {"seconds", t.seconds},
                                  {"content_verified", t.contentMatches},
                                  {"verified", t.ok()}});
    QJsonObject reasons;
    for (auto it = s.rejectsByReason.cbegin(); it != s.rejectsByReason.cend(); ++it)
        reasons.insert(it.key(), double(it.value()));
    return QJsonObject{{"event", "summary"},
                       {"status", s.ok ? "ok" : "failed"},
                       {"source", source},
                       {"target", target},
                       {"resumed", s.resumed},
                       {"already_complete", s.alreadyComplete},
                       {"tables", tables},
                       {"rejects_by_reason", reasons},
                       {"recovered_sessions", double(s.recoveredSessions)},
                       {"dropped_duplicates", double(s.droppedDuplicates)},
                       {"salvaged", s.salvaged},
                       {"unreadable_ranges", double(s.unreadableRanges)},
                       {"data_seconds", s.dataSeconds},
                       {"finish_seconds", s.finishSeconds},
                       {"verify_seconds", s.verifySeconds},
                       {"seconds", s.totalSeconds}};
}

void printText(const MigrateSummary& s, const QString& target, const Output& out) {
    QList<QStringList> rows;
    for (const TableSummary& t : s.tables)
        rows << QStringList{t.name,
                            QString::number(t.sourceRows),
                            QString::number(t.targetRows),
                            QString::number(t.rejected),
                            QString::number(t.seconds, 'f', 1),
                            t.ok() ? QStringLiteral("pass")
                            : t.targetRows != t.expectedRows
                                ? QStringLiteral("FAIL (expected %1)").arg(t.expectedRows)
                                : QStringLiteral("FAIL (content differs)")};
    out.table({"table", "source_rows", "target_rows", "rejected", "seconds", "verified"}, rows);
    QStringList reasons;
    for (auto it = s.rejectsByReason.cbegin(); it != s.rejectsByReason.cend(); ++it)
        reasons << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
    reasons.sort();
    out.keyValues(
        {{"target", target},
         {"rejects", reasons.isEmpty() ? QStringLiteral("none")
                                       : reasons.join(QStringLiteral(", ")) +
                                             QStringLiteral(" (see ctx_migration_rejects)")},
         {"time", QStringLiteral("%1 s (data %2 s, indexes and checks %3 s, verification %4 s)%5")
                      .arg(s.totalSeconds, 0, 'f', 1)
                      .arg(s.dataSeconds, 0, 'f', 1)
                      .arg(s.finishSeconds, 0, 'f', 1)
                      .arg(s.verifySeconds, 0, 'f', 1)
                      .arg(s.alreadyComplete ? QStringLiteral(", already complete") : QString())},
         {"status", s.ok ? QStringLiteral("pass: every row arrived, content verified")
                         : QStringLiteral("FAIL: row counts or content differ (ctxdb diff "
                                          "SOURCE TARGET shows the rows)")}});
    if (s.salvaged)
        out.keyValues(
            {{"salvage", QStringLiteral("the source is damaged: every readable row was carried; "
                                        "%1 unreadable rowid range(s) recorded (reason "
                                        "unreadable_range)")
                             .arg(s.unreadableRanges)}});
}

int run(const QCommandLineParser& p, Output& out) {
    int code = Ok;
    if (!requirePositional(p, 2, "migrate", out, &code))
        return code;
    const QStringList args = p.positionalArguments();
    auto source = DatabaseUrl::parse(args[0]);
    if (!source)
        return out.error(source.error());
    if (!source->isSqlite())
        return out.usage("migrate", "SOURCE must be a legacy SQLite file");
    auto target = DatabaseUrl::parse(args[1]);
    if (!target)
        return out.error(target.error());
    if (!target->isPostgres())
        return out.usage("migrate", "TARGET must be a PostgreSQL URL (postgresql://…)");
    if (p.isSet("resume") && p.isSet("replace"))
        return out.usage("migrate", "--resume and --replace exclude each other");
    MigrateOptions o;
    o.sourcePath = source->filePath();
    o.target = *target;
    o.resume = p.isSet("resume");
    o.replace = p.isSet("replace");
    o.salvage = p.isSet("salvage");
    bool ok = false;
    o.jobs = p.value("jobs").toInt(&ok);
    if (!ok || o.jobs < 1 || o.jobs > 64)
        return out.usage("migrate", "--jobs takes a number from 1 to 64");
    if (p.isSet("batch-rows")) {
        o.limits.rows = p.value("batch-rows").toLongLong(&ok);
        if (!ok || o.limits.rows < 1)
            return out.usage("migrate", "--batch-rows takes a positive number");
    }
    o.onEvent = [&out](const MigrateEvent& e) { onEvent(e, out); };
    auto summary = Migrator::run(o);
    if (Output::stderrIsTerminal() && !out.json())
        out.progress(QString());
    if (!summary)
        return out.error(summary.error());
    if (out.json())
        out.jsonLine(summaryJson(*summary, o.sourcePath, target->redacted()));
    else
        printText(*summary, target->redacted(), out);
    return summary->ok ? Ok : Failed;
}

void declare(QCommandLineParser& p) {
    p.addPositionalArgument("SOURCE", "legacy SQLite file (opened read-only)");
    p.addPositionalArgument("TARGET", "PostgreSQL URL");
    p.addOption({"resume", "Continue an interrupted migration from its checkpoints."});
    p.addOption({"replace", "Drop Context Studio's tables in TARGET and start over."});
    p.addOption({"salvage",
                 "When SOURCE is damaged (PRAGMA quick_check fails; without this option it is "
                 "refused and nothing is written): carry every row SQLite can still read and "
                 "record each unreadable rowid range in ctx_migration_rejects (reason "
                 "unreadable_range, with SQLite's error). The file itself is only read; its "
                 "readable rows are copied to a private temporary file first (free space: about "
                 "the file's size). Without damage it changes nothing. Give it again with "
                 "--resume."});
    p.addOption({"jobs",
                 "Parallel workers, each with its own connections: rows are loaded and indexes "
                 "built N at a time.",
                 "N", QString::number(std::clamp(int(std::thread::hardware_concurrency()), 1, 2))});
    p.addOption({"batch-rows", "Rows per transaction and checkpoint (default 50000).", "N"});
    p.addOption(jsonOption());
}

const Registration reg{
    {"migrate", "Migrate a legacy SQLite file into PostgreSQL (resumable)", declare, run, 40}};

} // namespace
} // namespace ctx::cli
