#pragma once

#include "DatabaseUrl.h"
#include "core/values/ServerTimestampShapes.h"

#include <QDateTime>
#include <QString>
#include <QVariant>

namespace ctx {

// Every SQL difference between SQLite and PostgreSQL lives here, so that callers
// write one code path. Values are always bound; identifiers always go through
// quoteIdentifier().
class Dialect {
public:
    explicit Dialect(Engine engine)
        : m_engine(engine) {}

    Engine engine() const { return m_engine; }
    static QString quoteIdentifier(const QString& name);

    // A value for a timestamp column in this engine's canonical shape:
    // SQLite: REAL Unix epoch seconds (the server's main form); PostgreSQL: TIMESTAMPTZ.
    QVariant timestampValue(qint64 epochMicros) const;
    // An SQL expression giving epoch seconds (REAL) for a stored timestamp column
    // whatever its shape (SQLite holds REAL, INTEGER and several text forms).
    QString epochSecondsOf(const QString& column) const;
    // The current time as an SQL expression in canonical shape.
    QString nowExpression() const;
    // Placeholder text to cast a bound JSON string into the column's JSON type.
    QString jsonParameter() const;
    // Case-insensitive substring match of a column against a bound pattern.
    QString containsInsensitive(const QString& column) const;
    // Statement that takes the write lock at once (SQLite) or a plain BEGIN.
    QString beginWriteTransaction() const;
    // Lists user tables: one column, the table name, sorted.
    QString listTablesQuery() const;

    // Timestamps at full (microsecond) precision, for the store:
    // placeholder text for a bound timestamp (SQLite: as bound; PostgreSQL: a cast from
    // text) and the value to bind for it in the canonical shape of the engine.
    QString timestampParameter() const;
    QVariant timestampBinding(qint64 epochMicros) const;
    // The same in a given SQLite shape (serverTimestampShape() of the column, so that a
    // server's own comparisons still work on the row); PostgreSQL ignores the shape.
    QVariant timestampBinding(qint64 epochMicros, StoredTimestampShape shape) const;
    // A timestamp column as selected for reading: SQLite keeps the stored value and
    // its storage type; PostgreSQL gives the text form (microseconds kept, UTC).
    QString timestampSelect(const QString& column) const;
    // "column OP bound time" for a stored timestamp in any shape; bind the value of
    // timestampCompareBinding() for its one placeholder.
    QString timestampCompare(const QString& column, const QString& op) const;
    QVariant timestampCompareBinding(qint64 epochMicros) const;
    // The same instant as the stored column, in the canonical shape (SQLite: REAL
    // epoch seconds from any stored shape; PostgreSQL: the column itself).
    QString canonicalTimestampOf(const QString& column) const;
    // Whether NULL sorts before every value in ascending order (SQLite) or after
    // (PostgreSQL's default, which its b-tree indexes follow).
    bool nullsFirstInAscendingOrder() const;
    // Length in bytes of a BLOB/BYTEA column, without decoding it.
    QString byteLengthOf(const QString& column) const;
    // The server's version string: one row, one column.
    QString serverVersionQuery() const;

private:
    Engine m_engine;
};

} // namespace ctx
