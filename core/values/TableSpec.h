#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace ctx {

// What a column holds, whatever the engine stores it as.
enum class LogicalType { Integer, Text, Boolean, Timestamp, Json, Blob };
QString logicalTypeName(LogicalType type);

struct ColumnSpec {
    QString name;
    LogicalType type;
    bool nullable = true;
    // What a stored NULL means, when the target schema fills it in (messages.sender_type:
    // NULL in old rows, 'generic' on PostgreSQL where the column is NOT NULL). Empty: none.
    QByteArray nullMeans = {};
};

// One of the server's tables as the migration and the comparison see it.
struct TableSpec {
    QString name;
    QString key; // the primary key column
    bool textKey = false;
    QList<ColumnSpec> columns;

    const ColumnSpec* column(const QString& name) const;
    QStringList columnNames() const;
};

// The server's five data tables in load order (parents before children).
const QList<TableSpec>& sharedContextTables();
const TableSpec* findTable(const QString& name);

} // namespace ctx
