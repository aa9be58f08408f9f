#include "ReadSession.h"

#include <QRegularExpression>

namespace ctx {

Result<std::unique_ptr<ReadSession>> ReadSession::open(const DatabaseUrl& url,
                                                       const QString& snapshot) {
    ConnectionOptions options;
    options.readOnly = true;
    options.applicationName = QStringLiteral("ctxdb diff");
    options.sqliteCacheKiB = ConnectionOptions::kScanCacheKiB; // one pass over the file
    auto conn = Connection::open(url, options);
    if (!conn)
        return std::unexpected(conn.error());
    std::unique_ptr<ReadSession> session(new ReadSession);
    session->m_conn = std::move(*conn);
    const Connection& c = *session->m_conn;
    if (url.isSqlite()) {
        if (auto ok = c.begin(false); !ok)
            return std::unexpected(ok.error());
        // The read snapshot starts with the first read: take it now.
        if (auto ok = c.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master")); !ok)
            return std::unexpected(ok.error());
        return session;
    }
    if (auto ok = c.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")); !ok)
        return std::unexpected(ok.error());
    if (snapshot.isEmpty()) {
        auto id = c.scalar(QStringLiteral("SELECT pg_export_snapshot()"));
        if (!id)
            return std::unexpected(id.error());
        session->m_snapshot = id->toString();
        return session;
    }
    // SET TRANSACTION SNAPSHOT takes no parameters: accept only a snapshot id's characters.
    static const QRegularExpression idShape(QStringLiteral("^[0-9A-Fa-f-]+$"));
    if (!idShape.match(snapshot).hasMatch())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("invalid snapshot id"), c.subject());
    if (auto ok = c.exec(QStringLiteral("SET TRANSACTION SNAPSHOT '%1'").arg(snapshot)); !ok)
        return std::unexpected(ok.error());
    session->m_snapshot = snapshot;
    return session;
}

ReadSession::~ReadSession() {
    if (m_conn)
        m_conn->rollback();
}

} // namespace ctx
