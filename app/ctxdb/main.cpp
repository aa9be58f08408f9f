// ctxdb: Context Studio's engines, headless, for operators and scripts.
#include "CliCommand.h"
#include "core/Version.h"
#include "core/db/DatabaseUrl.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <cstdio>
#include <cstring>

using namespace ctx::cli;

namespace {

void printGlobalHelp() {
    QString text =
        QStringLiteral(
            "ctxdb %1 — inspect, upgrade, migrate and compare shared-context-server databases.\n\n"
            "Usage: ctxdb COMMAND [OPTIONS] [ARGS]\n"
            "       ctxdb COMMAND --help     options and examples of one command\n\n"
            "Databases are given as a file path, sqlite:///file.db, or postgresql://user@host/db\n"
            "(passwords also from PGPASSWORD or ~/.pgpass; never printed).\n\nCommands:\n")
            .arg(QLatin1String(CTX_VERSION));
    for (const CliCommand& c : commands())
        text += QStringLiteral("  %1%2\n").arg(c.name.leftJustified(12), c.summary);
    text += QStringLiteral("\nExit codes: 0 success, 1 operation failed, 2 usage error, "
                           "3 databases differ (diff).\n");
    fputs(text.toUtf8().constData(), stdout);
}

// Overwrites passwords and secret parameters in the arguments in place, so that ps and
// /proc/PID/cmdline never show them while ctxdb runs (the parsed copy keeps the real
// value).
void scrubPasswordsFromProcessTitle(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        ctx::scrubSecretsInPlace(argv[i]);
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ctxdb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CTX_VERSION));
    QStringList args = app.arguments();
    args.removeFirst();
    scrubPasswordsFromProcessTitle(argc, argv);
    if (args.isEmpty() || args.first() == QLatin1String("--help") ||
        args.first() == QLatin1String("-h") || args.first() == QLatin1String("help")) {
        printGlobalHelp();
        return args.isEmpty() ? Usage : Ok;
    }
    if (args.first() == QLatin1String("--version") || args.first() == QLatin1String("-V")) {
        fputs(QStringLiteral("ctxdb %1\n").arg(QLatin1String(CTX_VERSION)).toUtf8().constData(),
              stdout);
        return Ok;
    }
    const QString name = args.takeFirst();
    const CliCommand* command = nullptr;
    for (const CliCommand& c : commands())
        if (c.name == name)
            command = &c;
    if (!command) {
        fprintf(stderr, "ctxdb: unknown command '%s' (see 'ctxdb --help')\n",
                name.toUtf8().constData());
        return Usage;
    }
    QCommandLineParser parser;
    parser.setApplicationDescription(command->summary);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    command->declare(parser);
    Output probe(args.contains(QStringLiteral("--json")));
    if (!parser.parse(QStringList{QStringLiteral("ctxdb ") + name} + args))
        return probe.usage(name, parser.errorText());
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        text.replace(QRegularExpression(QStringLiteral("^Usage: \\S+")),
                     QStringLiteral("Usage: ctxdb ") + name);
        fputs(text.toUtf8().constData(), stdout);
        return Ok;
    }
    const Output out(probe.json());
    Output mutableOut = out;
    return command->run(parser, mutableOut);
}
