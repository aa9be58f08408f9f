#include "ReportExport.h"

#include "WizardFormat.h"
#include "core/PrivateFiles.h"

#include <QFile>
#include <QJsonArray>
#include <QSaveFile>

namespace ctx::ui {

namespace {

QString modeName(TransferMode m) {
    switch (m) {
    case TransferMode::Fresh:
        return QStringLiteral("fresh");
    case TransferMode::Replace:
        return QStringLiteral("replace");
    case TransferMode::Resume:
        return QStringLiteral("resume");
    }
    return {};
}

QString page(const QString& title, const QString& body) {
    return QStringLiteral(
               "<!DOCTYPE html><html><head><meta charset='utf-8'><title>%1</title><style>"
               "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
               "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
               "th{background:#eee}.ok{color:#1b7f3b}.bad{color:#b00020}"
               "pre{background:#f6f6f6;padding:8px}</style></head><body><h1>%1</h1>%2"
               "</body></html>")
        .arg(htmlEscape(title), body);
}

QString tableHtml(const QStringList& head, const QList<QStringList>& rows) {
    QString h = QStringLiteral("<table>");
    if (!head.join(QString()).isEmpty()) {
        h += QStringLiteral("<tr>");
        for (const QString& c : head)
            h += QStringLiteral("<th>%1</th>").arg(htmlEscape(c));
        h += QStringLiteral("</tr>");
    }
    for (const QStringList& r : rows) {
        h += QStringLiteral("<tr>");
        for (const QString& c : r)
            h += QStringLiteral("<td>%1</td>").arg(htmlEscape(c));
        h += QStringLiteral("</tr>");
    }
    return h + QStringLiteral("</table>");
}

QString redactedTarget(const WizardState& s) {
    return s.target ? s.target->redacted() : QString();
}

} // namespace

QString ReportExport::assessmentHtml(const AssessReport& r) {
    QList<QStringList> tables, hazards;
    for (const TableAssessment& t : r.tables)
        tables << QStringList{t.name, t.present ? formatCount(t.rows) : QStringLiteral("absent"),
                              t.walOnlyRows < 0 ? QStringLiteral("?") : formatCount(t.walOnlyRows)};
    for (const HazardEntry& h : r.hazards)
        hazards << QStringList{h.column.isEmpty() ? h.table : h.table + '.' + h.column,
                               hazardReason(h.hazard) + (h.detail.isEmpty() ? "" : ": " + h.detail),
                               formatCount(h.count), h.sampleKeys.join(QStringLiteral(", ")),
                               h.action};
    QString body = QStringLiteral("<p>Source: %1 (%2), schema version %3 variant %4</p>")
                       .arg(htmlEscape(r.path), formatBytes(r.fileBytes))
                       .arg(r.schema.version)
                       .arg(htmlEscape(r.schema.variant));
    body += tableHtml({"table", "rows", "rows only in -wal"}, tables);
    body += QStringLiteral("<h2>Findings</h2>");
    body += tableHtml({"where", "hazard", "count", "sample keys", "action"}, hazards);
    return page(QStringLiteral("Assessment"), body);
}

QJsonObject ReportExport::verificationJson(const DiffReport& r) {
    QJsonArray tables;
    for (const TableDiff& t : r.tables)
        tables.append(QJsonObject{{"table", t.name},
                                  {"rows_a", double(t.aRows)},
                                  {"rows_b", double(t.bRows)},
                                  {"identical", double(t.identical)},
                                  {"equal_normalized", double(t.equalNormalized)},
                                  {"different", double(t.different)},
                                  {"only_in_a", double(t.onlyInA)},
                                  {"only_in_b", double(t.onlyInB)},
                                  {"explained", double(t.explained)},
                                  {"unexplained", double(t.unexplained())}});
    return QJsonObject{{"a", r.a},
                       {"b", r.b},
                       {"equal", r.equal()},
                       {"unexplained_rows", double(r.unexplainedRows())},
                       {"schema_differences", r.schemaDifferences()},
                       {"tables", tables}};
}

QJsonObject ReportExport::migrationJson(const WizardState& s) {
    QJsonObject o{{"source", s.sourcePath()},
                  {"target", redactedTarget(s)},
                  {"mode", modeName(s.mode)},
                  {"command", s.commandLine()},
                  {"started", s.runStarted.toUTC().toString(Qt::ISODate)},
                  {"finished", s.runFinished.toUTC().toString(Qt::ISODate)}};
    if (s.source)
        o["source_schema_version"] = s.source->schema.version;
    if (s.probe)
        o["target_server_version"] = s.probe->serverVersion;
    if (s.summary) {
        QJsonArray tables;
        for (const TableSummary& t : s.summary->tables)
            tables.append(QJsonObject{{"table", t.name},
                                      {"source_rows", double(t.sourceRows)},
                                      {"expected_rows", double(t.expectedRows)},
                                      {"target_rows", double(t.targetRows)},
                                      {"rejected", double(t.rejected)},
                                      {"seconds", t.seconds},
                                      {"ok", t.ok()}});
        QJsonObject rejects;
        for (auto it = s.summary->rejectsByReason.cbegin(); it != s.summary->rejectsByReason.cend();
             ++it)
            rejects[it.key()] = double(it.value());
        o["ok"] = s.summary->ok;
        o["tables"] = tables;
        o["rejects_by_reason"] = rejects;
        o["total_seconds"] = s.summary->totalSeconds;
    }
    if (s.verification)
        o["verification"] = verificationJson(*s.verification);
    return o;
}

QString ReportExport::migrationHtml(const WizardState& s) {
    QString body = tableHtml(
        {"", ""}, {{"Source", s.sourcePath()},
                   {"Source schema", s.source ? QString::number(s.source->schema.version) + " (" +
                                                    s.source->schema.variant + ")"
                                              : QString()},
                   {"Target", redactedTarget(s)},
                   {"Target server", s.probe ? "PostgreSQL " + s.probe->serverVersion : QString()},
                   {"Mode", modeName(s.mode)},
                   {"Started", s.runStarted.toUTC().toString(Qt::ISODate)},
                   {"Finished", s.runFinished.toUTC().toString(Qt::ISODate)}});
    if (s.summary) {
        QList<QStringList> rows, rejects;
        for (const TableSummary& t : s.summary->tables)
            rows << QStringList{t.name,
                                formatCount(t.sourceRows),
                                formatCount(t.targetRows),
                                formatCount(t.rejected),
                                formatSeconds(t.seconds),
                                t.ok() ? "ok" : "COUNT DIFFERS"};
        for (auto it = s.summary->rejectsByReason.cbegin(); it != s.summary->rejectsByReason.cend();
             ++it)
            rejects << QStringList{it.key(), formatCount(it.value())};
        body +=
            QStringLiteral("<h2>Tables</h2>") +
            tableHtml({"table", "source rows", "target rows", "rejected", "time", "check"}, rows);
        body += QStringLiteral("<h2>Rejects by reason</h2>") +
                (rejects.isEmpty() ? QStringLiteral("<p>none</p>")
                                   : tableHtml({"reason", "values"}, rejects));
    }
    if (s.verification) {
        const DiffReport& v = *s.verification;
        body += QStringLiteral("<h2>Verification</h2><p class='%1'>%2</p>")
                    .arg(v.equal() ? "ok" : "bad",
                         v.equal() ? QStringLiteral("No unexplained difference.")
                                   : QStringLiteral("%1 unexplained differing rows, %2 schema "
                                                    "differences.")
                                         .arg(v.unexplainedRows())
                                         .arg(v.schemaDifferences()));
    }
    body +=
        QStringLiteral("<h2>The same, headless</h2><pre>%1</pre>").arg(htmlEscape(s.commandLine()));
    return page(QStringLiteral("Migration report"), body);
}

Status ReportExport::write(const QString& path, const QByteArray& bytes) {
    QSaveFile f(path); // reports hold sample rows: the owner's only, like exports
    if (!f.open(QIODevice::WriteOnly) || !f.setPermissions(kPrivateFile) ||
        f.write(bytes) != bytes.size() || !f.commit())
        return fail(ErrorCode::Io,
                    QStringLiteral("cannot write the report: %1").arg(f.errorString()), path);
    return {};
}

} // namespace ctx::ui
