#include "SchemaDetector.h"

#include "SchemaHistory.h"
#include "ServerSchema.h"

#include <QSqlQuery>

namespace ctx {

Result<QStringList> SchemaDetector::tableNames(const Connection& conn) {
    auto q = conn.exec(conn.dialect().listTablesQuery());
    if (!q)
        return std::unexpected(q.error());
    QStringList names;
    while (q->next())
        names << q->value(0).toString();
    return names;
}

QStringList SchemaDetector::indexNames(const Connection& conn) {
    QStringList names;
    const QString sql = conn.engine() == Engine::Sqlite
                            ? QStringLiteral("SELECT name FROM sqlite_master WHERE type='index'")
                            : QStringLiteral("SELECT indexname FROM pg_indexes WHERE schemaname "
                                             "= current_schema()");
    if (auto q = conn.exec(sql)) {
        while (q->next())
            names << q->value(0).toString();
    }
    return names;
}

void SchemaDetector::detectSqliteVariant(const Connection& conn, SchemaInfo& info) {
    const QStringList indexes = indexNames(conn);
    const bool tableUnique = indexes.contains(QStringLiteral("sqlite_autoindex_agent_memory_1"));
    const bool partialUnique = indexes.contains(QStringLiteral("idx_agent_memory_unique_global"));
    const bool hasTokens = conn.tableExists(QStringLiteral("secure_tokens"));
    const bool hasSenderType =
        conn.columnsOf(QStringLiteral("messages")).contains(QStringLiteral("sender_type"));

    if (info.version >= 4)
        info.variant = QString::number(info.version);
    else if (info.version == 3)
        info.variant = partialUnique && !tableUnique ? QStringLiteral("3b") : QStringLiteral("3a");
    else
        info.variant = QString::number(qMax(info.version, 1));

    // From version 4 on the history has a row per applied migration and the 3a table
    // UNIQUE may remain beside our partial indexes: both are expected there.
    const bool legacy = info.version <= 3;
    if (legacy && info.recordedVersions.size() > 1) {
        QStringList v;
        for (int n : info.recordedVersions)
            v << QString::number(n);
        info.quirks << QStringLiteral("several schema_version rows {%1}").arg(v.join(','));
        info.mixed = true;
    }
    if (legacy && tableUnique && partialUnique) {
        info.quirks << QStringLiteral("both agent_memory uniqueness variants (3a table UNIQUE "
                                      "and 3b partial indexes)");
        info.mixed = true;
    }
    if (info.version >= 3 && !hasTokens) {
        info.quirks << QStringLiteral("secure_tokens table missing although version says %1")
                           .arg(info.version);
        info.mixed = true;
    }
    if (info.version >= 2 && !hasSenderType)
        info.quirks << QStringLiteral("messages.sender_type missing although version says %1")
                           .arg(info.version);
    if (info.version < 2 && hasSenderType)
        info.quirks << QStringLiteral("messages.sender_type present in a version %1 file")
                           .arg(info.version);
    if (hasSenderType && info.version <= 3) {
        auto sql = conn.scalar(
            QStringLiteral("SELECT sql FROM sqlite_master WHERE type='table' AND name='messages'"));
        if (sql && !sql->toString().contains(QStringLiteral("sender_type_not_empty")))
            info.quirks << QStringLiteral("messages.sender_type added by ALTER TABLE without its "
                                          "NOT-empty CHECK");
    }
    if (info.version <= 3 && !partialUnique) {
        auto dup = conn.scalar(QStringLiteral(
            "SELECT count(*) FROM (SELECT 1 FROM agent_memory WHERE session_id IS NULL "
            "GROUP BY agent_id, key HAVING count(*) > 1)"));
        if (dup && dup->toLongLong() > 0)
            info.quirks << QStringLiteral("%1 duplicate global memory keys").arg(dup->toLongLong());
    }
}

Result<SchemaInfo> SchemaDetector::detect(const Connection& conn) {
    SchemaInfo info;
    info.engine = conn.engine();
    auto tables = tableNames(conn);
    if (!tables)
        return std::unexpected(tables.error());
    info.empty = tables->isEmpty();
    info.sharedContext = tables->contains(QStringLiteral("sessions")) &&
                         tables->contains(QStringLiteral("messages"));
    if (!info.sharedContext) {
        info.foreignTables = *tables;
        info.variant = QStringLiteral("none");
        return info;
    }
    if (tables->contains(QStringLiteral("schema_version"))) {
        auto history = SchemaHistory(conn).entries();
        if (!history)
            return std::unexpected(history.error());
        info.history = *history;
        for (const HistoryEntry& e : info.history) {
            info.recordedVersions << e.version;
            info.version = qMax(info.version, e.version);
        }
    } else {
        info.quirks << QStringLiteral("schema_version table missing (treated as version 1)");
        info.version = 1;
    }
    if (info.engine == Engine::Sqlite)
        detectSqliteVariant(conn, info);
    else if (auto ok = detectServerSchema(conn, info); !ok)
        return std::unexpected(ok.error());
    else
        info.variant = QString::number(info.version);
    return info;
}

Status SchemaDetector::detectServerSchema(const Connection& conn, SchemaInfo& info) {
    // Context Studio's own version 3 carries a checksum; the server's file writes its
    // row without one, and a database without history was not made by us either.
    bool ours = false;
    for (const HistoryEntry& e : info.history)
        ours = ours || (e.version == ServerSchema::kVersion && !e.checksum.isEmpty());
    auto snapshot = PgCatalogSnapshot::read(conn);
    if (!snapshot)
        return std::unexpected(snapshot.error());
    const ServerSchemaMatch m = ServerSchema::match(*snapshot);
    info.serverSchema = m.complete;
    info.serverTables = !ours;
    info.operatorObjects = m.operatorObjects;
    if (!ours) {
        for (const CatalogDifference& d : m.drift)
            info.serverDrift << d.describe();
    }
    return {};
}

} // namespace ctx
