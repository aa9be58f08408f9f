#pragma once

#include <QList>
#include <QStringList>
#include <QVariantList>

namespace ctx {

// How much of a result the SQL console reads before it lets go of the database: the
// statement (and on PostgreSQL its READ ONLY transaction) ends as soon as the result is
// read or the bound is reached, so a result left unscrolled never holds a snapshot, a
// lock or a WAL reset of the server's.
struct ResultBound {
    int maxRows = 100000;
    qint64 maxBytes = 64ll * 1024 * 1024;
};

// One statement's result, read and closed.
struct ConsoleResult {
    QStringList columns;
    bool hasRows = false;     // a statement that returns rows
    qint64 rowsAffected = -1; // for the others
    QList<QVariantList> rows;
    bool truncated = false; // the bound was reached; more rows existed
};

// The bytes a value holds, to keep a buffered result within ResultBound::maxBytes.
inline qint64 approximateBytes(const QVariant& v) {
    if (v.typeId() == QMetaType::QString)
        return 2 * qint64(v.toString().size()) + 24;
    if (v.typeId() == QMetaType::QByteArray)
        return v.toByteArray().size() + 24;
    return 16;
}

} // namespace ctx
