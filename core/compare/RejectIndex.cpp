#include "RejectIndex.h"

#include "core/values/TableSpec.h"

#include <QSqlQuery>

namespace ctx {

QByteArray RejectIndex::entry(const QString& table, const QByteArray& key, const QString& column) {
    // Length-prefixed parts: no separator a key could contain.
    QByteArray e;
    for (const QByteArray& part : {table.toUtf8(), key, column.toUtf8()}) {
        e += QByteArray::number(part.size());
        e += ':';
        e += part;
    }
    return e;
}

Result<RejectIndex> RejectIndex::load(const Connection& conn) {
    RejectIndex index;
    if (!conn.tableExists(QString::fromLatin1(kTable)))
        return index;
    auto q = conn.exec(QStringLiteral("SELECT table_name, row_key, column_name, original, reason "
                                      "FROM %1")
                           .arg(Dialect::quoteIdentifier(QString::fromLatin1(kTable))));
    if (!q)
        return std::unexpected(q.error());
    while (q->next()) {
        const QString table = q->value(0).toString();
        const QByteArray key = q->value(1).toString().toUtf8();
        const QString column = q->value(2).isNull() ? QString() : q->value(2).toString();
        index.m_values.insert(entry(table, key, column));
        index.m_rows.insert(entry(table, key, {}));
        index.m_reasons[entry(table, key, {})].insert(q->value(4).toString());
        index.m_mentioned.insert(key);
        const QByteArray original = q->value(3).toByteArray();
        if (!original.isEmpty() && original.size() <= 200)
            index.m_mentioned.insert(original);
        // A key the migration changed (cleaned, renamed, NULL): the source's row, which
        // has the original key, is explained too (a NULL key reads as "").
        if (const TableSpec* spec = findTable(table); spec && column == spec->key)
            index.m_rows.insert(entry(table, original, {}));
        ++index.m_count;
    }
    return index;
}

void RejectIndex::merge(const RejectIndex& other) {
    m_values.unite(other.m_values);
    m_rows.unite(other.m_rows);
    m_mentioned.unite(other.m_mentioned);
    for (auto it = other.m_reasons.cbegin(); it != other.m_reasons.cend(); ++it)
        m_reasons[it.key()].unite(it.value());
    m_count += other.m_count;
}

bool RejectIndex::recordedValue(const QString& table, const QByteArray& key,
                                const QString& column) const {
    if (m_count == 0)
        return false;
    return m_values.contains(entry(table, key, column)) || m_values.contains(entry(table, key, {}));
}

bool RejectIndex::explainsRow(const QString& table, const QByteArray& key) const {
    return m_count != 0 && m_rows.contains(entry(table, key, {}));
}

} // namespace ctx
