#include "CompareExport.h"

#include "DiffSummaryTable.h"
#include "ui/wizard/ReportExport.h"
#include "ui/wizard/WizardFormat.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ctx::ui {

namespace {

QString csvField(const QString& s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
        !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

QJsonObject CompareExport::json(const DiffReport& r) {
    QJsonObject o = ReportExport::verificationJson(r);
    o["a_version"] = r.aVersion;
    o["b_version"] = r.bVersion;
    QJsonArray schema;
    for (const SchemaFinding& f : r.schema)
        schema.append(QJsonObject{
            {"level", f.level == SchemaFinding::Level::Difference ? "difference" : "note"},
            {"table", f.table},
            {"text", f.text}});
    o["schema"] = schema;
    QJsonArray rows;
    for (const TableDiff& t : r.tables)
        for (const RowSample& s : t.samples) {
            QJsonArray cols;
            for (const ColumnSample& c : s.columns)
                cols.append(QJsonObject{{"column", c.column},
                                        {"a_raw", c.rawA.display()},
                                        {"b_raw", c.rawB.display()},
                                        {"a_normalized", c.normA.display()},
                                        {"b_normalized", c.normB.display()},
                                        {"explained", c.explained}});
            rows.append(QJsonObject{{"table", t.name},
                                    {"key", QString::fromUtf8(s.key)},
                                    {"kind", rowSampleKindName(s.kind)},
                                    {"explained", s.explained},
                                    {"columns", cols}});
        }
    o["rows"] = rows;
    return o;
}

QString CompareExport::html(const DiffReport& r) {
    QString h =
        QStringLiteral("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Comparison</title>"
                       "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
                       "collapse}td,th{border:1px solid #ccc;padding:4px 8px}.d{background:"
                       "#f8c8c8}</style></head><body><h1>Comparison</h1><p>A: %1 (%2)<br>B: %3 "
                       "(%4)</p><p><b>%5</b></p>")
            .arg(htmlEscape(r.a), htmlEscape(r.aVersion), htmlEscape(r.b), htmlEscape(r.bVersion),
                 r.equal() ? QStringLiteral("No unexplained difference.")
                           : QStringLiteral("%1 unexplained differing rows, %2 schema "
                                            "differences.")
                                 .arg(r.unexplainedRows())
                                 .arg(r.schemaDifferences()));
    h += QStringLiteral("<table><tr><th>table</th><th>rows A</th><th>rows B</th><th>identical"
                        "</th><th>equal normalized</th><th>different</th><th>only in A</th>"
                        "<th>only in B</th><th>explained</th></tr>");
    for (const TableDiff& t : r.tables)
        h += QStringLiteral("<tr style='background:%1'><td>%2</td><td>%3</td><td>%4</td><td>%5"
                            "</td><td>%6</td><td>%7</td><td>%8</td><td>%9</td><td>%10</td></tr>")
                 .arg(DiffSummaryTable::colourOf(t).name(), htmlEscape(t.name))
                 .arg(t.aRows)
                 .arg(t.bRows)
                 .arg(t.identical)
                 .arg(t.equalNormalized)
                 .arg(t.different)
                 .arg(t.onlyInA)
                 .arg(t.onlyInB)
                 .arg(t.explained);
    h += QStringLiteral("</table>");
    for (const SchemaFinding& f : r.schema)
        h += QStringLiteral("<p>%1 %2: %3</p>")
                 .arg(f.level == SchemaFinding::Level::Difference ? "Schema difference" : "Note",
                      htmlEscape(f.table), htmlEscape(f.text));
    for (const TableDiff& t : r.tables) {
        if (t.samples.isEmpty())
            continue;
        h += QStringLiteral("<h2>%1</h2><table><tr><th>key</th><th>kind</th><th>column</th>"
                            "<th>A</th><th>B</th></tr>")
                 .arg(htmlEscape(t.name));
        for (const RowSample& s : t.samples)
            for (const ColumnSample& c : s.columns)
                h += QStringLiteral("<tr><td>%1</td><td>%2%3</td><td>%4</td><td class=d>%5</td>"
                                    "<td class=d>%6</td></tr>")
                         .arg(htmlEscape(QString::fromUtf8(s.key)), rowSampleKindName(s.kind),
                              s.explained ? QStringLiteral(" (explained)") : QString(),
                              htmlEscape(c.column), htmlEscape(c.rawA.display()),
                              htmlEscape(c.rawB.display()));
        h += QStringLiteral("</table>");
    }
    return h + QStringLiteral("</body></html>");
}

QString CompareExport::csv(const DiffReport& r) {
    QString out =
        QStringLiteral("table,key,kind,column,a_raw,b_raw,a_normalized,b_normalized,explained\r\n");
    for (const TableDiff& t : r.tables)
        for (const RowSample& s : t.samples)
            for (const ColumnSample& c : s.columns)
                out += QStringList{csvField(t.name),
                                   csvField(QString::fromUtf8(s.key)),
                                   rowSampleKindName(s.kind),
                                   csvField(c.column),
                                   csvField(c.rawA.display()),
                                   csvField(c.rawB.display()),
                                   csvField(c.normA.display()),
                                   csvField(c.normB.display()),
                                   c.explained ? QStringLiteral("true") : QStringLiteral("false")}
                           .join(QLatin1Char(',')) +
                       QStringLiteral("\r\n");
    return out;
}

QByteArray CompareExport::render(const DiffReport& r, const QString& path) {
    if (path.endsWith(QStringLiteral(".json")))
        return QJsonDocument(json(r)).toJson();
    if (path.endsWith(QStringLiteral(".csv")))
        return csv(r).toUtf8();
    return html(r).toUtf8();
}

} // namespace ctx::ui
