#include "CliCommand.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace ctx::cli {

namespace {
QList<CliCommand>& registry() {
    static QList<CliCommand> list;
    return list;
}

void writeOut(FILE* f, const QString& text) {
    const QByteArray bytes = text.toUtf8();
    fwrite(bytes.constData(), 1, size_t(bytes.size()), f);
}
} // namespace

Registration::Registration(CliCommand command) {
    registry().append(std::move(command));
    std::stable_sort(registry().begin(), registry().end(),
                     [](const CliCommand& a, const CliCommand& b) { return a.order < b.order; });
}

const QList<CliCommand>& commands() {
    return registry();
}

bool Output::stdoutIsTerminal() {
    return isatty(STDOUT_FILENO) == 1;
}

bool Output::stderrIsTerminal() {
    return isatty(STDERR_FILENO) == 1;
}

void Output::table(const QStringList& headers, const QList<QStringList>& rows) const {
    if (m_json) {
        QJsonArray array;
        for (const QStringList& row : rows) {
            QJsonObject o;
            for (int i = 0; i < headers.size() && i < row.size(); ++i)
                o.insert(headers[i], row[i]);
            array.append(o);
        }
        print(array);
        return;
    }
    QList<int> widths;
    for (const QString& h : headers)
        widths << int(h.size());
    auto clip = [](QString s) {
        s.replace(QLatin1Char('\n'), QStringLiteral("⏎"));
        return s.size() > 60 ? s.left(59) + QStringLiteral("…") : s;
    };
    for (const QStringList& row : rows)
        for (int i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], int(clip(row[i]).size()));
    auto render = [&](const QStringList& cells) {
        QStringList out;
        for (int i = 0; i < headers.size(); ++i)
            out << clip(cells.value(i)).leftJustified(widths[i]);
        return out.join(QStringLiteral("  ")).trimmed() + QLatin1Char('\n');
    };
    QString text = render(headers);
    QStringList rule;
    for (int w : widths)
        rule << QString(w, QLatin1Char('-'));
    text += rule.join(QStringLiteral("  ")) + QLatin1Char('\n');
    for (const QStringList& row : rows)
        text += render(row);
    writeOut(stdout, text);
}

void Output::keyValues(const QList<std::pair<QString, QString>>& pairs) const {
    if (m_json) {
        QJsonObject o;
        for (const auto& [k, v] : pairs)
            o.insert(k, v);
        print(o);
        return;
    }
    int width = 0;
    for (const auto& kv : pairs)
        width = std::max(width, int(kv.first.size()));
    QString text;
    for (const auto& [k, v] : pairs)
        text += (k + QLatin1Char(':')).leftJustified(width + 2) + v + QLatin1Char('\n');
    writeOut(stdout, text);
}

void Output::print(const QJsonValue& value) const {
    QJsonDocument doc =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    writeOut(stdout, QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
}

void Output::jsonLine(const QJsonValue& value) const {
    writeOut(stdout,
             QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)) +
                 QLatin1Char('\n'));
    fflush(stdout);
}

void Output::line(const QString& text) const {
    writeOut(stdout, text + QLatin1Char('\n'));
}

void Output::progress(const QString& text) const {
    if (stderrIsTerminal())
        writeOut(stderr, QStringLiteral("\r\033[K") + text);
    else
        writeOut(stderr, text + QLatin1Char('\n'));
    fflush(stderr);
}

int Output::error(const Error& e) const {
    writeOut(stderr, QStringLiteral("ctxdb: ") + e.oneLine() + QLatin1Char('\n'));
    return Failed;
}

int Output::usage(const QString& command, const QString& message) const {
    writeOut(stderr,
             QStringLiteral("ctxdb %1: %2 (see 'ctxdb %1 --help')\n").arg(command, message));
    return Usage;
}

QCommandLineOption jsonOption() {
    return QCommandLineOption(QStringLiteral("json"), QStringLiteral("Print JSON for scripts."));
}

bool requirePositional(const QCommandLineParser& p, int count, const QString& command,
                       const Output& out, int* exitCode) {
    if (p.positionalArguments().size() == count)
        return true;
    *exitCode = out.usage(command, QStringLiteral("expected %1 argument(s), got %2")
                                       .arg(count)
                                       .arg(p.positionalArguments().size()));
    return false;
}

} // namespace ctx::cli
