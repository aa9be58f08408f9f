#include "SchemaHistory.h"

#include <QSqlQuery>

namespace ctx {

Result<QList<HistoryEntry>> SchemaHistory::entries() const {
    const QStringList cols = m_conn.columnsOf(QStringLiteral("schema_version"));
    const bool extended = cols.contains(QStringLiteral("checksum"));
    const QString sql =
        QStringLiteral("SELECT version, CAST(applied_at AS TEXT), description%1 "
                       "FROM schema_version ORDER BY version")
            .arg(extended ? QStringLiteral(", checksum, applied_by, duration_ms") : QString());
    auto q = m_conn.exec(sql);
    if (!q)
        return std::unexpected(q.error());
    QList<HistoryEntry> list;
    while (q->next()) {
        HistoryEntry e;
        e.version = q->value(0).toInt();
        e.appliedAt = q->value(1).toString();
        e.description = q->value(2).toString();
        if (extended) {
            e.checksum = q->value(3).toString();
            e.appliedBy = q->value(4).toString();
            e.durationMs = q->value(5).isNull() ? -1 : q->value(5).toLongLong();
        }
        list << e;
    }
    return list;
}

Status SchemaHistory::ensureExtended() const {
    const bool pg = m_conn.engine() == Engine::Postgres;
    if (!m_conn.tableExists(QStringLiteral("schema_version"))) {
        const QString sql =
            QStringLiteral("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                           "applied_at %1 DEFAULT %2, description TEXT, checksum TEXT, "
                           "applied_by TEXT, duration_ms BIGINT)")
                .arg(pg ? QStringLiteral("TIMESTAMPTZ") : QStringLiteral("TIMESTAMP"),
                     QStringLiteral("CURRENT_TIMESTAMP"));
        return toStatus(m_conn.exec(sql));
    }
    const QStringList cols = m_conn.columnsOf(QStringLiteral("schema_version"));
    const QList<std::pair<QString, QString>> wanted{{QStringLiteral("checksum"), "TEXT"},
                                                    {QStringLiteral("applied_by"), "TEXT"},
                                                    {QStringLiteral("duration_ms"), "BIGINT"}};
    for (const auto& [name, type] : wanted) {
        if (cols.contains(name))
            continue;
        auto r = m_conn.exec(
            QStringLiteral("ALTER TABLE schema_version ADD COLUMN %1 %2").arg(name, type));
        if (!r)
            return std::unexpected(r.error());
    }
    return {};
}

Status SchemaHistory::record(const HistoryEntry& e) const {
    return toStatus(
        m_conn.exec(QStringLiteral("INSERT INTO schema_version (version, description, checksum, "
                                   "applied_by, duration_ms) VALUES (?, ?, ?, ?, ?)"),
                    {e.version, e.description, e.checksum, e.appliedBy, e.durationMs}));
}

} // namespace ctx
