// ctxdb schema status|plan|upgrade URL
#include "CliCommand.h"
#include "core/schema/SchemaMigrator.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ctx::cli {
namespace {

QJsonObject statusJson(const DatabaseUrl& url, const SchemaStatus& st) {
    QJsonArray pending;
    for (const MigrationScript& s : st.pending)
        pending.append(QJsonObject{{"version", s.version},
                                   {"name", s.name},
                                   {"description", s.description},
                                   {"checksum", s.checksum}});
    QJsonArray provided;
    for (const MigrationScript& s : st.provided)
        provided.append(s.version);
    QJsonArray history;
    for (const HistoryEntry& e : st.info.history)
        history.append(QJsonObject{{"version", e.version},
                                   {"applied_at", e.appliedAt},
                                   {"description", e.description},
                                   {"checksum", e.checksum},
                                   {"applied_by", e.appliedBy},
                                   {"duration_ms", double(e.durationMs)}});
    return QJsonObject{{"database", url.redacted()},
                       {"engine", engineName(url.engine())},
                       {"empty", st.info.empty},
                       {"shared_context", st.info.sharedContext},
                       {"version", st.info.version},
                       {"variant", st.info.variant},
                       {"mixed", st.info.mixed},
                       {"quirks", QJsonArray::fromStringList(st.info.quirks)},
                       {"server_schema", st.info.serverSchema},
                       {"server_tables", st.info.serverTables},
                       {"server_drift", QJsonArray::fromStringList(st.info.serverDrift)},
                       {"operator_objects", QJsonArray::fromStringList(st.info.operatorObjects)},
                       {"provided", provided},
                       {"latest_version", st.latestVersion},
                       {"pending", pending},
                       {"history", history}};
}

int printStatus(const DatabaseUrl& url, const SchemaStatus& st, Output& out) {
    if (out.json()) {
        out.print(statusJson(url, st));
        return Ok;
    }
    QStringList pending;
    for (const MigrationScript& s : st.provided)
        pending << QStringLiteral("%1 %2 (provided by the server's schema: recorded, not run)")
                       .arg(s.version)
                       .arg(s.name);
    for (const MigrationScript& s : st.pending)
        pending << QStringLiteral("%1 %2").arg(s.version).arg(s.name);
    QList<std::pair<QString, QString>> serverLines;
    if (!st.info.serverDrift.isEmpty())
        serverLines << std::pair{QStringLiteral("server drift"), st.info.serverDrift.join("; ")};
    if (!st.info.operatorObjects.isEmpty())
        serverLines << std::pair{QStringLiteral("your objects"),
                                 st.info.operatorObjects.join(", ")};
    out.keyValues(
        {{"database", url.redacted()},
         {"engine", engineName(url.engine())},
         {"version", schemaVersionLabel(st.info)},
         {"variant", st.info.variant + (st.info.mixed ? " (mixed)" : "")},
         {"quirks", st.info.quirks.isEmpty() ? QStringLiteral("none") : st.info.quirks.join("; ")},
         {"latest", QString::number(st.latestVersion)},
         {"pending",
          pending.isEmpty() ? QStringLiteral("none — up to date") : pending.join(", ")}});
    if (!serverLines.isEmpty())
        out.keyValues(serverLines);
    return Ok;
}

int run(const QCommandLineParser& p, Output& out) {
    const QStringList args = p.positionalArguments();
    if (args.size() != 2)
        return out.usage("schema", "expected an action (status, plan, upgrade) and a database URL");
    const QString action = args[0];
    if (action != "status" && action != "plan" && action != "upgrade")
        return out.usage("schema", QStringLiteral("unknown action '%1'").arg(action));
    auto url = DatabaseUrl::parse(args[1]);
    if (!url)
        return out.error(url.error());
    if (action == "upgrade") {
        UpgradeOptions options;
        options.backupPath = p.value("backup");
        bool ok = false;
        const double wait = p.value("lock-timeout").toDouble(&ok);
        if (!ok || wait < 0)
            return out.usage("schema", "--lock-timeout takes seconds");
        options.lockTimeoutMs = int(wait * 1000);
        auto report = SchemaMigrator::upgrade(*url, options);
        if (!report)
            return out.error(report.error());
        QJsonArray applied;
        QStringList appliedText;
        for (int v : report->applied) {
            applied.append(v);
            appliedText << QString::number(v);
        }
        if (out.json())
            out.print(QJsonObject{{"database", url->redacted()},
                                  {"from_version", report->fromVersion},
                                  {"to_version", report->toVersion},
                                  {"applied", applied},
                                  {"backup", report->backupPath},
                                  {"milliseconds", double(report->milliseconds)}});
        else if (report->applied.isEmpty())
            out.line(QStringLiteral("%1: already at version %2, nothing to do")
                         .arg(url->redacted())
                         .arg(report->toVersion));
        else
            out.line(QStringLiteral("%1: upgraded from version %2 to %3 (applied %4) in %5 ms%6")
                         .arg(url->redacted())
                         .arg(report->fromVersion)
                         .arg(report->toVersion)
                         .arg(appliedText.join(", "))
                         .arg(report->milliseconds)
                         .arg(report->backupPath.isEmpty()
                                  ? QString()
                                  : QStringLiteral("; verified backup: ") + report->backupPath));
        return Ok;
    }
    ConnectionOptions ro;
    ro.readOnly = true;
    ro.applicationName = "ctxdb schema";
    auto conn = Connection::open(*url, ro);
    if (!conn)
        return out.error(conn.error());
    auto st = SchemaMigrator::status(**conn);
    if (!st)
        return out.error(st.error());
    if (action == "status")
        return printStatus(*url, *st, out);
    // plan: the SQL that upgrade would run, nothing executed
    if (out.json()) {
        QJsonArray plan;
        for (const MigrationScript& s : st->pending)
            plan.append(QJsonObject{{"version", s.version},
                                    {"name", s.name},
                                    {"checksum", s.checksum},
                                    {"sql", QString::fromUtf8(s.sql)}});
        out.print(plan);
        return Ok;
    }
    if (st->pending.isEmpty() && st->provided.isEmpty())
        out.line(QStringLiteral("-- %1 is at version %2: nothing to apply")
                     .arg(url->redacted())
                     .arg(st->info.version));
    for (const MigrationScript& s : st->provided)
        out.line(QStringLiteral("-- migration %1 (%2): provided by the server's schema; recorded "
                                "in schema_version, not run")
                     .arg(s.version)
                     .arg(s.name));
    for (const MigrationScript& s : st->pending)
        out.line(QStringLiteral("-- migration %1 (%2), sha256 %3\n%4")
                     .arg(s.version)
                     .arg(s.name, s.checksum, QString::fromUtf8(s.sql).trimmed()));
    return Ok;
}

void declare(QCommandLineParser& p) {
    p.addPositionalArgument("action", "status: version, variant, quirks, pending migrations\n"
                                      "plan: print the SQL upgrade would run; nothing executed\n"
                                      "upgrade: apply pending migrations in one transaction "
                                      "(SQLite: after a verified backup)");
    p.addPositionalArgument("URL", "database file path or URL");
    p.addOption({"backup",
                 "SQLite upgrade: write the verified backup here (default: "
                 "FILE.backup-YYYYMMDD-HHMMSS beside it).",
                 "PATH"});
    p.addOption(
        {"lock-timeout", "Seconds to wait for another migration to finish.", "SECONDS", "30"});
    p.addOption(jsonOption());
}

const Registration reg{
    {"schema", "Schema version, pending migrations, plan and upgrade", declare, run, 20}};

} // namespace
} // namespace ctx::cli
