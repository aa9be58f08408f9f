// ctxdb audit URL [--agent A] [--event E] [--session S] [--since T] [--until T]
#include "StoreCommandSupport.h"
#include "core/store/Store.h"

namespace ctx::cli {
namespace {

const QString kName = QStringLiteral("audit");
const QString kSummary = QStringLiteral("Show audit log entries, newest first");

void declare(QCommandLineParser& p) {
    setExamples(p, kSummary,
                {QStringLiteral("ctxdb audit chat_history.db --agent claude-main"),
                 QStringLiteral("ctxdb audit chat_history.db --event authentication_failed "
                                "--since 2025-08-01 --json")});
    addUrlArgument(p);
    p.addOption({QStringLiteral("agent"), QStringLiteral("Only this agent."), QStringLiteral("A")});
    p.addOption(
        {QStringLiteral("event"), QStringLiteral("Only this event type."), QStringLiteral("E")});
    p.addOption(
        {QStringLiteral("session"), QStringLiteral("Only this session."), QStringLiteral("S")});
    p.addOption(
        {QStringLiteral("since"), QStringLiteral("At or after this time."), QStringLiteral("T")});
    p.addOption(
        {QStringLiteral("until"), QStringLiteral("Before this time."), QStringLiteral("T")});
    addLimitOption(p, QStringLiteral("At most N entries (default 1000)."), 1000);
    p.addOption(jsonOption());
}

int run(const QCommandLineParser& p, Output& out) {
    int code = Ok;
    if (!requirePositional(p, 1, kName, out, &code))
        return code;
    AuditQuery query;
    query.agentId = p.value(QStringLiteral("agent"));
    query.eventType = p.value(QStringLiteral("event"));
    query.sessionId = p.value(QStringLiteral("session"));
    if (!parseTimeOption(p, QStringLiteral("since"), kName, out, &query.since, &code) ||
        !parseTimeOption(p, QStringLiteral("until"), kName, out, &query.until, &code) ||
        !parseLimitOption(p, kName, out, 1000000, &query.limit, &code))
        return code;
    auto conn = openStore(p.positionalArguments()[0], false, kName, out, &code);
    if (!conn)
        return code;
    auto events = AuditStore(*conn).query(query);
    if (!events)
        return out.error(events.error());
    QList<QStringList> rows;
    for (const AuditEvent& e : *events)
        rows << QStringList{QString::number(e.id),
                            timeText(e.timestamp),
                            e.eventType,
                            e.agentId,
                            e.sessionId,
                            e.resource,
                            e.action,
                            e.result,
                            e.metadataJson};
    out.table({"id", "timestamp", "event_type", "agent_id", "session_id", "resource", "action",
               "result", "metadata"},
              rows);
    return Ok;
}

const Registration reg{{kName, kSummary, declare, run, 45}};

} // namespace
} // namespace ctx::cli
