// ctxdb memory URL [--session S | --global] [--prefix P] [--agent A]
#include "StoreCommandSupport.h"
#include "core/store/Store.h"

namespace ctx::cli {
namespace {

const QString kName = QStringLiteral("memory");
const QString kSummary = QStringLiteral("List agent memory entries (expired entries are never "
                                        "shown)");

void declare(QCommandLineParser& p) {
    setExamples(p, kSummary,
                {QStringLiteral("ctxdb memory chat_history.db --global"),
                 QStringLiteral("ctxdb memory chat_history.db --session session_0123456789abcdef "
                                "--prefix task."),
                 QStringLiteral("ctxdb memory chat_history.db --agent claude-main --json")});
    addUrlArgument(p);
    p.addOption({QStringLiteral("session"), QStringLiteral("Only entries of this session."),
                 QStringLiteral("S")});
    p.addOption({QStringLiteral("global"), QStringLiteral("Only global entries (no session).")});
    p.addOption({QStringLiteral("prefix"), QStringLiteral("Only keys starting with P."),
                 QStringLiteral("P")});
    p.addOption({QStringLiteral("agent"), QStringLiteral("Only this agent's entries."),
                 QStringLiteral("A")});
    addLimitOption(p, QStringLiteral("At most N entries (default 1000)."), 1000);
    p.addOption(jsonOption());
}

int run(const QCommandLineParser& p, Output& out) {
    int code = Ok;
    if (!requirePositional(p, 1, kName, out, &code))
        return code;
    MemoryQuery query;
    query.sessionId = p.value(QStringLiteral("session"));
    query.global = p.isSet(QStringLiteral("global"));
    query.prefix = p.value(QStringLiteral("prefix"));
    query.agentId = p.value(QStringLiteral("agent"));
    if (query.global && !query.sessionId.isEmpty())
        return out.usage(kName, QStringLiteral("give either --session S or --global"));
    if (!query.sessionId.isEmpty() && !SessionStore::isValidId(query.sessionId))
        return out.usage(kName, QStringLiteral("'%1' is not a session id").arg(query.sessionId));
    if (!parseLimitOption(p, kName, out, 1000000, &query.limit, &code))
        return code;
    auto conn = openStore(p.positionalArguments()[0], false, kName, out, &code);
    if (!conn)
        return code;
    auto entries = MemoryStore(*conn).list(query);
    if (!entries)
        return out.error(entries.error());
    QList<QStringList> rows;
    for (const MemoryEntry& e : *entries)
        rows << QStringList{e.agentId,
                            e.sessionId.isEmpty() ? QStringLiteral("(global)") : e.sessionId,
                            e.key,
                            e.value,
                            timeText(e.updatedAt),
                            timeText(e.expiresAt)};
    out.table({"agent_id", "session_id", "key", "value", "updated_at", "expires_at"}, rows);
    return Ok;
}

const Registration reg{{kName, kSummary, declare, run, 44}};

} // namespace
} // namespace ctx::cli
