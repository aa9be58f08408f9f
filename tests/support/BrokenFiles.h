#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ctx::test {

// A corpus of broken SQLite files made from a good demo database, written into dir:
// truncated at 1/10/50/90 %, random bytes flipped in pages (seeded), a zeroed header,
// a wrong page size, random bytes that look encrypted, and a -wal file without its
// database. Returns the paths a user would open (for the orphan WAL: the missing
// database next to it); empty when the corpus could not be written.
QStringList writeBrokenSqliteFiles(const QString& dir);

// The leaf pages of a table's B-tree in rowid order (1-based page numbers, from dbstat).
QList<int> tableLeafPages(const QString& path, const QString& table);
// Overwrites whole pages (1-based) with bytes no B-tree page has: reading them fails
// with SQLITE_CORRUPT, the rest of the file stays readable. False if it cannot write.
bool corruptPages(const QString& path, const QList<int>& pages);

// What reading every row alone (SELECT … WHERE rowid = ?) finds in a damaged copy: the
// rowids a careful reader gets, and the unreadable runs between them as "rowid a..b"
// (a: the readable rowid before + 1, b: the readable rowid after - 1; open at the ends).
struct CarefulRead {
    QList<qint64> readable;
    QStringList ranges;
    qint64 unreadableRows = 0;
};
QList<qint64> rowidsOf(const QString& path, const QString& table);
CarefulRead carefulRead(const QList<qint64>& original, const QString& damaged,
                        const QString& table);

} // namespace ctx::test
