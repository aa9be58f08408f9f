#include "ChunkReader.h"

#include <cstring>

namespace ctx {

CompareKey CompareKey::from(const RawValue& v, bool textKey) {
    CompareKey k;
    k.text = textKey;
    if (textKey) {
        k.bytes = v.type == StorageType::Integer ? QByteArray::number(v.integer)
                  : v.type == StorageType::Real  ? QByteArray::number(v.real, 'g', 17)
                                                 : v.bytes;
    } else {
        k.integer = v.type == StorageType::Integer ? v.integer
                    : v.type == StorageType::Real  ? qint64(v.real)
                                                   : v.bytes.toLongLong();
    }
    return k;
}

int CompareKey::compare(const CompareKey& o) const {
    if (!text)
        return integer < o.integer ? -1 : (integer > o.integer ? 1 : 0);
    const qsizetype n = std::min(bytes.size(), o.bytes.size());
    const int c = n ? std::memcmp(bytes.constData(), o.bytes.constData(), size_t(n)) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return bytes.size() < o.bytes.size() ? -1 : (bytes.size() > o.bytes.size() ? 1 : 0);
}

QString ChunkQuery::orderedKey(const TablePlan& plan, Engine engine) {
    const QString key = Dialect::quoteIdentifier(plan.key);
    if (!plan.textKey)
        return key;
    if (engine == Engine::Sqlite && plan.keyAsBytes)
        return QStringLiteral("coalesce(CAST(%1 AS BLOB), X'')").arg(key);
    return key + (engine == Engine::Sqlite ? QStringLiteral(" COLLATE BINARY")
                                           : QStringLiteral(" COLLATE \"C\""));
}

QString ChunkQuery::build(const TablePlan& plan, const ChunkRange& range, Engine engine) {
    QStringList cols;
    for (const QString& c : plan.columns)
        cols << Dialect::quoteIdentifier(c);
    const QString key = orderedKey(plan, engine);
    const bool pg = engine == Engine::Postgres;
    QStringList where;
    int n = 0;
    if (range.from)
        where << QStringLiteral("%1 >= %2").arg(key, pg ? QStringLiteral("$%1").arg(++n) : "?");
    if (range.to)
        where << QStringLiteral("%1 < %2").arg(key, pg ? QStringLiteral("$%1").arg(++n) : "?");
    QString sql = QStringLiteral("SELECT %1 FROM %2")
                      .arg(cols.join(QStringLiteral(", ")), Dialect::quoteIdentifier(plan.name));
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    return sql + QStringLiteral(" ORDER BY ") + key;
}

} // namespace ctx

#include "PostgresChunkReader.h"
#include "SqliteChunkReader.h"

namespace ctx {

std::unique_ptr<ChunkReader> ChunkReader::create(const Connection& conn) {
    if (conn.engine() == Engine::Sqlite)
        return std::make_unique<SqliteChunkReader>(conn);
    return std::make_unique<PostgresChunkReader>(conn);
}

} // namespace ctx
