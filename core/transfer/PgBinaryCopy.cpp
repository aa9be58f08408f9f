#include "PgBinaryCopy.h"

#include <QtEndian>

namespace ctx {

namespace {

constexpr qint64 kPostgresEpochMicros = 946684800LL * 1000000LL; // 2000-01-01 UTC

void int16(QByteArray& out, qint16 v) {
    char b[2];
    qToBigEndian(v, b);
    out.append(b, 2);
}

void int32(QByteArray& out, qint32 v) {
    char b[4];
    qToBigEndian(v, b);
    out.append(b, 4);
}

void int64(QByteArray& out, qint64 v) {
    char b[8];
    qToBigEndian(v, b);
    out.append(b, 8);
}

} // namespace

void PgBinaryCopy::header(QByteArray& out) {
    out.append("PGCOPY\n\377\r\n\0", 11);
    int32(out, 0); // flags
    int32(out, 0); // header extension length
}

void PgBinaryCopy::trailer(QByteArray& out) {
    int16(out, -1);
}

void PgBinaryCopy::row(const QList<TargetValue>& values, QByteArray& out) {
    using Kind = NormalizedValue::Kind;
    int16(out, qint16(values.size()));
    for (const TargetValue& v : values) {
        switch (v.kind) {
        case Kind::Null:
        case Kind::Invalid:
            int32(out, -1);
            break;
        case Kind::Integer:
            int32(out, 8);
            int64(out, v.number);
            break;
        case Kind::Timestamp:
            int32(out, 8);
            int64(out, v.number - kPostgresEpochMicros);
            break;
        case Kind::Boolean:
            int32(out, 1);
            out += v.bytes == "t" ? '\1' : '\0';
            break;
        case Kind::Json:
            int32(out, qint32(v.bytes.size() + 1));
            out += '\1';
            out += v.bytes;
            break;
        case Kind::Text:
        case Kind::Bytes:
            int32(out, qint32(v.bytes.size()));
            out += v.bytes;
            break;
        }
    }
}

void PgBinaryCopy::textRow(const QList<QByteArray>& fields, const QList<bool>& isNull,
                           QByteArray& out) {
    int16(out, qint16(fields.size()));
    for (int i = 0; i < fields.size(); ++i) {
        if (isNull.value(i)) {
            int32(out, -1);
            continue;
        }
        int32(out, qint32(fields[i].size()));
        out += fields[i];
    }
}

} // namespace ctx
