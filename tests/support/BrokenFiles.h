#pragma once

#include <QString>
#include <QStringList>

namespace ctx::test {

// A corpus of broken SQLite files made from a good demo database, written into dir:
// truncated at 1/10/50/90 %, random bytes flipped in pages (seeded), a zeroed header,
// a wrong page size, random bytes that look encrypted, and a -wal file without its
// database. Returns the paths a user would open (for the orphan WAL: the missing
// database next to it); empty when the corpus could not be written.
QStringList writeBrokenSqliteFiles(const QString& dir);

} // namespace ctx::test
