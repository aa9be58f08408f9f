#include "Store.h"
#include "StoreValues.h"
#include "WriteTransaction.h"
#include "core/schema/SchemaDetector.h"

#include <QFileInfo>

namespace ctx {

using namespace store;

const StoreFeatures& StoreMaintenance::features() const {
    if (!m_features)
        m_features = StoreFeatures::detect(m_conn);
    return *m_features;
}

Result<CleanupReport> StoreMaintenance::cleanup(const CleanupOptions& options) {
    if (options.auditDays < 0)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("audit days must be 0 (keep all) or more, got %1")
                        .arg(options.auditDays),
                    m_conn.subject());
    const Dialect& d = m_conn.dialect();
    const qint64 now = nowMicros();
    struct Target {
        bool present;
        QString table;
        QString condition;
        QVariant bind;
        qint64* count;
    };
    CleanupReport report;
    const QList<Target> targets{
        {features().agentMemory, QStringLiteral("agent_memory"),
         QStringLiteral("expires_at IS NOT NULL AND ") +
             d.timestampCompare(QStringLiteral("expires_at"), QStringLiteral("<=")),
         d.timestampCompareBinding(now), &report.expiredMemory},
        {features().secureTokens, QStringLiteral("secure_tokens"),
         QStringLiteral("expires_at IS NOT NULL AND ") +
             d.timestampCompare(QStringLiteral("expires_at"), QStringLiteral("<=")),
         d.timestampCompareBinding(now), &report.expiredTokens},
        {features().auditLog && options.auditDays > 0, QStringLiteral("audit_log"),
         d.timestampCompare(QStringLiteral("\"timestamp\""), QStringLiteral("<")),
         d.timestampCompareBinding(now - qint64(options.auditDays) * 86400 * 1000000),
         &report.oldAudit},
    };
    auto work = [&](WriteAttempt&) -> Status {
        for (const Target& t : targets) {
            if (!t.present)
                continue;
            auto n = m_conn.scalar(
                QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(t.table, t.condition),
                {t.bind});
            if (!n)
                return std::unexpected(n.error());
            *t.count = n->toLongLong();
            if (options.dryRun || *t.count == 0)
                continue;
            if (auto r = m_conn.exec(
                    QStringLiteral("DELETE FROM %1 WHERE %2").arg(t.table, t.condition), {t.bind});
                !r)
                return std::unexpected(r.error());
        }
        return {};
    };
    // A dry run only counts: it works on read-only sources and takes no write lock.
    WriteAttempt unused;
    auto ok = options.dryRun ? work(unused) : runWrite(m_conn, work);
    if (!ok)
        return std::unexpected(ok.error());
    return report;
}

Result<Health> StoreMaintenance::health() {
    Health h;
    h.engine = engineName(m_conn.engine());
    auto version = m_conn.scalar(m_conn.dialect().serverVersionQuery());
    if (!version)
        return std::unexpected(version.error());
    h.serverVersion = version->toString();
    auto schema = SchemaDetector::detect(m_conn);
    if (!schema)
        return std::unexpected(schema.error());
    h.schemaVersion = schema->version;
    for (const QString& table : features().tables) {
        auto n = m_conn.scalar(
            QStringLiteral("SELECT count(*) FROM %1").arg(Dialect::quoteIdentifier(table)));
        if (!n)
            return std::unexpected(n.error());
        h.rowCounts.append({table, n->toLongLong()});
    }
    if (m_conn.engine() == Engine::Sqlite) {
        const QString path = m_conn.url().filePath();
        h.fileBytes = QFileInfo(path).size();
        const QFileInfo wal(path + QStringLiteral("-wal"));
        h.walBytes = wal.exists() ? wal.size() : 0;
    } else {
        auto size = m_conn.scalar(QStringLiteral("SELECT pg_database_size(current_database())"));
        if (!size)
            return std::unexpected(size.error());
        h.fileBytes = size->toLongLong();
    }
    return h;
}

} // namespace ctx
