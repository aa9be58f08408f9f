#pragma once

#include "core/Error.h"

#include <QList>
#include <QString>
#include <atomic>
#include <functional>
#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace ctx {

// Rowids of one table that a damaged file does not let SQLite read: every rowid from
// `first` to `last` (an open end: from the table's start, or to its end). No readable
// row lies inside; the rows on both sides were read.
struct UnreadableRange {
    std::optional<qint64> first;
    std::optional<qint64> last;
    QString error; // SQLite's message for the read that failed
    // "rowid 120..185", "rowid ..40", "rowid 900..", "rowid .." (ctx_migration_rejects.row_key)
    QString rowKey() const;
};

struct SalvageTable {
    QString name;
    qint64 readableRows = 0;
    QList<UnreadableRange> unreadable;
};

// Reads every row of one table of a damaged SQLite file that can still be read, in rowid
// order, and says which rowid ranges cannot. A read that fails with a damage error
// (SQLITE_CORRUPT, NOTADB, a short read) is resumed at the next readable row, found by
// probing "rowid >= x" (the path SQLite takes to read row x alone): rowid by rowid over
// the first kExactProbes rowids after the last row read, then with doubling steps and a
// bisection (a readable island inside a damaged span wider than kExactProbes rowids may
// be counted unreadable). Each unreadable range is reported once. Other errors fail.
class SalvageReader {
public:
    static constexpr qint64 kExactProbes = 4096;
    // Called for every readable row; column 0 is the rowid, then the table's columns.
    using RowFn = std::function<Status(sqlite3_stmt* row)>;

    static Result<SalvageTable> read(sqlite3* db, const QString& table, const RowFn& onRow,
                                     const std::atomic<bool>* cancel = nullptr);
    // Whether an SQLite result code says the file is damaged (not a failure to read it).
    static bool isDamage(int extendedCode);
};

} // namespace ctx
