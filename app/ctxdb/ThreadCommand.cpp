// ctxdb thread URL MESSAGE_ID [--as AGENT | --admin]
#include "StoreCommandSupport.h"
#include "core/store/Store.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ctx::cli {
namespace {

const QString kName = QStringLiteral("thread");
const QString kSummary = QStringLiteral("A message with its ancestors and its replies");

void declare(QCommandLineParser& p) {
    setExamples(p, kSummary,
                {QStringLiteral("ctxdb thread chat_history.db 42"),
                 QStringLiteral("ctxdb thread chat_history.db 42 --as claude-main --json")});
    addUrlArgument(p);
    p.addPositionalArgument(QStringLiteral("MESSAGE_ID"), QStringLiteral("a message id"));
    addViewerOptions(p);
    p.addOption(jsonOption());
}

int run(const QCommandLineParser& p, Output& out) {
    int code = Ok;
    if (!requirePositional(p, 2, kName, out, &code))
        return code;
    bool ok = false;
    const qint64 id = p.positionalArguments()[1].toLongLong(&ok);
    if (!ok || id < 1)
        return out.usage(
            kName, QStringLiteral("'%1' is not a message id").arg(p.positionalArguments()[1]));
    Viewer viewer;
    if (!parseViewer(p, kName, out, &viewer, &code))
        return code;
    auto conn = openStore(p.positionalArguments()[0], false, kName, out, &code);
    if (!conn)
        return code;
    auto thread = MessageStore(*conn).thread(id, viewer);
    if (!thread)
        return out.error(thread.error());
    QList<std::pair<QString, Message>> rows;
    for (const Message& m : thread->ancestors)
        rows.append({QStringLiteral("ancestor"), m});
    rows.append({QStringLiteral("message"), thread->message});
    for (const Message& m : thread->replies)
        rows.append({QStringLiteral("reply"), m});
    QStringList headers{"role", "id", "parent", "timestamp", "sender", "visibility", "content"};
    QList<QStringList> table;
    for (const auto& [role, m] : rows)
        table << QStringList{role,
                             QString::number(m.id),
                             m.parentId ? QString::number(*m.parentId) : QString(),
                             timeText(m.timestamp),
                             m.sender,
                             m.visibility,
                             m.content};
    out.table(headers, table);
    return Ok;
}

const Registration reg{{kName, kSummary, declare, run, 42}};

} // namespace
} // namespace ctx::cli
