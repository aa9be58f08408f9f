// ctxdb search URL QUERY [--limit N] [--session S] [--as AGENT | --admin] [--no-index]
#include "StoreCommandSupport.h"
#include "core/store/Store.h"

namespace ctx::cli {
namespace {

const QString kName = QStringLiteral("search");
const QString kSummary =
    QStringLiteral("Ranked full-text search over message content, senders and metadata values");

void declare(QCommandLineParser& p) {
    setExamples(
        p, kSummary,
        {QStringLiteral("ctxdb search chat_history.db 'release plan'"),
         QStringLiteral("ctxdb search chat_history.db deploy --session session_0123456789abcdef "
                        "--limit 10 --json"),
         QStringLiteral("SQLite sources stay read-only: the FTS5 index is kept in "
                        "~/.cache/context-studio/fts/ and brought up to date on each search.")});
    addUrlArgument(p);
    p.addPositionalArgument(QStringLiteral("QUERY"), QStringLiteral("words to find (all of them)"));
    addLimitOption(p, QStringLiteral("At most N hits, 1 to 1000 (default 20)."), 20);
    p.addOption(
        {QStringLiteral("session"), QStringLiteral("Only this session."), QStringLiteral("S")});
    addViewerOptions(p);
    p.addOption({QStringLiteral("no-index"),
                 QStringLiteral("Build no index: scan every message, newest first, as far as "
                                "needed (slower than the index on a large database).")});
    p.addOption(jsonOption());
}

int run(const QCommandLineParser& p, Output& out) {
    int code = Ok;
    if (!requirePositional(p, 2, kName, out, &code))
        return code;
    SearchQuery query;
    query.text = p.positionalArguments()[1];
    query.sessionId = p.value(QStringLiteral("session"));
    if (query.text.trimmed().isEmpty())
        return out.usage(kName, QStringLiteral("the query is empty"));
    if (!parseLimitOption(p, kName, out, 1000, &query.limit, &code) ||
        !parseViewer(p, kName, out, &query.viewer, &code))
        return code;
    auto conn = openStore(p.positionalArguments()[0], false, kName, out, &code);
    if (!conn)
        return code;
    SearchIndex index(*conn);
    if (!p.isSet(QStringLiteral("no-index"))) {
        if (Output::stderrIsTerminal() && !out.json())
            index.setProgress([&out](qint64 done, qint64 total) {
                out.progress(QStringLiteral("indexing: %1 / %2 messages").arg(done).arg(total));
            });
        if (auto ok = index.prepare(false); !ok)
            return out.error(ok.error());
        if (Output::stderrIsTerminal() && !out.json())
            out.progress(QString());
    }
    auto hits = index.search(query);
    if (!hits) {
        if (hits.error().code == ErrorCode::InvalidArgument)
            return out.usage(kName, hits.error().message);
        return out.error(hits.error());
    }
    if (index.method() == SearchMethod::FullScan)
        fputs(QStringLiteral("ctxdb search: note: %1\n")
                  .arg(searchMethodName(index.method()))
                  .toUtf8()
                  .constData(),
              stderr);
    if (index.lastScanWantsIndex())
        fputs(QStringLiteral("ctxdb search: note: %1\n")
                  .arg(indexAdviceNote(conn->engine()))
                  .toUtf8()
                  .constData(),
              stderr);
    QList<QStringList> rows;
    for (const SearchHit& h : *hits)
        rows << QStringList{QString::number(h.rank, 'g', 4),
                            QString::number(h.message.id),
                            h.message.sessionId,
                            timeText(h.message.timestamp),
                            h.message.sender,
                            h.snippet};
    out.table({"rank", "id", "session_id", "timestamp", "sender", "snippet"}, rows);
    if (!out.json())
        out.line(QStringLiteral("%1 hit(s); %2%3")
                     .arg(hits->size())
                     .arg(searchMethodName(index.method()))
                     .arg(index.lastRankWindow() > 0
                              ? QStringLiteral("; ") + rankWindowNote(index.lastRankWindow())
                              : QString()));
    return Ok;
}

const Registration reg{{kName, kSummary, declare, run, 43}};

} // namespace
} // namespace ctx::cli
