#pragma once

#include "core/db/Connection.h"

#include <QList>
#include <QMap>
#include <QStringList>
#include <optional>

namespace ctx {

struct ColumnInfo {
    QString name;
    QString declaredType; // as declared (SQLite) or format_type() (PostgreSQL)
    bool notNull = false;
    bool primaryKey = false;
};

struct IndexInfo {
    QString name;
    QStringList columns;
    QString predicate; // partial index condition, normalized (lower case, no parentheses)
};

struct ForeignKeyInfo {
    QStringList columns;
    QString refTable;
    QStringList refColumns;
    QString onDelete; // "cascade", "set null", "no action", ...
};

struct TableInfo {
    QString name;
    QList<ColumnInfo> columns;
    QList<IndexInfo> uniqueIndexes; // primary key excluded
    QList<ForeignKeyInfo> foreignKeys;

    const ColumnInfo* column(const QString& name) const;
    QStringList columnNames() const;
    QStringList primaryKey() const;
};

// The structure of one database as the comparison needs it, read from the catalog of
// either engine (sqlite_master and PRAGMAs, or pg_catalog). Reads only.
struct DatabaseSchema {
    Engine engine = Engine::Sqlite;
    QMap<QString, TableInfo> tables;

    static Result<DatabaseSchema> read(const Connection& conn);
};

// What a partial index condition says, in one spelling for both engines.
QString normalizedPredicate(const QString& predicate);

// PostgreSQL: the value the table's key sequence hands out next, when it has one.
Result<std::optional<qint64>> nextSequenceValue(const Connection& conn, const QString& table,
                                                const QString& keyColumn);

} // namespace ctx
