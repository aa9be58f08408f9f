#pragma once

#include "core/db/DatabaseUrl.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ctx {

// One row of the schema_version history.
struct HistoryEntry {
    int version = 0;
    QString appliedAt;
    QString description;
    QString checksum; // empty for rows written by the server itself
    QString appliedBy;
    qint64 durationMs = -1;
};

// What a database is: its schema level, legacy variant and irregularities.
struct SchemaInfo {
    Engine engine = Engine::Sqlite;
    bool empty = false;         // no tables at all: a new database
    bool sharedContext = false; // has the server's sessions and messages tables
    QStringList foreignTables;  // other tables, when not ours
    QList<int> recordedVersions;
    int version = 0;    // MAX(version) as the server reads it
    QString variant;    // "1", "2", "3a", "3b", "4", "5", or "none"
    bool mixed = false; // several versions, both uniqueness variants, missing tables
    QStringList quirks; // human-readable, one per irregularity
    QList<HistoryEntry> history;
    // PostgreSQL: the tables were made by the server's own schema file (its version 3
    // row, or no history), not by Context Studio: they are adopted, never dropped.
    bool serverTables = false;
    bool serverSchema = false;   // every object of the server's file present, as it makes it
    QStringList serverDrift;     // the server's objects missing or different, described
    QStringList operatorObjects; // objects neither the server's file nor Context Studio made
};

// "3", "3 (server's PostgreSQL schema)", "none (empty database)": the version line.
inline QString schemaVersionLabel(const SchemaInfo& info) {
    if (info.empty)
        return QStringLiteral("none (empty database)");
    const QString n = QString::number(info.version);
    if (!info.serverTables) // Context Studio made it (its objects are the server's too)
        return n;
    if (info.serverSchema)
        return n + QStringLiteral(" (server's PostgreSQL schema)");
    return n + QStringLiteral(" (server's PostgreSQL schema, %1 of its objects differ)")
                   .arg(info.serverDrift.size());
}

} // namespace ctx
