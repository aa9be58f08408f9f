#pragma once

#include "core/Error.h"

#include <QCommandLineParser>
#include <QJsonValue>
#include <QStringList>
#include <functional>

namespace ctx::cli {

// Exit codes shared by every command.
enum ExitCode { Ok = 0, Failed = 1, Usage = 2, Different = 3 };

class Output;

// One `ctxdb COMMAND`: its name, a one-line summary for `ctxdb --help`, and a
// function that declares its options on a parser and runs it.
struct CliCommand {
    QString name;
    QString summary;
    std::function<void(QCommandLineParser&)> declare;
    std::function<int(const QCommandLineParser&, Output&)> run;
    int order = 100; // position in `ctxdb --help`
};

// Commands register themselves from their own source file:
//   static const ctx::cli::Registration reg{{"name", "summary", declare, run}};
struct Registration {
    explicit Registration(CliCommand command);
};
const QList<CliCommand>& commands();

// Prints results as a readable table on a terminal, or JSON for scripts, and
// errors as one line on stderr.
class Output {
public:
    explicit Output(bool json)
        : m_json(json) {}
    bool json() const { return m_json; }

    void table(const QStringList& headers, const QList<QStringList>& rows) const;
    void keyValues(const QList<std::pair<QString, QString>>& pairs) const;
    void print(const QJsonValue& value) const;
    void jsonLine(const QJsonValue& value) const; // one JSON object per line (events)
    void line(const QString& text) const;
    void progress(const QString& text) const; // stderr, overwritten in place on a tty
    int error(const Error& e) const;          // prints "ctxdb: subject: reason"; returns Failed
    int usage(const QString& command, const QString& message) const;
    static bool stdoutIsTerminal();
    static bool stderrIsTerminal();

private:
    bool m_json = false;
};

// Common option helpers.
QCommandLineOption jsonOption();
bool requirePositional(const QCommandLineParser& p, int count, const QString& command,
                       const Output& out, int* exitCode);

} // namespace ctx::cli
