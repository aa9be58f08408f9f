// ctxdb demo --out FILE [--messages N] [--seed S]
#include "CliCommand.h"
#include "core/legacy/DemoWriter.h"

#include <QJsonObject>

namespace ctx::cli {
namespace {

void declare(QCommandLineParser& p) {
    p.addOption({"out", "The new SQLite file to write (must not exist).", "FILE"});
    p.addOption({"messages", "How many messages (default 10000).", "N", "10000"});
    p.addOption({"seed", "Random seed: the same seed writes the same rows.", "S", "42"});
    p.addOption(jsonOption());
}

int run(const QCommandLineParser& p, Output& out) {
    if (!p.positionalArguments().isEmpty())
        return out.usage("demo", "takes no arguments; use --out FILE");
    DemoOptions options;
    options.path = p.value("out");
    if (options.path.isEmpty())
        return out.usage("demo", "--out FILE is required");
    bool ok = false;
    options.messages = p.value("messages").toLongLong(&ok);
    if (!ok || options.messages < 0)
        return out.usage("demo", "--messages takes a number of 0 or more");
    options.seed = p.value("seed").toULongLong(&ok);
    if (!ok)
        return out.usage("demo", "--seed takes a non-negative integer");
    if (!out.json())
        options.progress = [&out](qint64 done, qint64 total) {
            out.progress(QStringLiteral("demo: %1 / %2 messages").arg(done).arg(total));
        };
    auto summary = DemoWriter::write(options);
    if (!summary)
        return out.error(summary.error());
    const double rate = summary->milliseconds > 0
                            ? double(summary->messages) * 1000.0 / double(summary->milliseconds)
                            : 0.0;
    if (out.json()) {
        out.print(QJsonObject{{"file", options.path},
                              {"sessions", double(summary->sessions)},
                              {"messages", double(summary->messages)},
                              {"agent_memory", double(summary->memory)},
                              {"audit_log", double(summary->audit)},
                              {"secure_tokens", double(summary->tokens)},
                              {"milliseconds", double(summary->milliseconds)},
                              {"messages_per_second", rate}});
        return Ok;
    }
    if (Output::stderrIsTerminal())
        out.progress(QString());
    out.line(QStringLiteral("%1: %2 sessions, %3 messages, %4 memory, %5 audit, %6 tokens in "
                            "%7 ms (%8 messages/s)")
                 .arg(options.path)
                 .arg(summary->sessions)
                 .arg(summary->messages)
                 .arg(summary->memory)
                 .arg(summary->audit)
                 .arg(summary->tokens)
                 .arg(summary->milliseconds)
                 .arg(qint64(rate)));
    return Ok;
}

const Registration reg{
    {"demo", "Write a demo database in the server's legacy (3b) format", declare, run, 10}};

} // namespace
} // namespace ctx::cli
