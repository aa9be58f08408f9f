#include "StoreCommandSupport.h"

#include "core/values/Timestamp.h"

namespace ctx::cli {

std::unique_ptr<Connection> openStore(const QString& urlText, bool writable, const QString& command,
                                      const Output& out, int* exitCode) {
    auto url = DatabaseUrl::parse(urlText);
    if (!url) {
        *exitCode = out.error(url.error());
        return nullptr;
    }
    ConnectionOptions options;
    options.readOnly = !writable;
    options.applicationName = QStringLiteral("ctxdb ") + command;
    auto conn = Connection::open(*url, options);
    if (!conn) {
        *exitCode = out.error(conn.error());
        return nullptr;
    }
    if (!(*conn)->tableExists(QStringLiteral("messages")) ||
        !(*conn)->tableExists(QStringLiteral("sessions"))) {
        *exitCode = out.error(Error{ErrorCode::NotADatabase,
                                    QStringLiteral("not a shared-context-server database (no "
                                                   "sessions and messages tables)"),
                                    (*conn)->subject()});
        return nullptr;
    }
    return std::move(*conn);
}

QString timeText(const std::optional<qint64>& micros) {
    return micros ? Timestamp::toIso(*micros) : QString();
}

bool parseTimeOption(const QCommandLineParser& p, const QString& name, const QString& command,
                     const Output& out, std::optional<qint64>* value, int* exitCode) {
    const QString text = p.value(name);
    if (text.isEmpty())
        return true;
    *value = Timestamp::parseText(text.toUtf8());
    if (*value)
        return true;
    *exitCode = out.usage(command, QStringLiteral("--%1: '%2' is not a time (e.g. 2025-08-20, "
                                                  "2025-08-20T12:00:00Z, 1735689600)")
                                       .arg(name, text));
    return false;
}

bool parseLimitOption(const QCommandLineParser& p, const QString& command, const Output& out,
                      int max, int* value, int* exitCode) {
    bool ok = false;
    const int n = p.value(QStringLiteral("limit")).toInt(&ok);
    if (ok && n >= 1 && n <= max) {
        *value = n;
        return true;
    }
    *exitCode = out.usage(command, QStringLiteral("--limit takes a number from 1 to %1").arg(max));
    return false;
}

void addViewerOptions(QCommandLineParser& p) {
    p.addOption({QStringLiteral("as"),
                 QStringLiteral("Read as this agent: public messages plus its own private and "
                                "agent_only ones."),
                 QStringLiteral("AGENT")});
    p.addOption({QStringLiteral("admin"),
                 QStringLiteral("Read as an administrator: every message (the default).")});
}

bool parseViewer(const QCommandLineParser& p, const QString& command, const Output& out,
                 Viewer* viewer, int* exitCode) {
    if (p.isSet(QStringLiteral("as")) && p.isSet(QStringLiteral("admin"))) {
        *exitCode = out.usage(command, QStringLiteral("give either --as AGENT or --admin"));
        return false;
    }
    if (p.isSet(QStringLiteral("as"))) {
        const QString agent = p.value(QStringLiteral("as")).trimmed();
        if (agent.isEmpty()) {
            *exitCode = out.usage(command, QStringLiteral("--as needs an agent id"));
            return false;
        }
        *viewer = Viewer::asAgent(agent);
    } else {
        *viewer = Viewer::asAdmin();
    }
    return true;
}

void setExamples(QCommandLineParser& p, const QString& summary, const QStringList& examples) {
    p.setApplicationDescription(summary + QStringLiteral("\n\nExamples:\n  ") +
                                examples.join(QStringLiteral("\n  ")));
}

void addUrlArgument(QCommandLineParser& p) {
    p.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("database file path or URL"));
}

void addLimitOption(QCommandLineParser& p, const QString& help, int defaultLimit) {
    p.addOption(
        {QStringLiteral("limit"), help, QStringLiteral("N"), QString::number(defaultLimit)});
}

} // namespace ctx::cli
