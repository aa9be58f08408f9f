#pragma once

#include "core/db/Connection.h"

#include <QHash>
#include <QSet>

namespace ctx {

// What a migration recorded in ctx_migration_rejects (table_name, row_key,
// column_name, original, reason, action): the differences it explains.
class RejectIndex {
public:
    static constexpr const char* kTable = "ctx_migration_rejects";

    // Reads the rejects of one database; none when it has no such table.
    static Result<RejectIndex> load(const Connection& conn);
    void merge(const RejectIndex& other);

    // Whether a value of (table, row, column) was recorded, or the whole row was. A
    // difference there is explained only when the target holds what the recorded action
    // makes of the source value (RecordedAction); this alone explains nothing.
    bool recordedValue(const QString& table, const QByteArray& key, const QString& column) const;
    // The reasons recorded for any column of a row.
    QSet<QString> reasonsFor(const QString& table, const QByteArray& key) const {
        return m_reasons.value(entry(table, key, {}));
    }
    // A row present on one side only: the migration recorded something about it.
    bool explainsRow(const QString& table, const QByteArray& key) const;
    // A row the migration added (a recovered placeholder): its key appears in a record
    // of any table, as the row key or as the original value.
    bool mentions(const QByteArray& key) const { return m_mentioned.contains(key); }
    qsizetype size() const { return m_count; }

private:
    static QByteArray entry(const QString& table, const QByteArray& key, const QString& column);

    QSet<QByteArray> m_values; // table, key, column ("" = the whole row)
    QSet<QByteArray> m_rows;   // table, key
    QSet<QByteArray> m_mentioned;
    QHash<QByteArray, QSet<QString>> m_reasons; // table, key -> reasons
    qsizetype m_count = 0;
};

} // namespace ctx
