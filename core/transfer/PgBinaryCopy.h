#pragma once

#include "RowConverter.h"

namespace ctx {

// Rows in PostgreSQL's binary COPY format, appended to a buffer the caller sends in
// chunks: no text escaping, no server-side parsing of times. Integers go as int8,
// times as int8 microseconds since 2000-01-01, JSON as jsonb (version 1 + text),
// booleans as one byte, text and bytea as their bytes.
class PgBinaryCopy {
public:
    static void header(QByteArray& out);
    static void row(const QList<TargetValue>& values, QByteArray& out);
    static void trailer(QByteArray& out);
    // A row of text/bytea/NULL fields (ctx_transfer_rejects).
    static void textRow(const QList<QByteArray>& fields, const QList<bool>& isNull,
                        QByteArray& out);
    // One data message of COPY … TO STDOUT (FORMAT binary) back into values of the given
    // types, as row() wrote them (JSON as the server's text; select it ::text). The
    // server sends a row per message, the header with the first, the trailer alone.
    // *isRow is false for the trailer; false is returned for malformed data.
    static bool readRow(QByteArrayView message, const QList<LogicalType>& types,
                        QList<TargetValue>& out, bool* isRow);
};

} // namespace ctx
