// What a search result says about how it was found (StoreTypes.h).
#include "Store.h"

namespace ctx {

QString searchMethodName(SearchMethod method) {
    switch (method) {
    case SearchMethod::SqliteFts:
        return QStringLiteral("fts5 index in the database");
    case SearchMethod::SqliteFtsCache:
        return QStringLiteral("fts5 index in a side cache file");
    case SearchMethod::PostgresFullText:
        return QStringLiteral("postgresql full-text index");
    case SearchMethod::FullScan:
        return QStringLiteral("no index: substring scan of every message, newest first");
    }
    return {};
}

QString rankWindowNote(int window) {
    return window > 0 ? QStringLiteral("a common word: the newest %1 matches ranked").arg(window)
                      : QString();
}

QString scanReachNote(qint64 idsRead, qint64 idsTotal, bool indexComing) {
    const QString why = indexComing ? QStringLiteral("no index yet") : QStringLiteral("no index");
    if (idsRead >= idsTotal)
        return why + QStringLiteral(": every message scanned, newest first");
    const double share = idsTotal > 0 ? 100.0 * double(idsRead) / double(idsTotal) : 0.0;
    return QStringLiteral("%1: the newest %2 % of messages scanned")
        .arg(why, share < 1.0 ? QString::number(share, 'g', 1) : QString::number(qRound(share)));
}

QString indexAdviceNote(Engine engine) {
    if (engine == Engine::Postgres)
        return QStringLiteral(
            "a full-text index would answer this in milliseconds (a rare word reads every "
            "message without one); a role that may write builds it with: CREATE INDEX "
            "idx_messages_content_fts ON messages USING GIN (to_tsvector('simple', content))");
    return QStringLiteral("the search index would answer this in milliseconds (ctxdb search "
                          "without --no-index builds it)");
}

} // namespace ctx
