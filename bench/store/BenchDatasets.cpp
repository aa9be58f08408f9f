#include "BenchDatasets.h"

#include "core/legacy/DemoWriter.h"
#include "core/schema/SchemaMigrator.h"

namespace ctx::bench {

namespace {

Result<QStringList> sessionIds(const Connection& conn) {
    auto q = conn.exec(QStringLiteral("SELECT id FROM sessions ORDER BY id"));
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

Result<QStringList> buildSqlite(const QString& path, qint64 messages) {
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
    // The store runs on the current schema, as on PostgreSQL below: a server moving to
    // Context Studio's core runs `ctxdb schema upgrade` once (versions 4 and 5 add the
    // indexes that keep an agent's page and total off the table's rows).
    UpgradeOptions current;
    current.appliedBy = QStringLiteral("bench_store");
    if (auto r = SchemaMigrator::applyPending(**conn, current); !r)
        return std::unexpected(r.error());
    return sessionIds(**conn);
}

Result<QStringList> buildPostgres(const DatabaseUrl& url, qint64 messages) {
    auto conn = writer(url);
    if (!conn)
        return std::unexpected(conn.error());
    UpgradeOptions tablesOnly;
    tablesOnly.targetVersion = 3;
    if (auto r = SchemaMigrator::applyPending(**conn, tablesOnly); !r)
        return std::unexpected(r.error());
    const qint64 sessions = std::max<qint64>(5, messages / 2000);
    const QStringList load{
        QStringLiteral("INSERT INTO sessions (id, purpose, created_by, metadata, created_at, "
                       "updated_at) SELECT 'session_' || lpad(to_hex(i), 16, '0'), 'Task ' || i, "
                       "'claude-main', '{\"priority\":1}', timestamptz '2025-01-01' + i * "
                       "interval '1 minute', timestamptz '2025-01-01' + i * interval '1 minute' "
                       "FROM generate_series(0, %1) AS i")
            .arg(sessions - 1),
        // A quarter of the messages in one long session, the rest spread, like the demo.
        QStringLiteral(
            "INSERT INTO messages (session_id, sender, sender_type, content, visibility, "
            "message_type, metadata, \"timestamp\", parent_message_id) SELECT 'session_' || "
            "lpad(to_hex(CASE WHEN i % 4 = 0 THEN 0 ELSE 1 + (i::bigint * 7919) % %2 END), 16, "
            "'0'), "
            "(ARRAY['claude-main','gemini-research','gpt-planner','codex-helper','claude-review',"
            "'test-runner','admin-console'])[1 + i % 7], 'generic', 'Step ' || i || ': ' || "
            "w[1 + i % 40] || ' ' || w[1 + (i * 7) % 40] || ' ' || w[1 + (i * 13) % 40] || ' ' "
            "|| w[1 + (i * 17) % 40] || ' ' || w[1 + (i * 31) % 40] || ' ' || w[1 + (i * 37) % "
            "40] || ' ' || w[1 + (i * 41) % 40] || ' ' || w[1 + (i * 43) % 40] || CASE WHEN i % "
            "1000 = 0 THEN ' %3' ELSE '' END, (ARRAY['public','public','public','public',"
            "'private','agent_only','admin_only'])[1 + (i / 7) % 7], 'agent_response', CASE WHEN "
            "i % 3 = 0 THEN jsonb_build_object('model', 'm' || i % 5) END, timestamptz "
            "'2025-01-01' + i * interval '26 seconds', NULL FROM generate_series(1, %1) AS i, "
            "(SELECT ARRAY['plan','row','server','sqlite','context','result','retry','postgres',"
            "'cache','parse','build','deploy','fix','token','session','column','index','verify',"
            "'branch','merge','test','query','thread','message','memory','agent','client','json',"
            "'schema','error','value','check','review','commit','compare','issue','migrate',"
            "'database','search','the'] AS w) AS words")
            .arg(messages)
            .arg(sessions - 1)
            .arg(QLatin1String(kNeedle)),
        QStringLiteral("ANALYZE")};
    if (auto ok = (*conn)->execAll(load); !ok)
        return std::unexpected(ok.error());
    if (auto r = SchemaMigrator::applyPending(**conn, {}); !r) // indexes after the load
        return std::unexpected(r.error());
    // As autovacuum would have it on a live server: statistics and the visibility map
    // (index-only scans for counts).
    (void)(*conn)->exec(QStringLiteral("VACUUM ANALYZE"));
    return sessionIds(**conn);
}

} // namespace ctx::bench
