// ctxdb messages URL SESSION_ID [--as AGENT | --admin] [--limit N] [--after CURSOR] ...
//                [--follow]
#include "StoreCommandSupport.h"
#include "core/db/DatabaseUrl.h"
#include "core/store/MessageFollower.h"
#include "core/store/Store.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QThread>
#include <cstdio>

namespace ctx::cli {
namespace {

const QString kName = QStringLiteral("messages");
const QString kSummary = QStringLiteral("One page of a session's messages in time order, as an "
                                        "agent or as admin");

void declare(QCommandLineParser& p) {
    setExamples(
        p, kSummary,
        {QStringLiteral("ctxdb messages chat_history.db session_0123456789abcdef"),
         QStringLiteral("ctxdb messages chat_history.db session_0123456789abcdef --as claude-main "
                        "--limit 100"),
         QStringLiteral("ctxdb messages DB SESSION --after CURSOR   (next page: CURSOR from the "
                        "previous page)"),
         QStringLiteral("ctxdb messages DB SESSION --since 2025-08-01 --until '2025-08-02 "
                        "12:00:00' --sender gemini --json"),
         QStringLiteral("ctxdb messages DB SESSION --follow --json   (the page, then each new "
                        "message as it commits, one JSON object per line, until Ctrl+C)")});
    addUrlArgument(p);
    p.addPositionalArgument(QStringLiteral("SESSION_ID"), QStringLiteral("session_ + 16 hex"));
    addViewerOptions(p);
    addLimitOption(p, QStringLiteral("Page size, 1 to 1000 (default 50)."), 50);
    p.addOption({QStringLiteral("after"),
                 QStringLiteral("Continue after this cursor (next_cursor of a previous page)."),
                 QStringLiteral("CURSOR")});
    p.addOption({QStringLiteral("from-end"), QStringLiteral("Newest first.")});
    p.addOption({QStringLiteral("sender"), QStringLiteral("Only messages from this sender."),
                 QStringLiteral("S")});
    p.addOption({QStringLiteral("since"),
                 QStringLiteral("Only messages at or after this time (ISO-8601, 'YYYY-MM-DD "
                                "HH:MM:SS' UTC, or epoch seconds)."),
                 QStringLiteral("T")});
    p.addOption({QStringLiteral("until"), QStringLiteral("Only messages before this time."),
                 QStringLiteral("T")});
    p.addOption({QStringLiteral("follow"),
                 QStringLiteral("After the page, print each new message of the session as it "
                                "commits (polled every 200 ms, holding no lock between polls), "
                                "until interrupted. With --json every message is one JSON object "
                                "per line.")});
    p.addOption(jsonOption());
}

QStringList messageCells(const Message& m) {
    return {QString::number(m.id),
            timeText(m.timestamp),
            m.sender,
            m.visibility,
            m.parentId ? QString::number(*m.parentId) : QString(),
            m.content};
}

QJsonObject messageJson(const Message& m);

// Prints each new message as it commits until the process is interrupted. A SQLite
// file opened immutable (no -wal or -shm beside it: nothing had it open) is opened
// again once a writer makes them, or its commits would stay unseen.
int follow(const QString& urlText, const MessageQuery& query, qint64 afterId, const Output& out) {
    const DatabaseUrl url = DatabaseUrl::parse(urlText).value_or(DatabaseUrl());
    auto uriNow = [&] { return url.isSqlite() ? sqliteReadOnlyUri(url.filePath()) : QString(); };
    int code = Ok;
    for (;;) {
        const QString uri = uriNow();
        auto conn = openStore(urlText, false, kName, out, &code);
        if (!conn)
            return code;
        MessageFollower follower(*conn, query.sessionId, query.viewer, afterId);
        while (uri == uriNow()) {
            auto fresh = follower.poll();
            if (!fresh)
                return out.error(fresh.error());
            for (const Message& m : std::as_const(*fresh)) {
                if (out.json()) {
                    out.jsonLine(messageJson(m));
                } else {
                    out.line(messageCells(m).join(QStringLiteral("  ")));
                    fflush(stdout);
                }
            }
            afterId = follower.lastId();
            if (fresh->size() < MessageFollower::kBatch)
                QThread::msleep(200);
        }
    }
}

QJsonObject messageJson(const Message& m) {
    return QJsonObject{
        {"id", double(m.id)},
        {"session_id", m.sessionId},
        {"timestamp", timeText(m.timestamp)},
        {"sender", m.sender},
        {"sender_type", m.senderType},
        {"visibility", m.visibility},
        {"message_type", m.messageType},
        {"parent_message_id", m.parentId ? QJsonValue(double(*m.parentId)) : QJsonValue()},
        {"metadata", m.metadataJson},
        {"content", m.content}};
}

int run(const QCommandLineParser& p, Output& out) {
    int code = Ok;
    if (!requirePositional(p, 2, kName, out, &code))
        return code;
    MessageQuery query;
    query.sessionId = p.positionalArguments()[1];
    if (!SessionStore::isValidId(query.sessionId))
        return out.usage(kName, QStringLiteral("'%1' is not a session id (session_ + 16 "
                                               "lowercase hex digits)")
                                    .arg(query.sessionId));
    if (!parseViewer(p, kName, out, &query.viewer, &code) ||
        !parseLimitOption(p, kName, out, 1000, &query.limit, &code) ||
        !parseTimeOption(p, QStringLiteral("since"), kName, out, &query.filter.since, &code) ||
        !parseTimeOption(p, QStringLiteral("until"), kName, out, &query.filter.until, &code))
        return code;
    query.after = p.value(QStringLiteral("after"));
    query.fromEnd = p.isSet(QStringLiteral("from-end"));
    query.filter.sender = p.value(QStringLiteral("sender"));
    const bool following = p.isSet(QStringLiteral("follow"));
    auto conn = openStore(p.positionalArguments()[0], false, kName, out, &code);
    if (!conn)
        return code;
    // Read before the page: whatever commits after it is followed, nothing is missed.
    auto latest = following ? MessageFollower::latestId(*conn, query.sessionId) : Result<qint64>(0);
    if (!latest)
        return out.error(latest.error());
    auto page = MessageStore(*conn).page(query);
    if (!page) {
        if (page.error().code == ErrorCode::InvalidArgument)
            return out.usage(kName, page.error().message);
        return out.error(page.error());
    }
    if (following) {
        qint64 after = *latest;
        for (const Message& m : std::as_const(page->messages)) {
            after = std::max(after, m.id);
            if (out.json())
                out.jsonLine(messageJson(m));
        }
        if (!out.json()) {
            QList<QStringList> rows;
            for (const Message& m : std::as_const(page->messages))
                rows << messageCells(m);
            out.table({"id", "timestamp", "sender", "visibility", "parent", "content"}, rows);
            fflush(stdout);
            fputs(
                qPrintable(QStringLiteral("following %1 (Ctrl+C to stop)\n").arg(query.sessionId)),
                stderr);
        }
        conn.reset(); // no connection stays open between polls but the follower's own
        return follow(p.positionalArguments()[0], query, after, out);
    }
    if (out.json()) {
        QJsonArray rows;
        for (const Message& m : page->messages)
            rows.append(messageJson(m));
        out.print(QJsonObject{
            {"rows", rows},
            {"next_cursor", page->hasMore ? QJsonValue(page->nextCursor) : QJsonValue()},
            {"total", double(page->total)},
            {"has_more", page->hasMore}});
        return Ok;
    }
    QList<QStringList> rows;
    for (const Message& m : page->messages)
        rows << messageCells(m);
    out.table({"id", "timestamp", "sender", "visibility", "parent", "content"}, rows);
    out.line(QStringLiteral("%1 of %2 messages%3")
                 .arg(page->messages.size())
                 .arg(page->total)
                 .arg(page->hasMore ? QStringLiteral("; next page: --after ") + page->nextCursor
                                    : QStringLiteral("; no more")));
    return Ok;
}

const Registration reg{{kName, kSummary, declare, run, 41}};

} // namespace
} // namespace ctx::cli
