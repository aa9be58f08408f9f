// ctxdb diff A B [--table T] [--rows N] [--json] [--jobs N]
#include "CliCommand.h"
#include "core/compare/DiffJob.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ctx::cli {
namespace {

void declare(QCommandLineParser& p) {
    p.addOption({"table", "Compare only this table.", "T"});
    p.addOption({"rows", "Show up to N differing rows per table, side by side.", "N", "0"});
    p.addOption({"jobs", "Worker threads, each with its own connections (default 2).", "N", "2"});
    p.addOption({"chunk-rows", "Rows per key-range chunk (default 5000).", "N", "5000"});
    p.addOption(jsonOption());
}

QJsonObject valueJson(const RawValue& raw, const NormalizedValue& norm, bool normalized) {
    QJsonObject o{{"raw", raw.isNull() ? QJsonValue() : QJsonValue(raw.display())},
                  {"storage", storageTypeName(raw.type)}};
    if (normalized)
        o.insert("normalized", norm.isNull() ? QJsonValue() : QJsonValue(norm.display()));
    return o;
}

QJsonObject tableJson(const TableDiff& t) {
    QJsonObject columns;
    for (auto it = t.columnDifferences.cbegin(); it != t.columnDifferences.cend(); ++it)
        columns.insert(it.key(), double(it.value()));
    QJsonArray samples;
    for (const RowSample& s : t.samples) {
        QJsonArray cols;
        for (const ColumnSample& c : s.columns)
            cols.append(QJsonObject{{"column", c.column},
                                    {"explained", c.explained},
                                    {"a", valueJson(c.rawA, c.normA, t.normalized)},
                                    {"b", valueJson(c.rawB, c.normB, t.normalized)}});
        samples.append(QJsonObject{{"key", QString::fromUtf8(s.key)},
                                   {"kind", rowSampleKindName(s.kind)},
                                   {"explained", s.explained},
                                   {"columns", cols}});
    }
    QJsonObject o{{"name", t.name},
                  {"key", t.key},
                  {"in_a", t.inA},
                  {"in_b", t.inB},
                  {"normalized", t.normalized},
                  {"a_rows", double(t.aRows)},
                  {"b_rows", double(t.bRows)},
                  {"identical", double(t.identical)},
                  {"equal_after_normalization", double(t.equalNormalized)},
                  {"different", double(t.different)},
                  {"only_in_a", double(t.onlyInA)},
                  {"only_in_b", double(t.onlyInB)},
                  {"explained", double(t.explained)},
                  {"unexplained", double(t.unexplained())},
                  {"columns", columns},
                  {"chunks", double(t.chunks)},
                  {"chunks_differing", double(t.chunksDiffering)},
                  {"rows", samples}};
    if (!t.skipped.isEmpty())
        o.insert("skipped", t.skipped);
    return o;
}

QJsonObject reportJson(const DiffReport& r) {
    QJsonArray schema, tables;
    for (const SchemaFinding& f : r.schema)
        schema.append(QJsonObject{
            {"level", f.level == SchemaFinding::Level::Difference ? "difference" : "note"},
            {"table", f.table},
            {"text", f.text}});
    for (const TableDiff& t : r.tables)
        tables.append(tableJson(t));
    return QJsonObject{{"a", r.a},
                       {"b", r.b},
                       {"a_version", r.aVersion},
                       {"b_version", r.bVersion},
                       {"equal", r.equal()},
                       {"unexplained_rows", double(r.unexplainedRows())},
                       {"schema_differences", r.schemaDifferences()},
                       {"schema", schema},
                       {"tables", tables},
                       {"milliseconds", double(r.milliseconds)}};
}

QString shown(const RawValue& raw, const NormalizedValue& norm, bool normalized, bool present) {
    if (!present)
        return QStringLiteral("-");
    QString s = raw.display();
    if (s.size() > 60)
        s = s.left(57) + QStringLiteral("...");
    s += QStringLiteral(" [%1]").arg(storageTypeName(raw.type));
    if (normalized && !(norm.display() == raw.display())) {
        QString n = norm.display();
        if (n.size() > 60)
            n = n.left(57) + QStringLiteral("...");
        s += QStringLiteral(" => ") + n;
    }
    return s;
}

void printText(const DiffReport& r, Output& out) {
    out.keyValues({{"A", QStringLiteral("%1 (schema %2)").arg(r.a, r.aVersion)},
                   {"B", QStringLiteral("%1 (schema %2)").arg(r.b, r.bVersion)}});
    for (const SchemaFinding& f : r.schema)
        out.line(QStringLiteral("schema %1: %2%3")
                     .arg(f.level == SchemaFinding::Level::Difference ? "DIFFERENCE" : "note",
                          f.table.isEmpty() ? QString() : f.table + QStringLiteral(": "), f.text));
    QList<QStringList> rows;
    for (const TableDiff& t : r.tables) {
        if (!t.skipped.isEmpty()) {
            rows << QStringList{t.name, "-", "-", "-", "-",
                                "-",    "-", "-", "-", QStringLiteral("skipped: ") + t.skipped};
            continue;
        }
        QStringList cols;
        for (auto it = t.columnDifferences.cbegin(); it != t.columnDifferences.cend(); ++it)
            cols << QStringLiteral("%1:%2").arg(it.key()).arg(it.value());
        rows << QStringList{t.name,
                            QString::number(t.aRows),
                            QString::number(t.bRows),
                            QString::number(t.identical),
                            QString::number(t.equalNormalized),
                            QString::number(t.different),
                            QString::number(t.onlyInA),
                            QString::number(t.onlyInB),
                            QString::number(t.explained),
                            cols.join(QStringLiteral(" "))};
    }
    out.table({"table", "a_rows", "b_rows", "identical", "equal_norm", "different", "only_in_a",
               "only_in_b", "explained", "columns"},
              rows);
    for (const TableDiff& t : r.tables) {
        for (const RowSample& s : t.samples) {
            out.line(QStringLiteral("%1 %2=%3: %4%5")
                         .arg(t.name, t.key, QString::fromUtf8(s.key), rowSampleKindName(s.kind),
                              s.explained ? QStringLiteral(" (explained by a recorded reject)")
                                          : QString()));
            QList<QStringList> cells;
            for (const ColumnSample& c : s.columns)
                cells << QStringList{
                    c.column,
                    shown(c.rawA, c.normA, t.normalized, s.kind != RowSample::Kind::OnlyInB),
                    shown(c.rawB, c.normB, t.normalized, s.kind != RowSample::Kind::OnlyInA)};
            out.table({"column", "A", "B"}, cells);
        }
    }
    out.line(r.equal() ? QStringLiteral("equal (%1 ms)").arg(r.milliseconds)
                       : QStringLiteral("DIFFERENT: %1 unexplained row(s), %2 schema "
                                        "difference(s) (%3 ms)")
                             .arg(r.unexplainedRows())
                             .arg(r.schemaDifferences())
                             .arg(r.milliseconds));
}

int run(const QCommandLineParser& p, Output& out) {
    const QStringList args = p.positionalArguments();
    if (args.size() != 2)
        return out.usage("diff", "expected two database URLs, A and B");
    DiffOptions options;
    for (int i = 0; i < 2; ++i) {
        auto url = DatabaseUrl::parse(args[i]);
        if (!url)
            return out.error(url.error());
        (i == 0 ? options.a : options.b) = *url;
    }
    bool ok = false;
    options.sampleRows = p.value("rows").toInt(&ok);
    if (!ok || options.sampleRows < 0)
        return out.usage("diff", "--rows takes a number of 0 or more");
    options.jobs = p.value("jobs").toInt(&ok);
    if (!ok || options.jobs < 1 || options.jobs > 64)
        return out.usage("diff", "--jobs takes a number from 1 to 64");
    options.chunkRows = p.value("chunk-rows").toInt(&ok);
    if (!ok || options.chunkRows < 1)
        return out.usage("diff", "--chunk-rows takes a positive number");
    options.table = p.value("table");
    DiffJob job(options);
    if (!out.json() && Output::stderrIsTerminal())
        job.setProgressCallback([&out](const DiffProgress& pr) {
            if (pr.chunksDone % 20 == 0 || pr.chunksDone == pr.chunksTotal)
                out.progress(QStringLiteral("diff: %1, chunk %2 / %3, %4 rows read")
                                 .arg(pr.table)
                                 .arg(pr.chunksDone)
                                 .arg(pr.chunksTotal)
                                 .arg(pr.rowsRead));
        });
    auto report = job.run();
    if (!out.json() && Output::stderrIsTerminal())
        out.progress(QString());
    if (!report)
        return out.error(report.error());
    if (out.json())
        out.print(reportJson(*report));
    else
        printText(*report, out);
    return report->equal() ? Ok : Different;
}

const Registration reg{{"diff",
                        "Compare two databases (SQLite or PostgreSQL), schema and data, row by row",
                        declare, run, 60}};

} // namespace
} // namespace ctx::cli
