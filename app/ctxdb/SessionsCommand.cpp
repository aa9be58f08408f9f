// ctxdb sessions URL [--limit N] [--no-agents]
#include "StoreCommandSupport.h"
#include "core/store/Store.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ctx::cli {
namespace {

const QString kName = QStringLiteral("sessions");
const QString kSummary = QStringLiteral("List sessions with message counts, agents and last "
                                        "activity (newest first)");

void declare(QCommandLineParser& p) {
    setExamples(
        p, kSummary,
        {QStringLiteral("ctxdb sessions chat_history.db"),
         QStringLiteral("ctxdb sessions postgresql://ctx@localhost/ctx --limit 20 --json"),
         QStringLiteral("ctxdb sessions big_history.db --no-agents   (counts from an index, "
                        "seconds instead of a pass over the whole file)")});
    addUrlArgument(p);
    addLimitOption(p, QStringLiteral("At most N sessions (default 1000)."), 1000);
    p.addOption({QStringLiteral("no-agents"),
                 QStringLiteral("Leave out each session's agents. On a legacy file without a "
                                "(session_id, sender) index they take a pass over the whole "
                                "messages table; the counts and last activity are read from "
                                "the (session_id, timestamp) index alone.")});
    p.addOption(jsonOption());
}

int run(const QCommandLineParser& p, Output& out) {
    int code = Ok;
    if (!requirePositional(p, 1, kName, out, &code))
        return code;
    int limit = 0;
    if (!parseLimitOption(p, kName, out, 1000000, &limit, &code))
        return code;
    auto conn = openStore(p.positionalArguments()[0], false, kName, out, &code);
    if (!conn)
        return code;
    const bool agents = !p.isSet(QStringLiteral("no-agents"));
    auto sessions = SessionStore(*conn).list(limit, agents ? SessionDetail::WithAgents
                                                           : SessionDetail::CountsOnly);
    if (!sessions)
        return out.error(sessions.error());
    if (out.json()) {
        QJsonArray rows;
        for (const SessionInfo& s : *sessions)
            rows.append(
                QJsonObject{{"id", s.id},
                            {"purpose", s.purpose},
                            {"created_by", s.createdBy},
                            {"active", s.active},
                            {"messages", double(s.messageCount)},
                            {"agents", agents ? QJsonValue(QJsonArray::fromStringList(s.agents))
                                              : QJsonValue(QJsonValue::Null)},
                            {"last_activity", timeText(s.lastActivity)},
                            {"created_at", timeText(s.createdAt)},
                            {"metadata", s.metadataJson}});
        out.print(rows);
        return Ok;
    }
    QList<QStringList> rows;
    for (const SessionInfo& s : *sessions)
        rows << QStringList{s.id,
                            s.active ? QStringLiteral("yes") : QStringLiteral("no"),
                            QString::number(s.messageCount),
                            timeText(s.lastActivity),
                            s.createdBy,
                            agents ? s.agents.join(QStringLiteral(", ")) : QStringLiteral("-"),
                            s.purpose};
    out.table({"id", "active", "messages", "last_activity", "created_by", "agents", "purpose"},
              rows);
    return Ok;
}

const Registration reg{{kName, kSummary, declare, run, 40}};

} // namespace
} // namespace ctx::cli
