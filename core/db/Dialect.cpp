#include "Dialect.h"

#include "core/values/Timestamp.h"

#include <QTimeZone>

namespace ctx {

QString Dialect::quoteIdentifier(const QString& name) {
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QVariant Dialect::timestampValue(qint64 epochMicros) const {
    if (m_engine == Engine::Sqlite)
        return QVariant(double(epochMicros) / 1e6);
    return QDateTime::fromMSecsSinceEpoch(epochMicros / 1000, Qt::UTC);
}

QString Dialect::epochSecondsOf(const QString& column) const {
    // julianday() resolves milliseconds; rounding to them removes the binary error of
    // the day fraction (00:05:00 would otherwise come out as 00:04:59.9999998).
    if (m_engine == Engine::Sqlite)
        return QStringLiteral("(CASE WHEN typeof(%1) IN ('integer','real') THEN %1 "
                              "ELSE round((julianday(%1) - 2440587.5) * 86400.0, 3) END)")
            .arg(column);
    return QStringLiteral("EXTRACT(EPOCH FROM %1)").arg(column);
}

QString Dialect::nowExpression() const {
    if (m_engine == Engine::Sqlite)
        return QStringLiteral("((julianday('now') - 2440587.5) * 86400.0)");
    return QStringLiteral("now()");
}

QString Dialect::jsonParameter() const {
    return m_engine == Engine::Sqlite ? QStringLiteral("?") : QStringLiteral("CAST(? AS JSONB)");
}

QString Dialect::containsInsensitive(const QString& column) const {
    if (m_engine == Engine::Sqlite)
        return QStringLiteral("instr(lower(%1), lower(?)) > 0").arg(column);
    return QStringLiteral("strpos(lower(%1::text), lower(?)) > 0").arg(column);
}

QString Dialect::beginWriteTransaction() const {
    return m_engine == Engine::Sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN");
}

QString Dialect::listTablesQuery() const {
    if (m_engine == Engine::Sqlite)
        return QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                              "LIKE 'sqlite_%' ORDER BY name");
    return QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                          "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
}

QString Dialect::timestampParameter() const {
    return m_engine == Engine::Sqlite ? QStringLiteral("?")
                                      : QStringLiteral("CAST(? AS TIMESTAMPTZ)");
}

QVariant Dialect::timestampBinding(qint64 epochMicros) const {
    if (m_engine == Engine::Sqlite)
        return QVariant(double(epochMicros) / 1e6);
    return QString::fromLatin1(Timestamp::toPostgresText(epochMicros));
}

QVariant Dialect::timestampBinding(qint64 epochMicros, StoredTimestampShape shape) const {
    if (m_engine == Engine::Sqlite && shape == StoredTimestampShape::IsoText)
        return Timestamp::toServerIso(epochMicros);
    return timestampBinding(epochMicros);
}

QString Dialect::timestampSelect(const QString& column) const {
    if (m_engine == Engine::Sqlite)
        return column;
    return QStringLiteral("CAST(%1 AS TEXT)").arg(column);
}

QString Dialect::timestampCompare(const QString& column, const QString& op) const {
    if (m_engine == Engine::Sqlite)
        return QStringLiteral("%1 %2 ?").arg(epochSecondsOf(column), op);
    return QStringLiteral("%1 %2 CAST(? AS TIMESTAMPTZ)").arg(column, op);
}

QVariant Dialect::timestampCompareBinding(qint64 epochMicros) const {
    return timestampBinding(epochMicros);
}

QString Dialect::canonicalTimestampOf(const QString& column) const {
    if (m_engine == Engine::Sqlite)
        return QStringLiteral("COALESCE(%1, %2)").arg(epochSecondsOf(column), column);
    return column;
}

bool Dialect::nullsFirstInAscendingOrder() const {
    return m_engine == Engine::Sqlite;
}

QString Dialect::byteLengthOf(const QString& column) const {
    if (m_engine == Engine::Sqlite)
        return QStringLiteral("length(CAST(%1 AS BLOB))").arg(column);
    return QStringLiteral("octet_length(%1)").arg(column);
}

QString Dialect::serverVersionQuery() const {
    if (m_engine == Engine::Sqlite)
        return QStringLiteral("SELECT sqlite_version()");
    return QStringLiteral("SHOW server_version");
}

} // namespace ctx
