#include "BenchDatasets.h"

#include "core/legacy/DemoWriter.h"
#include "core/schema/SchemaMigrator.h"
#include "core/transfer/Migrator.h"

namespace ctx::bench {

namespace {

Result<QStringList> sessionIds(const Connection& conn) {
    // Largest first: the big-session figures read the same session on both engines.
    auto q = conn.exec(QStringLiteral(
        "SELECT s.id FROM sessions s LEFT JOIN (SELECT session_id, count(*) AS n FROM messages "
        "GROUP BY session_id) m ON m.session_id = s.id ORDER BY COALESCE(m.n, 0) DESC, s.id"));
    if (!q)
        return std::unexpected(q.error());
    QStringList ids;
    while (q->next())
        ids << q->value(0).toString();
    return ids;
}

Result<std::unique_ptr<Connection>> writer(const DatabaseUrl& url) {
    ConnectionOptions o;
    o.readOnly = false;
    o.createIfMissing = true;
    return Connection::open(url, o);
}

} // namespace

Result<QStringList> buildSqlite(const QString& path, qint64 messages, const DatabaseUrl& pg) {
    DemoOptions options;
    options.path = path;
    options.messages = messages;
    if (auto r = DemoWriter::write(options); !r)
        return std::unexpected(r.error());
    auto conn = writer(DatabaseUrl::sqliteFile(path));
    if (!conn)
        return std::unexpected(conn.error());
    if (auto r = (*conn)->exec(QStringLiteral("UPDATE messages SET content = content || ' %1' "
                                              "WHERE id % 1000 = 0")
                                   .arg(QLatin1String(kNeedle)));
        !r)
        return std::unexpected(r.error());
    conn->reset(); // the migration reads the file on its own connections
    MigrateOptions migrate;
    migrate.sourcePath = path;
    migrate.target = pg;
    if (auto r = Migrator::run(migrate); !r)
        return std::unexpected(r.error());
    else if (!r->ok)
        return fail(ErrorCode::QueryFailed, QStringLiteral("the migration did not verify"),
                    pg.redacted());
    conn = writer(DatabaseUrl::sqliteFile(path));
    if (!conn)
        return std::unexpected(conn.error());
    // The store runs on the current schema, as on PostgreSQL below: a server moving to
    // Context Studio's core runs `ctxdb schema upgrade` once (versions 4 and 5 add the
    // indexes that keep an agent's page and total off the table's rows).
    UpgradeOptions current;
    current.appliedBy = QStringLiteral("bench_store");
    if (auto r = SchemaMigrator::applyPending(**conn, current); !r)
        return std::unexpected(r.error());
    return sessionIds(**conn);
}

Result<QStringList> preparePostgres(const DatabaseUrl& url) {
    auto conn = writer(url);
    if (!conn)
        return std::unexpected(conn.error());
    // As autovacuum would have it on a live server: statistics and the visibility map
    // (index-only scans for counts).
    if (auto r = (*conn)->exec(QStringLiteral("VACUUM ANALYZE")); !r)
        return std::unexpected(r.error());
    return sessionIds(**conn);
}

Result<qint64> messageCount(const DatabaseUrl& url, const QString& sessionId) {
    auto conn = Connection::open(url, {});
    if (!conn)
        return std::unexpected(conn.error());
    auto n = (*conn)->scalar(QStringLiteral("SELECT count(*) FROM messages WHERE session_id = ?"),
                             {sessionId});
    if (!n)
        return std::unexpected(n.error());
    return n->toLongLong();
}

} // namespace ctx::bench
