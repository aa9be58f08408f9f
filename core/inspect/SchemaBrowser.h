#pragma once

#include "core/db/Connection.h"

#include <QList>
#include <QString>

namespace ctx {

struct ColumnDescription {
    QString name;
    QString type;
    bool notNull = false;
    bool primaryKey = false;
    QString defaultValue;
};

struct TableDescription {
    QString name;
    bool isView = false;
    QList<ColumnDescription> columns;
    QString sql; // SQLite: the CREATE statement; PostgreSQL: the view definition
};

// An index, trigger or view: its name, the table it belongs to and its definition.
struct SchemaObject {
    QString name;
    QString table;
    QString definition;
};

struct SchemaOverview {
    QList<TableDescription> tables; // tables and views, by name
    QList<SchemaObject> indexes;
    QList<SchemaObject> triggers;
    QList<SchemaObject> views;
    // Table and column names, for the console's autocompletion.
    QStringList completionWords() const;
};

// Lists what a database holds (tables with columns, indexes, triggers, views) from
// the engine's catalog. Reads only.
class SchemaBrowser {
public:
    static Result<SchemaOverview> read(const Connection& conn);

private:
    static Result<SchemaOverview> readSqlite(const Connection& conn);
    static Result<SchemaOverview> readPostgres(const Connection& conn);
};

} // namespace ctx
