#pragma once

#include "RawValue.h"
#include "TableSpec.h"

namespace ctx {

// A value reduced to the one form both engines agree on, for one logical type.
struct NormalizedValue {
    enum class Kind : quint8 { Null = 0, Integer, Text, Boolean, Timestamp, Json, Bytes, Invalid };
    Kind kind = Kind::Null;
    QByteArray bytes; // canonical bytes: decimal integer, text bytes, "t"/"f", micros, JSON
    QString problem;  // why a value is Invalid (unparseable timestamp, invalid JSON, …)

    bool isNull() const { return kind == Kind::Null; }
    bool operator==(const NormalizedValue& o) const { return kind == o.kind && bytes == o.bytes; }
    QString display() const;
};

// The one rule set shared by assessment, migration and comparison:
// timestamps of every shape to UTC microseconds (naive = UTC); booleans from 1/0
// and text; JSON as canonical JSON; BLOB/BYTEA and text byte for byte (no trimming,
// no case folding, NULL is not ''). Works on SQLite values and on PostgreSQL
// values read as text (timestamptz, jsonb, boolean) or bytes (bytea).
class ValueNormalizer {
public:
    static NormalizedValue normalize(LogicalType type, const RawValue& value);
    // The same for one column of the server's tables: also applies what a NULL means
    // there (ColumnSpec::nullMeans), so that NULL and its stated meaning compare equal.
    static NormalizedValue normalize(const ColumnSpec& column, const RawValue& value);
    static std::optional<bool> parseBoolean(const RawValue& value);
};

// Encodes a row for hashing without ambiguity: each value as a kind byte followed,
// unless NULL, by a 4-byte length and its bytes. No separators, no NULL strings.
class RowEncoder {
public:
    void add(const NormalizedValue& value);
    const QByteArray& bytes() const { return m_bytes; }
    void clear() { m_bytes.resize(0); } // keeps the capacity for the next row

private:
    QByteArray m_bytes;
};

} // namespace ctx
