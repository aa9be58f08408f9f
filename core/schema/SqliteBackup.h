#pragma once

#include "core/db/Connection.h"

namespace ctx {

// Copies a SQLite database (including rows still in its -wal file) to a new file
// with SQLite's online backup API, then proves the copy: quick_check is "ok" and
// every table has the same row count as the source.
class SqliteBackup {
public:
    static QString defaultPathFor(const QString& databasePath);
    static Status write(const Connection& source, const QString& backupPath);
    static Status verify(const Connection& source, const QString& backupPath);
};

} // namespace ctx
